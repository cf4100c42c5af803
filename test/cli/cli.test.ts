/** The local CLI against the emulator: what an administrator sees and what it changes. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { runCli, type CliIO } from '../../src/cli/commands.js'
import { loadAccountSeed, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { reviewMarker } from '../../src/report/index.js'
import {
  certificationKey,
  decisionRecordMarker,
  decisionRecordPayload,
  evidenceRecordJsonSchema,
  type DecisionRecord
} from '../../src/review/index.js'
import { assertContract } from '../support/openapi-contract.js'
import { startFakeGitHub } from '../support/fake-github.js'

const ROOT = resolve(import.meta.dirname, '../..')
const SEED = loadAccountSeed(join(ROOT, 'examples/sample-account.yaml'))
const TOKEN = 'demo-token-0123456789abcdef0123456789ab'
const NOW = new Date('2026-11-29T12:00:00Z')

let emulator: Emulator
let workspace: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  workspace = await mkdtemp(join(tmpdir(), 'cli-'))
  await writeFile(
    join(workspace, 'cloudflare-access.yaml'),
    await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
  )
})
afterAll(() => emulator.close())
beforeEach(() => emulator.reset())
afterEach(() => assertContract(emulator.requests))

async function cli(args: string[], env: Record<string, string> = { CLOUDFLARE_API_TOKEN: TOKEN }) {
  let out = ''
  let err = ''
  const io: CliIO = {
    out: (text) => (out += text),
    err: (text) => (err += text.endsWith('\n') ? text : `${text}\n`),
    env,
    cwd: workspace,
    now: () => NOW
  }
  const code = await runCli([...args, '--api-url', emulator.url], io)
  return { code, out, err }
}

const writes = () => emulator.requests.filter((entry) => entry.method !== 'GET')

describe('cloudflare-access CLI', () => {
  it('plan prints the changes Terraform-style and writes nothing', async () => {
    const result = await cli(['plan'])

    expect(result.code).toBe(0)
    expect(result.out).toContain(
      '-  remove  mallory@example.org  drift (in Cloudflare, not in the file)'
    )
    expect(result.out).toContain('+  invite  carol@example.com  requested')
    expect(result.out).toContain('~  grant   dave@example.com   requested')
    expect(result.out).toContain(
      '~  revoke  alice@example.com  drift (in Cloudflare, not in the file)'
    )
    expect(result.out).toContain('  adds ivan@example.com to SRE On-Call: opens ssh.example.com\n')
    expect(result.out.trimEnd().endsWith('Plan: 5 to add, 2 to remove.')).toBe(true)
    expect(writes()).toEqual([])
  })

  it('plan --json prints the plan as JSON', async () => {
    const result = await cli(['plan', '--json'])

    const plan = JSON.parse(result.out)
    expect(plan.stats).toMatchObject({ additions: 5, removals: 2 })
    expect(plan.generatedAt).toBe(NOW.toISOString())
  })

  it('apply without --yes shows the plan and changes nothing', async () => {
    const result = await cli(['apply'])

    expect(result.code).toBe(1)
    expect(result.err).toContain('Nothing was changed. Re-run with --yes')
    expect(writes()).toEqual([])
  })

  it('apply --yes applies, and a second plan shows no changes', async () => {
    const applied = await cli(['apply', '--yes'])
    expect(applied.code).toBe(0)
    expect(applied.out).toContain('7 applied, 0 failed, 0 skipped.')
    // Two group PUTs, two member PUTs (dave's grant, alice's revocation), one invitation.
    expect(writes()).toHaveLength(5)

    const again = await cli(['plan'])
    expect(again.code).toBe(0)
    expect(again.out).toContain('No changes. Cloudflare matches the access file.')
  })

  it('export writes a file that plans to no changes', async () => {
    const exported = await cli([
      'export',
      '--account-id',
      SEED.account_id as string,
      '--out',
      join(workspace, 'exported.yaml')
    ])
    expect(exported.code).toBe(0)

    const planned = await cli(['plan', '--config', 'exported.yaml'])
    expect(planned.err).toBe('')
    expect(planned.out).toContain('No changes. Cloudflare matches the access file.')
    expect(writes()).toEqual([])
  })

  it('reports access file errors with file:line:column and reads nothing', async () => {
    await writeFile(
      join(workspace, 'bad.yaml'),
      'version: 1\ngroups:\n  Engineering:\n    owners: []\n'
    )

    const result = await cli(['plan', '--config', 'bad.yaml'])

    expect(result.code).toBe(1)
    expect(result.err).toMatch(/^bad\.yaml:3:\d+: /m)
    expect(result.err).toContain('nothing was read or changed')
    expect(emulator.requests).toEqual([])
  })

  it('refuses to run without credentials, naming the variables', async () => {
    const result = await cli(['plan'], {})

    expect(result.code).toBe(2)
    expect(result.err).toContain(
      'set CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY with CLOUDFLARE_EMAIL'
    )
    expect(emulator.requests).toEqual([])
  })

  it('a read-only token plans but cannot apply, and the error names the missing permission', async () => {
    const env = { CLOUDFLARE_API_TOKEN: 'demo-readonly-token-0123456789abcdef012' }
    expect((await cli(['plan'], env)).code).toBe(0)

    const result = await cli(['apply', '--yes'], env)

    expect(result.code).toBe(1)
    expect(result.out).toContain('failed')
    expect(result.out).toContain(
      'lacks the "Access: Organizations, Identity Providers, and Groups Edit" permission'
    )
    expect(result.out).toContain('0 applied, 7 failed, 0 skipped.')
    expect(result.out).not.toContain('demo-readonly-token')
  })

  it('takes --account-id in any case as the account_id of the file, and refuses another account', async () => {
    const same = await cli(['plan', '--account-id', 'DEF0B17F603285EF4336F6E3E3DCD43C'])
    expect(same.code, same.err).toBe(0)
    expect(same.out).toContain('Plan: 5 to add, 2 to remove.')

    // The Action's check (loadDesiredState), so the Action's wording and place, naming the flag: an access file error.
    const other = await cli(['plan', '--account-id', 'ffffffffffffffffffffffffffffffff'])
    expect(other.code).toBe(1)
    expect(other.err).toContain(
      'cloudflare-access.yaml:1:1: account_id def0b17f603285ef4336f6e3e3dcd43c in the access file conflicts with --account-id ffffffffffffffffffffffffffffffff. Remove one or make them agree.'
    )
    expect(other.err).toContain('nothing was read or changed')
  })

  it('review prints readable text in a terminal, and the issue Markdown with --markdown', async () => {
    const text = await cli(['review'])
    expect(text.code, text.err).toBe(0)
    expect(text.out).not.toContain('<!--')
    expect(text.out).not.toContain('| --- |')
    expect(text.out).toMatch(/^Cloudflare access review: November 2026\n=+\n/)

    const markdown = await cli(['review', '--markdown'])
    expect(markdown.out).toContain('<!-- cloudflare-access-as-code:review:2026-11 -->')
    expect(markdown.out.startsWith('## Cloudflare access review: November 2026\n')).toBe(true)
  })

  it('review --stale-after-days must be a whole number', async () => {
    const result = await cli(['review', '--stale-after-days', 'soon'])
    expect(result.code).toBe(2)
    expect(result.err).toContain('--stale-after-days must be a whole number.')
  })

  it('a guard names the CLI flag that overrides it, never an Action input', async () => {
    const blocked = await cli(['plan', '--max-removals', '0'])
    expect(blocked.code).toBe(1)
    expect(blocked.out).toContain(
      'blocking    This plan removes 2 grants, more than the limit of 0. If these removals are intended, raise max_removals in the access file settings. (override with --allow-mass-removal)'
    )
    expect(blocked.out + blocked.err).not.toContain('action input')

    const overridden = await cli(['plan', '--max-removals', '0', '--allow-mass-removal'])
    expect(overridden.code).toBe(0)
    expect(overridden.out).toContain('(--allow-mass-removal is set)')
    expect(writes()).toEqual([])
  })

  it('apply --expired-only revokes the expired grant and nothing else', async () => {
    // Alice is in Engineering in Cloudflare; her grant in the file ended before NOW.
    const file = (await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')).replace(
      '      - alice@example.com\n      - bob@example.com',
      '      - email: alice@example.com\n        expires: 2026-11-01\n      - bob@example.com'
    )
    await writeFile(join(workspace, 'expired.yaml'), file)

    const result = await cli(['apply', '--config', 'expired.yaml', '--expired-only', '--yes'])

    expect(result.code, result.err).toBe(0)
    expect(result.out).toContain('Plan: 0 to add, 1 to remove.')
    const engineering = emulator.state.groups.find((group) => group.name === 'Engineering')!
    expect(writes().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `PUT /client/v4/accounts/${SEED.account_id}/access/groups/${engineering.id}`
    ])
    expect(JSON.stringify(engineering.include)).not.toContain('alice@example.com')
    expect(JSON.stringify(engineering.include)).not.toContain('ivan@example.com')
  })

  it('takes the Action input names for the review options', async () => {
    const result = await cli(['review', '--review-period', 'fortnight'])
    expect(result.code).toBe(2)
    expect(result.err).toContain('--review-period must be month, quarter or week.')
    expect((await cli(['review', '--review-period', 'quarter', '--markdown'])).out).toContain(
      '2026-Q4'
    )
  })

  it('answers an unknown command with usage', async () => {
    const result = await cli(['destroy'])
    expect(result.code).toBe(2)
    expect(result.err).toContain('Unknown command "destroy".')
    expect(result.err).toContain('Usage: cloudflare-access <command> [options]')
  })
})

describe('review --evidence', () => {
  it('writes the record, CSV and report, with the decisions read from the review issue', async () => {
    const github = await startFakeGitHub()
    try {
      github.state.addToken('ghp_auditor_token', { login: 'auditor' })
      const issue = github.state.addIssue({
        title: 'Cloudflare access review: November 2026',
        body: `${reviewMarker('2026-11')}\nreview`,
        author: 'github-actions[bot]',
        labels: ['access-review']
      })
      const alice = certificationKey('group', 'Engineering', 'alice@example.com')
      const bob = certificationKey('group', 'Engineering', 'bob@example.com')
      const recordOf = (decisions: DecisionRecord[]) =>
        `${decisionRecordMarker('2026-11')}\n${decisionRecordPayload({ accepted: decisions, refused: [] })}\n`
      github.state.addComment(
        issue.number,
        'github-actions[bot]',
        recordOf([{ key: alice, decision: 'keep', by: 'octocat', at: '2026-11-20T10:00:00.000Z' }])
      )
      // A record anyone else wrote proves nothing.
      github.state.addComment(
        issue.number,
        'mallory',
        recordOf([{ key: bob, decision: 'keep', by: 'octocat', at: '2026-11-20T10:00:00.000Z' }])
      )
      const out = await mkdtemp(join(tmpdir(), 'evidence-'))
      const result = await cli(['review', '--evidence', out, '--repo', 'acme/access'], {
        CLOUDFLARE_API_TOKEN: TOKEN,
        GITHUB_TOKEN: 'ghp_auditor_token',
        GITHUB_API_URL: github.url
      })
      expect(result.code, result.err).toBe(0)
      const record = JSON.parse(await readFile(join(out, 'record.json'), 'utf8'))
      const ajv = new Ajv2020({ allErrors: true, strict: false })
      addFormats.default(ajv)
      const validate = ajv.compile(evidenceRecordJsonSchema())
      expect(validate(record), JSON.stringify(validate.errors)).toBe(true)
      const grant = (key: string) =>
        record.grants.find((entry: { key: string }) => entry.key === key)
      expect(grant(alice)).toMatchObject({
        decision: 'keep',
        decidedBy: 'octocat',
        outcome: 'kept'
      })
      expect(grant(bob)).toMatchObject({ decision: null, outcome: 'exception' })
      expect(record.population.counts).toMatchObject({
        accessGroups: emulator.state.groups.length,
        accountMembers: emulator.state.members.length
      })
      expect((await readFile(join(out, 'record.csv'), 'utf8')).split('\r\n')[0]).toBe(
        'kind,name,email,in_file,last_login,expires,reason,decision,decided_by,decided_at,outcome'
      )
      expect(await readFile(join(out, 'report.md'), 'utf8')).toContain(
        '# Access review November 2026: evidence'
      )
      expect(writes()).toEqual([])
    } finally {
      await github.close()
    }
  })
})
