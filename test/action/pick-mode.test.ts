import { describe, expect, test } from 'vitest'
import { describeEvent, type EventInfo } from '../../src/github/index.js'
import { pickMode } from '../../src/main.js'
import { MODES } from '../../src/action/inputs.js'
import { inputs } from '../modes/fakes.js'

function event(name: string): EventInfo {
  return describeEvent(name, {})
}

describe('pickMode', () => {
  test.each([
    ['pull_request', 'plan'],
    ['pull_request_target', 'plan'],
    ['merge_group', 'plan'],
    ['push', 'apply'],
    ['schedule', 'review'],
    ['issues', 'review'],
    ['workflow_dispatch', 'plan']
  ])('auto on %s is %s', (name, mode) => {
    expect(pickMode(inputs(), event(name))).toBe(mode)
  })

  test('auto on an issues event of a request issue (labelled access-request) is request', () => {
    const issue = (labels: unknown[]) =>
      describeEvent('issues', { action: 'opened', issue: { number: 3, labels } })
    expect(pickMode(inputs(), issue([{ name: 'access-request' }]))).toBe('request')
    expect(pickMode(inputs(), issue([{ name: 'access-review' }]))).toBe('review')
  })

  test('auto on any other event is an error that names the event and the choices', () => {
    expect(() => pickMode(inputs(), event('release'))).toThrow(
      'mode: auto does not know what to do on a release event. Set mode to plan, apply, review, export, request, expire, cleanup or request-form.'
    )
  })

  test.each(MODES.filter((mode) => mode !== 'auto'))(
    'an explicit mode %s wins over the event',
    (mode) => {
      for (const name of ['pull_request', 'push', 'schedule', 'release']) {
        expect(pickMode(inputs({ mode }), event(name))).toBe(mode)
      }
    }
  )
})
