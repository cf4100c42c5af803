import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden')

/** Compares `actual` with test/golden/<name>; with UPDATE_GOLDEN=1 (re)writes the file instead. */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name)
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
    return
  }
  if (!existsSync(file)) {
    throw new Error(
      `Golden file ${file} is missing: run the tests with UPDATE_GOLDEN=1 to create it.`
    )
  }
  expect(actual).toBe(readFileSync(file, 'utf8'))
}
