import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the bundle and emulators, several runs a test; on a loaded 2-core machine a loop of eight
    // runs took over 30 s. Two minutes still catches a hang.
    testTimeout: 120_000,
    hookTimeout: 30_000
  }
})
