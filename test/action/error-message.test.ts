import { describe, expect, it } from 'vitest'
import { errorMessage } from '../../src/action/error-message.js'

describe('errorMessage', () => {
  it('gives a message for whatever was thrown', () => {
    expect(errorMessage(new TypeError('fetch failed'))).toBe('fetch failed')
    expect(errorMessage('plain string')).toBe('plain string')
    expect(errorMessage({ status: 500, message: 'x' })).toBe('{"status":500,"message":"x"}')
    expect(errorMessage(undefined)).toBe('undefined')
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(errorMessage(cyclic)).toBe('[object Object]')
  })
})
