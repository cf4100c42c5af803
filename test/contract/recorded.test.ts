/**
 * Recorded Cloudflare answers (test/fixtures/recorded, MPL-2.0) against the client's schemas and the emulator.
 * The client must read every recorded body; the emulator's answer to the same request must have the same shape
 * (same keys, same JSON types), so the emulator cannot quietly share the client's assumptions.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelopeSchema, groupSchema, memberSchema } from '../../src/cloudflare/schemas.js'
import { policyManagedReason } from '../../src/cloudflare/member-policies.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { ENGINEERING_ID, account, call, testSeed } from '../emulator/support.js'

function recorded(name: string): { result: Record<string, unknown>[] } {
  const file = new URL(`../fixtures/recorded/${name}.json`, import.meta.url)
  return (
    JSON.parse(readFileSync(file, 'utf8')) as { response: { result: Record<string, unknown>[] } }
  ).response
}

/** Keys and JSON types, recursively; arrays by their first element. Role permissions are a map by area. */
function shape(value: unknown, path = ''): unknown {
  if (value === null) return 'null'
  if (Array.isArray(value)) return value.length === 0 ? [] : [shape(value[0], `${path}[]`)]
  if (typeof value === 'object') {
    if (path.endsWith('roles[].permissions')) return 'map'
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shape(inner, `${path}.${key}`)])
    )
  }
  return typeof value
}

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ seed: testSeed() })
})
afterAll(async () => {
  await emulator.close()
})

describe('recorded Cloudflare answers', () => {
  it('every recorded body is a success envelope the client reads', () => {
    for (const name of [
      'cloudflare_account_member',
      'cloudflare_zero_trust_access_group',
      'cloudflare_zero_trust_access_application',
      'cloudflare_zero_trust_access_policy'
    ]) {
      expect(envelopeSchema.safeParse(recorded(name)).success, name).toBe(true)
    }
    for (const member of recorded('cloudflare_account_member').result) {
      expect(memberSchema.safeParse(member).success).toBe(true)
    }
    for (const group of recorded('cloudflare_zero_trust_access_group').result) {
      expect(groupSchema.safeParse(group).success).toBe(true)
    }
  })

  it('the emulator lists a role-based member in the recorded shape, with a derived policy the client accepts', async () => {
    const real = recorded('cloudflare_account_member').result[0]!
    const answer = await call(emulator, 'GET', account('/members?per_page=50'))
    const alice = (answer.json.result as Record<string, unknown>[]).find(
      (m) => (m['user'] as { email: string }).email === 'alice@example.com'
    )!
    // The recorded user has first/last names; the test seed leaves Alice's last name null.
    const user = alice['user'] as Record<string, unknown>
    expect(shape({ ...alice, user: { ...user, last_name: 'x' } })).toEqual(shape(real))
    const roles = (alice['roles'] as { name: string }[]).map((r) => r.name)
    expect(policyManagedReason(alice['policies'] as unknown[], roles, testSeed().account_id)).toBe(
      undefined
    )
  })

  it('the emulator lists Access groups in the recorded shape, uid and no is_default', async () => {
    const real = recorded('cloudflare_zero_trust_access_group')
    const answer = await call(emulator, 'GET', account('/access/groups?per_page=1000'))
    const group = (answer.json.result as Record<string, unknown>[])[0]!
    // Rules are the seed's own kinds; their shapes are the rule table's business (rules.ts), not the recording's.
    const withoutRules = (g: Record<string, unknown>) => ({
      ...g,
      include: [],
      exclude: [],
      require: []
    })
    expect(shape(withoutRules(group))).toEqual(shape(withoutRules(real.result[0]!)))
    expect(shape({ ...answer.json, result: [] })).toEqual(shape({ ...real, result: [] }))
  })

  it('the emulator lists Access applications and reusable policies in the recorded shape', async () => {
    const apps = recorded('cloudflare_zero_trust_access_application')
    const policies = recorded('cloudflare_zero_trust_access_policy')
    emulator.reset({
      ...testSeed(),
      apps: [
        {
          name: 'Grafana',
          domain: 'grafana.example.com',
          policies: [{ name: 'staff', include: [{ group: { id: ENGINEERING_ID } }] }]
        }
      ],
      access_policies: [
        { name: 'office', decision: 'non_identity', include: [{ ip: { ip: '192.0.2.0/24' } }] }
      ]
    })
    try {
      const appList = await call(emulator, 'GET', account('/access/apps?per_page=1000'))
      const app = (appList.json.result as Record<string, unknown>[])[0]!
      // The recorded app has no policies; an embedded policy is a reusable policy's record without app_count, with
      // its precedence in this app (API-NOTES, corrections 9).
      expect(shape({ ...app, policies: [] })).toEqual(shape(apps.result[0]!))
      expect(shape({ ...appList.json, result: [] })).toEqual(shape({ ...apps, result: [] }))
      const embedded = (app['policies'] as Record<string, unknown>[])[0]!
      const { app_count: _count, ...reusableRecord } = policies.result[0]!
      expect(shape({ ...embedded, include: [] })).toEqual(
        shape({ ...reusableRecord, include: [], precedence: 1 })
      )

      const policyList = await call(emulator, 'GET', account('/access/policies?per_page=100'))
      expect(shape(policyList.json)).toEqual(shape(policies))
      expect(appList.status).toBe(200)
    } finally {
      emulator.reset(testSeed())
    }
  })
})
