import { describe, expect, it } from 'vitest'
import { parseRemovalLimit } from '../../src/config/index.js'

describe('parseRemovalLimit', () => {
  it('reads counts and percentages', () => {
    expect(parseRemovalLimit('10')).toEqual({ kind: 'count', value: 10 })
    expect(parseRemovalLimit(' 0 ')).toEqual({ kind: 'count', value: 0 })
    expect(parseRemovalLimit('25%')).toEqual({ kind: 'percent', value: 25 })
    expect(parseRemovalLimit('12.5 %')).toEqual({ kind: 'percent', value: 12.5 })
    expect(parseRemovalLimit('100%')).toEqual({ kind: 'percent', value: 100 })
  })

  it('treats an empty input as not set', () => {
    expect(parseRemovalLimit('')).toBeUndefined()
    expect(parseRemovalLimit('   ')).toBeUndefined()
  })

  it('throws a message that says what to write', () => {
    expect(() => parseRemovalLimit('-1')).toThrow(
      new Error(
        'Input max-removals: "-1" is negative; write a number of removals such as 10 (0 allows none) or a percentage such as "25%".'
      )
    )
    expect(() => parseRemovalLimit('101%')).toThrow(
      new Error('Input max-removals: "101%" is more than 100%; write a percentage from 0% to 100%.')
    )
    expect(() => parseRemovalLimit('ten')).toThrow(
      new Error(
        'Input max-removals: "ten" is not a removal limit; write a number of removals such as 10 or a percentage such as "25%".'
      )
    )
    expect(() => parseRemovalLimit('1.5')).toThrow(
      new Error(
        'Input max-removals: "1.5" is not a removal limit; write a number of removals such as 10 or a percentage such as "25%".'
      )
    )
  })
})
