import { describe, expect, test } from 'vitest'
import { describeEvent } from '../../src/github/index.js'

describe('describeEvent: force pushes', () => {
  test('a forced push is recorded', () => {
    const event = describeEvent('push', {
      ref: 'refs/heads/main',
      after: 'a'.repeat(40),
      before: 'b'.repeat(40),
      forced: true,
      repository: { default_branch: 'main' }
    })
    expect(event.forced).toBe(true)
  })

  test('an ordinary push is not forced', () => {
    const event = describeEvent('push', {
      ref: 'refs/heads/main',
      after: 'a'.repeat(40),
      forced: false,
      repository: { default_branch: 'main' }
    })
    expect(event.forced).toBeUndefined()
  })
})
