import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { findGroupById, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import { CONTRACTORS_ID, ENGINEERING_ID, account, call, testSeed } from './support.js'

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

const engineering = account(`/access/groups/${ENGINEERING_ID}`)
const invalid = (message: string) => [
  { code: 12130, message: `access.api.error.invalid_request: ${message}` }
]

describe('Access groups', () => {
  it('returns a group with rules verbatim, uid and timestamps, and no is_default unless set (as recorded)', async () => {
    const answer = await call(emulator, 'GET', engineering)
    expect(answer.status).toBe(200)
    expect(answer.json.result).toEqual({
      id: ENGINEERING_ID,
      name: 'Engineering',
      include: [
        { email: { email: 'alice@example.com' } },
        { email: { email: 'bob@example.com' } },
        { ip: { ip: '10.0.0.0/8' } }
      ],
      exclude: [],
      require: [{ auth_method: { auth_method: 'mfa' } }],
      uid: ENGINEERING_ID,
      created_at: '2025-01-06T09:00:00Z',
      updated_at: '2025-01-06T09:00:00Z'
    })
  })

  it('creates a group with 201 and a deterministic id', async () => {
    const body = { name: 'SRE', include: [{ email: { email: 'erin@example.com' } }] }
    const first = await call(emulator, 'POST', account('/access/groups'), { body })
    expect(first.status).toBe(201)
    expect(first.json.result).toMatchObject({
      name: 'SRE',
      exclude: [],
      require: [],
      uid: first.json.result.id
    })
    expect(first.json.result).not.toHaveProperty('is_default')
    emulator.reset()
    const again = await call(emulator, 'POST', account('/access/groups'), { body })
    expect(again.json.result.id).toBe(first.json.result.id)
    expect(emulator.state.groups.map((g) => g.name)).toEqual([
      'Engineering',
      'Contractors',
      'Legacy VPN',
      'Legacy VPN',
      'SRE'
    ])
  })

  it('PUT replaces the whole document: omitted exclude/require become empty, id and created_at stay', async () => {
    const contractors = account(`/access/groups/${CONTRACTORS_ID}`)
    const answer = await call(emulator, 'PUT', contractors, {
      body: {
        name: 'Contractors (2026)',
        include: [{ email: { email: 'ken@example.org' } }, { email: { email: 'judy@example.org' } }]
      }
    })
    expect(answer.status).toBe(200)
    const stored = findGroupById(emulator.state, CONTRACTORS_ID)
    expect(stored).toMatchObject({
      id: CONTRACTORS_ID,
      name: 'Contractors (2026)',
      include: [{ email: { email: 'ken@example.org' } }, { email: { email: 'judy@example.org' } }],
      exclude: [],
      require: [],
      created_at: '2025-01-06T09:00:00Z'
    })
    expect(stored?.updated_at).not.toBe('2025-01-06T09:00:00Z')
    expect(Date.parse(stored?.updated_at ?? '')).toBeGreaterThan(Date.parse('2025-01-06T09:00:00Z'))
    expect(answer.json.result).toEqual({ ...stored, uid: CONTRACTORS_ID })
    assertContract(emulator.requests)
  })

  it('PUT echoes is_default and keeps it when omitted', async () => {
    const include = [{ everyone: {} }]
    await call(emulator, 'PUT', engineering, {
      body: { name: 'Engineering', include, is_default: true }
    })
    const kept = await call(emulator, 'PUT', engineering, {
      body: { name: 'Engineering', include }
    })
    expect(kept.json.result.is_default).toBe(true)
  })

  it('rejects invalid documents with 400 12130 and changes nothing', async () => {
    const before = structuredClone(emulator.state.groups)
    const cases: [unknown, string][] = [
      [{ include: [{ everyone: {} }] }, '"name" is required and must be a non-empty string'],
      [{ name: 'Engineering' }, '"include" is required and must be a non-empty array of rules'],
      [
        { name: 'Engineering', include: [] },
        '"include" is required and must be a non-empty array of rules'
      ],
      [
        {
          name: 'Engineering',
          include: [{ email: { email: 'a@example.com' }, ip: { ip: '10.0.0.1/32' } }]
        },
        'include[0]: each rule must have exactly one key (the rule kind), got 2 (email, ip); put each condition in its own array element'
      ],
      [
        { name: 'Engineering', include: [{ everyone: {} }], exclude: [{}] },
        'exclude[0]: each rule must have exactly one key (the rule kind), got an empty object'
      ],
      [
        { name: 'Engineering', include: [{ everyone: {} }], require: [{ magic: {} }] },
        'require[0]: unknown rule kind "magic"'
      ],
      [
        { name: 'Engineering', include: [{ email: { email: 'not-an-address' } }] },
        'include[0]: rule "email" needs a valid e-mail address, got "not-an-address"'
      ],
      [
        { name: 'Engineering', include: [{ everyone: {} }], exclude: 'nobody' },
        '"exclude" must be an array of rules'
      ],
      [
        { name: 'Engineering', include: [{ everyone: {} }], is_default: 'yes' },
        '"is_default" must be true or false'
      ],
      [
        { name: 'x'.repeat(351), include: [{ everyone: {} }] },
        '"name" must be at most 350 characters, got 351'
      ],
      [
        {
          name: 'Engineering',
          include: Array.from({ length: 999 }, (_, i) => ({
            email: { email: `u${i}@example.com` }
          })),
          require: [{ everyone: {} }, { auth_method: { auth_method: 'mfa' } }]
        },
        'a group can hold at most 1000 rules across include, exclude and require, got 1001'
      ]
    ]
    for (const [body, message] of cases) {
      const answer = await call(emulator, 'PUT', engineering, { body })
      expect(answer.status).toBe(400)
      expect(answer.json.errors).toEqual(invalid(message))
    }
    expect(emulator.state.groups).toEqual(before)
  })

  it('rejects a body that is not JSON with 400 6007', async () => {
    const answer = await call(emulator, 'POST', account('/access/groups'), { rawBody: '{"name": ' })
    expect(answer.status).toBe(400)
    expect(answer.json.errors).toEqual([{ code: 6007, message: 'Malformed JSON in request body' }])
    expect(emulator.requests[0]?.body).toBeUndefined()
  })

  it('deletes with 202 {id}, after which the group is 404 12135 (Access not-found)', async () => {
    const answer = await call(emulator, 'DELETE', engineering)
    expect(answer.status).toBe(202)
    expect(answer.json.result).toEqual({ id: ENGINEERING_ID })
    const gone = await call(emulator, 'GET', engineering)
    expect(gone.status).toBe(404)
    expect(gone.json.errors).toEqual([{ code: 12135, message: 'access.api.error.not_found' }])
    expect(
      (
        await call(emulator, 'PUT', engineering, {
          body: { name: 'x', include: [{ everyone: {} }] }
        })
      ).status
    ).toBe(404)
    expect((await call(emulator, 'DELETE', engineering)).status).toBe(404)
    assertContract(emulator.requests)
  })

  it('filters the list by exact name (duplicates included)', async () => {
    const answer = await call(emulator, 'GET', account('/access/groups?name=Legacy%20VPN'))
    expect(answer.json.result.map((g: { name: string }) => g.name)).toEqual([
      'Legacy VPN',
      'Legacy VPN'
    ])
    expect(new Set(answer.json.result.map((g: { id: string }) => g.id)).size).toBe(2)
  })
})

describe('routes', () => {
  it('answers unknown routes and methods with 400 7003 + 7000', async () => {
    for (const [method, path] of [
      ['GET', account('/zones')],
      ['PATCH', account(`/access/groups/${ENGINEERING_ID}`)],
      ['GET', '/accounts']
    ] as const) {
      const answer = await call(emulator, method, path)
      expect(answer.status).toBe(400)
      expect(answer.json.errors).toEqual([
        {
          code: 7003,
          message: `Could not route to /client/v4${path}, perhaps your object identifier is invalid?`
        },
        { code: 7000, message: 'No route for that URI' }
      ])
    }
  })
})
