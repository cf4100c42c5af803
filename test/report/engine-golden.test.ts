/**
 * Goldens rendered from the real engine, not from a hand-built plan: the example access file planned against the
 * sample account as the emulator serves it, through the client's reads. A change anywhere on that path (parsing,
 * classification, planning, rendering) shows here as a diff someone has to explain.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createCloudflareClient } from '../../src/cloudflare/index.js'
import { parseAccessFiles } from '../../src/config/index.js'
import { planChanges } from '../../src/diff/index.js'
import { loadAccountSeed, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { readGroupApplications } from '../../src/modes/common.js'
import type { DesiredState } from '../../src/model/index.js'
import { renderPlanComment, renderPlanText } from '../../src/report/index.js'
import { expectGolden } from './golden.js'

const ROOT = resolve(import.meta.dirname, '../..')
const SEED = loadAccountSeed(join(ROOT, 'examples/sample-account.yaml'))
const NOW = new Date('2026-11-29T12:00:00Z')

let emulator: Emulator
let example: string
beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  example = await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
})
afterAll(() => emulator.close())

async function planFor(text: string) {
  const parsed = parseAccessFiles([{ path: 'cloudflare-access.yaml', text }])
  if (!parsed.ok) throw new Error(parsed.errors.map((error) => error.message).join('\n'))
  const client = createCloudflareClient({
    apiUrl: emulator.url,
    accountId: SEED.account_id,
    credentials: { kind: 'token', token: 'demo-token-0123456789abcdef0123456789ab' }
  })
  await client.verifyCredentials()
  const snapshot = await client.readAccountSnapshot()
  const desired: DesiredState = parsed.desired
  const plan = planChanges(desired, snapshot, {
    now: NOW,
    expiryWarningDays: 14,
    allowMassRemoval: false,
    allowLockout: false
  })
  return { plan, groupApplications: await readGroupApplications(client, snapshot) }
}

describe('the example file against the sample account, end to end through the engine', () => {
  test('plan comment', async () => {
    const { plan, groupApplications } = await planFor(example)
    expectGolden(
      'engine/plan-comment-example.md',
      renderPlanComment({
        plan,
        groupApplications,
        configErrors: [],
        ownerApprovals: [],
        notes: [],
        runUrl: 'https://github.com/acme/access/actions/runs/1'
      })
    )
  })

  test('plan text', async () => {
    const { plan } = await planFor(example)
    expectGolden('engine/plan-text-example.txt', renderPlanText(plan, []))
  })

  test('a misspelt group is named once with its suggestion, not twice', async () => {
    const { plan, groupApplications } = await planFor(
      example.replace('  SRE On-Call:\n', '  SRE On-Cal:\n')
    )
    const comment = renderPlanComment({
      plan,
      groupApplications,
      configErrors: [],
      ownerApprovals: [],
      notes: []
    })
    expect(comment.match(/Did you mean/g)).toHaveLength(1)
    expect(comment).toContain('Did you mean "SRE On-Call"?')
    const text = renderPlanText(plan, [])
    expect(text.match(/did you mean/gi)).toHaveLength(1)
  })
})
