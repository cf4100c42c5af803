import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import { READ_ONLY_TOKEN, account, call, testSeed } from './support.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ seed: testSeed() })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(() => {
  emulator.reset()
})

const revoke = account('/access/organizations/revoke_user')

describe('ending Access sessions (revoke_user)', () => {
  it('answers the Access empty response with result true and records whose sessions ended', async () => {
    const answer = await call(emulator, 'POST', revoke, { body: { email: 'bob@example.com' } })
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({ success: true, errors: [], messages: [], result: true })
    // An e-mail with no Zero Trust user has nothing to end, and is not an error.
    await call(emulator, 'POST', revoke, { body: { email: 'nobody@example.com' } })
    expect(emulator.state.sessionRevocations.map((entry) => entry.email)).toEqual([
      'bob@example.com',
      'nobody@example.com'
    ])
    assertContract(emulator.requests, { requests: 'all' })
  })

  it('refuses a body without an e-mail (400 12130) and a token without the groups write permission (403 9109)', async () => {
    const empty = await call(emulator, 'POST', revoke, { body: { user_uid: 'x' } })
    expect(empty.status).toBe(400)
    expect(empty.json.errors).toEqual([
      {
        code: 12130,
        message:
          'access.api.error.invalid_request: "email" is required and must be an e-mail address'
      }
    ])
    const readOnly = await call(emulator, 'POST', revoke, {
      headers: { authorization: `Bearer ${READ_ONLY_TOKEN}` },
      body: { email: 'bob@example.com' }
    })
    expect(readOnly.status).toBe(403)
    expect(emulator.state.sessionRevocations).toEqual([])
    emulator.reset()
    expect(emulator.state.sessionRevocations).toEqual([])
  })
})
