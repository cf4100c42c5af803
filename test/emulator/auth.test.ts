import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import {
  ACCOUNT_TOKEN,
  DISABLED_TOKEN,
  GLOBAL_KEY,
  KEY_EMAIL,
  READ_ONLY_TOKEN,
  TOKEN,
  account,
  call,
  testSeed
} from './support.js'

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

const groups = account('/access/groups')
const headerError = (code: number, message: string) => [
  { code: 6003, message: 'Invalid request headers', error_chain: [{ code, message }] }
]

describe('authentication', () => {
  it('accepts an API token and a Global API key, and logs which was used', async () => {
    const byToken = await call(emulator, 'GET', groups)
    const byKey = await call(emulator, 'GET', groups, {
      headers: { 'x-auth-email': 'OWNER@example.com', 'x-auth-key': GLOBAL_KEY }
    })
    expect(byToken.status).toBe(200)
    expect(byKey.status).toBe(200)
    expect(byKey.json.result).toEqual(byToken.json.result)
    expect(emulator.requests.map((r) => r.auth)).toEqual(['token', 'key'])
    assertContract(emulator.requests)
  })

  it('prefers the token when both schemes are sent', async () => {
    const answer = await call(emulator, 'GET', groups, {
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'x-auth-email': KEY_EMAIL,
        'x-auth-key': 'ffffffffffffffffffffffffffffffffffff0'
      }
    })
    expect(answer.status).toBe(200)
    expect(emulator.requests[0]?.auth).toBe('token')
  })

  it('answers a malformed Authorization header with 400 6003 / 6111', async () => {
    for (const authorization of [
      'Token abc',
      'Bearer ',
      'Bearer has spaces',
      `Bearer ${GLOBAL_KEY}`
    ]) {
      const answer = await call(emulator, 'GET', groups, { headers: { authorization } })
      expect(answer.status).toBe(400)
      expect(answer.json.errors).toEqual(
        headerError(6111, 'Invalid format for Authorization header')
      )
    }
  })

  it('answers a token sent as X-Auth-Key with 400 6003 / 6103', async () => {
    const answer = await call(emulator, 'GET', groups, {
      headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': TOKEN }
    })
    expect(answer.status).toBe(400)
    expect(answer.json.errors).toEqual(headerError(6103, 'Invalid format for X-Auth-Key header'))
    const noEmail = await call(emulator, 'GET', groups, { headers: { 'x-auth-key': GLOBAL_KEY } })
    expect(noEmail.json.errors).toEqual(headerError(6102, 'Invalid format for X-Auth-Email header'))
  })

  it('answers missing credentials with 400 9106', async () => {
    const answer = await call(emulator, 'GET', groups, { headers: {} })
    expect(answer.status).toBe(400)
    expect(answer.json).toEqual({
      success: false,
      errors: [
        { code: 9106, message: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers' }
      ],
      messages: [],
      result: null
    })
    expect(emulator.requests[0]?.auth).toBe('none')
  })

  it('answers unknown, disabled and wrong credentials with 403 10000', async () => {
    const attempts: Record<string, string>[] = [
      { authorization: 'Bearer unknown-token-value' },
      { authorization: `Bearer ${DISABLED_TOKEN}` },
      { 'x-auth-email': KEY_EMAIL, 'x-auth-key': 'abcdef0123456789abcdef0123456789abcde' },
      { 'x-auth-email': 'someone@example.com', 'x-auth-key': GLOBAL_KEY }
    ]
    for (const headers of attempts) {
      const answer = await call(emulator, 'GET', groups, { headers })
      expect(answer.status).toBe(403)
      expect(answer.json.errors).toEqual([{ code: 10000, message: 'Authentication error' }])
    }
    assertContract(emulator.requests)
  })

  it('answers a token without the needed permission with 403 9109', async () => {
    const headers = { authorization: `Bearer ${READ_ONLY_TOKEN}` }
    expect((await call(emulator, 'GET', groups, { headers })).status).toBe(200)
    const write = await call(emulator, 'POST', groups, {
      headers,
      body: { name: 'New', include: [{ everyone: {} }] }
    })
    expect(write.status).toBe(403)
    expect(write.json.errors).toEqual([
      { code: 9109, message: 'Unauthorized to access requested resource' }
    ])
    expect(emulator.state.groups).toHaveLength(4)
  })

  it('refuses another account with 403 9109 and a malformed account id with 400 7003', async () => {
    const other = await call(emulator, 'GET', '/accounts/fedcba9876543210fedcba9876543210/members')
    expect(other.status).toBe(403)
    expect(other.json.errors).toEqual([
      { code: 9109, message: 'Unauthorized to access requested resource' }
    ])
    const malformed = await call(emulator, 'GET', '/accounts/not-an-id/members')
    expect(malformed.status).toBe(400)
    expect(malformed.json.errors.map((e: { code: number }) => e.code)).toEqual([7003, 7000])
  })
})

describe('token verification', () => {
  it('reports an active user token as valid', async () => {
    const answer = await call(emulator, 'GET', '/user/tokens/verify')
    expect(answer.status).toBe(200)
    expect(answer.json).toEqual({
      success: true,
      errors: [],
      messages: [{ code: 10000, message: 'This API Token is valid and active' }],
      result: { id: 'dddddddddddddddddddddddddddddddd', status: 'active' }
    })
  })

  it('reports a disabled token with its status and no "valid" message', async () => {
    const answer = await call(emulator, 'GET', '/user/tokens/verify', {
      headers: { authorization: `Bearer ${DISABLED_TOKEN}` }
    })
    expect(answer.status).toBe(200)
    expect(answer.json.result).toEqual({
      id: 'ffffffffffffffffffffffffffffffff',
      status: 'disabled'
    })
    expect(answer.json.messages).toEqual([])
  })

  it('answers an unknown token with 401 1000 and key auth with 400 1001', async () => {
    const unknown = await call(emulator, 'GET', '/user/tokens/verify', {
      headers: { authorization: 'Bearer no-such-token' }
    })
    expect(unknown.status).toBe(401)
    expect(unknown.json.errors).toEqual([{ code: 1000, message: 'Invalid API Token' }])
    const key = await call(emulator, 'GET', '/user/tokens/verify', {
      headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': GLOBAL_KEY }
    })
    expect(key.status).toBe(400)
    expect(key.json.errors).toEqual([{ code: 1001, message: 'Missing "Authorization" header' }])
    assertContract(emulator.requests)
  })

  it('verifies account-owned tokens only under the account', async () => {
    const headers = { authorization: `Bearer ${ACCOUNT_TOKEN}` }
    const userPath = await call(emulator, 'GET', '/user/tokens/verify', { headers })
    expect(userPath.status).toBe(401)
    expect(userPath.json.errors).toEqual([{ code: 1000, message: 'Invalid API Token' }])
    const accountPath = await call(emulator, 'GET', account('/tokens/verify'), { headers })
    expect(accountPath.status).toBe(200)
    expect(accountPath.json.result).toEqual({
      id: '99999999999999999999999999999999',
      status: 'active'
    })
    assertContract(emulator.requests)
  })
})
