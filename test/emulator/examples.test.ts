import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCloudflareClient } from '../../src/cloudflare/index.js'
import { parseAccessFiles } from '../../src/config/index.js'
import { planChanges } from '../../src/diff/index.js'
import { loadAccountSeed, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'

const ACCESS_FILE = 'examples/cloudflare-access.yaml'
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ seed: loadAccountSeed('examples/sample-account.yaml') })
})
afterAll(async () => {
  await emulator.close()
})

describe('examples', () => {
  it('the example access file, planned against the sample account, asks for what its header says', async () => {
    const parsed = parseAccessFiles([
      { path: ACCESS_FILE, text: readFileSync(ACCESS_FILE, 'utf8') }
    ])
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors, null, 2))
    const client = createCloudflareClient({
      apiUrl: emulator.url,
      accountId: emulator.state.accountId,
      credentials: { kind: 'token', token: 'demo-token-0123456789abcdef0123456789ab' }
    })
    const snapshot = await client.readAccountSnapshot()
    const plan = planChanges(parsed.desired, snapshot, {
      now: new Date('2026-12-01T00:00:00Z'),
      expiryWarningDays: 14,
      allowMassRemoval: false,
      allowLockout: false
    })
    expect(plan.changes.map((c) => [c.action, c.target.name, c.email, c.cause])).toEqual([
      ['remove', 'Engineering', 'mallory@example.org', 'drift'],
      ['add', 'Engineering', 'ivan@example.com', 'requested'],
      ['add', 'Engineering', 'judy@example.org', 'requested'],
      ['add', 'SRE On-Call', 'ivan@example.com', 'requested'],
      ['invite', 'Administrator Read Only', 'carol@example.com', 'requested'],
      ['grant', 'Administrator Read Only', 'dave@example.com', 'requested'],
      ['revoke', 'Cloudflare Zero Trust', 'alice@example.com', 'drift']
    ])
    // ivan@example.com holds a deny policy: named, never changed.
    expect(plan.findings.map((f) => [f.kind, f.email])).toEqual([
      ['policy-member', 'ivan@example.com']
    ])
    expect(plan.changes.find((c) => c.email === 'judy@example.org')?.expires).toBe(
      '2027-01-31T00:00:00.000Z'
    )
    expect(plan.unmanaged.groups.map((g) => g.name)).toEqual(['Finance', 'Legacy VPN'])
    assertContract(emulator.requests)
  })
})
