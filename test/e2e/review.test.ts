/**
 * End to end: the access review's decisions, with the committed bundle against the Cloudflare emulator and the
 * loopback GitHub fake. Owners tick boxes in the issue (the fake saves the body, the bundle gets the `issues: edited`
 * event GitHub would send); what counts is attributed, recorded and re-rendered.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parseAccessFiles } from '../../src/config/index.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import {
  certificationKey,
  decisionBoxComment,
  parseDecisionBoxes,
  type Decision
} from '../../src/review/index.js'
import { assertContract } from '../support/openapi-contract.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { runBundle, type BundleOptions } from './run-bundle.js'
import { DEMO_TOKEN, REPO, ROOT, SEED, applyMainBacklog } from './fixtures.js'

const SHA = '3333333333333333333333333333333333333333'
const ALICE = certificationKey('group', 'Engineering', 'alice@example.com')
const BOB = certificationKey('group', 'Engineering', 'bob@example.com')

let emulator: Emulator
let github: FakeGitHub
let workspace: string
let accessFile: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  const example = await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
  // The example file, with people so the review knows whose grants are whose.
  const file = example
    .replace(
      '\nsettings:\n',
      "\npeople:\n  octocat: octocat@example.com\n  bob: bob@example.com\n\nsettings:\n  review:\n    escalate_to: ['@acme/ciso']\n"
    )
    .replace("owners: [octocat, '@acme/platform']", "owners: [octocat, bob, '@acme/platform']")
  expect(file).toContain('owners: [octocat, bob,')
  accessFile = file
  workspace = await mkdtemp(join(tmpdir(), 'e2e-review-'))
  await writeFile(join(workspace, 'cloudflare-access.yaml'), file)
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(async () => {
  emulator.reset()
  github = await startFakeGitHub()
  // The default branch holds the access file: the revocations pull request is cut from it.
  github.state.addFile(
    '1111111111111111111111111111111111111111',
    'cloudflare-access.yaml',
    accessFile
  )
  github.state.setBranch('main', '1111111111111111111111111111111111111111')
})
afterEach(async () => {
  await github.close()
  assertContract(emulator.requests)
})

function run(options: Pick<BundleOptions, 'eventName' | 'payload' | 'now'> & { sha?: string }) {
  return runBundle({
    workspace,
    githubApiUrl: github.url,
    sha: options.sha ?? SHA,
    ref: 'refs/heads/main',
    ...options,
    inputs: {
      'cloudflare-api-token': DEMO_TOKEN,
      'cloudflare-api-url': emulator.url,
      'github-token': FAKE_ACTIONS_TOKEN
    }
  })
}

const cloudflareWrites = () => emulator.requests.filter((entry) => entry.method !== 'GET')

const schedule = (now?: string) => ({
  eventName: 'schedule',
  payload: { schedule: '0 6 * * *', repository: REPO },
  now
})

async function openReview(now?: string) {
  const result = await run(schedule(now))
  expect(result.exitCode, result.stdout).toBe(0)
  expect(github.state.issues).toHaveLength(1)
  return github.state.issues[0]!
}

function tick(body: string, decision: Decision, key: string): string {
  const box = `[ ] ${decision} ${decisionBoxComment(decision, key)}`
  expect(body).toContain(box)
  return body.replace(box, `[x] ${decision} ${decisionBoxComment(decision, key)}`)
}

function editedPayload(number: number, from: string, to: string, login: string, type = 'User') {
  return {
    action: 'edited',
    issue: { number, body: to, user: { login: 'github-actions[bot]' } },
    changes: { body: { from } },
    sender: { login, type },
    repository: REPO
  }
}

/** What GitHub does when someone ticks a box: save the body, then send the event with the body before. */
async function userTicks(login: string, decision: Decision, key: string) {
  const issue = github.state.issues[0]!
  const from = issue.body
  issue.body = tick(from, decision, key)
  const result = await run({
    eventName: 'issues',
    payload: editedPayload(issue.number, from, issue.body, login)
  })
  expect(result.exitCode, result.stdout).toBe(0)
  return { result, body: github.state.issues[0]!.body }
}

const ticked = (body: string) =>
  [...parseDecisionBoxes(body)].filter(([, on]) => on).map(([id]) => id)

describe('review decisions on issues: edited', () => {
  test('an owner keeps and another revokes: recorded, attributed, and nothing written to Cloudflare', async () => {
    const issue = await openReview()
    await userTicks('octocat', 'keep', ALICE)
    const { body } = await userTicks('octocat', 'revoke', BOB)
    expect(ticked(body)).toEqual([`keep ${ALICE}`, `revoke ${BOB}`])
    expect(body).toMatch(/`alice@example\.com` — [^\n]*\*\*kept\*\* by `octocat`/)
    expect(body).toMatch(/`bob@example\.com` — [^\n]*\*\*revoked\*\* by `octocat`/)
    const records = github.state.commentsOn(issue.number)
    expect(records).toHaveLength(2)
    expect(records.every((comment) => comment.author === 'github-actions[bot]')).toBe(true)
    expect(cloudflareWrites()).toEqual([])
  })

  test('a non-owner’s tick is reverted with a note; an owner’s own grant is refused', async () => {
    await openReview()
    const stranger = await userTicks('mallory', 'revoke', ALICE)
    expect(ticked(stranger.body)).toEqual([])
    expect(stranger.body).toContain(
      '`mallory` ticked **revoke** for `alice@example.com` in Access group Engineering: mallory is not an owner'
    )
    const own = await userTicks('bob', 'keep', BOB)
    expect(ticked(own.body)).toEqual([])
    expect(own.body).toContain('it is their own grant; another owner decides it.')
  })

  test('two owners ticking at once: both decisions survive the serialised runs', async () => {
    const issue = await openReview()
    const r0 = issue.body
    const h1 = tick(r0, 'keep', ALICE)
    const h2 = tick(h1, 'keep', BOB)
    issue.body = h2
    const first = await run({
      eventName: 'issues',
      payload: editedPayload(issue.number, r0, h1, 'bob')
    })
    const second = await run({
      eventName: 'issues',
      payload: editedPayload(issue.number, h1, h2, 'octocat')
    })
    expect(first.exitCode, first.stdout).toBe(0)
    expect(second.exitCode, second.stdout).toBe(0)
    expect(ticked(github.state.issues[0]!.body)).toEqual([`keep ${ALICE}`, `keep ${BOB}`])
  })

  test('an edit by a bot is ignored: no Cloudflare request, no write', async () => {
    const issue = await openReview()
    const requests = emulator.requests.length
    const comments = github.state.comments.length
    const from = issue.body
    issue.body = tick(from, 'keep', ALICE)
    const result = await run({
      eventName: 'issues',
      payload: editedPayload(issue.number, from, issue.body, 'github-actions[bot]', 'Bot')
    })
    expect(result.exitCode, result.stdout).toBe(0)
    expect(emulator.requests).toHaveLength(requests)
    expect(github.state.comments).toHaveLength(comments)
  })
})

describe('reminders and the due date (clock fixed: the December 2026 review is due 15 December)', () => {
  const reminders = () =>
    github.state.comments.filter((comment) => comment.body.includes('review-reminder:2026-12:'))

  test('a reminder day mentions exactly the owners with undecided grants, once a day', async () => {
    await openReview('2026-12-12T06:00:00Z')
    expect(reminders()).toEqual([])
    await run(schedule('2026-12-12T06:00:00Z'))
    await run(schedule('2026-12-12T18:00:00Z'))
    expect(reminders()).toHaveLength(1)
    const body = reminders()[0]!.body
    expect(body).toContain('this review is due 2026-12-15 (in 3 days)')
    expect(body.match(/@[A-Za-z0-9/-]+/g)).toEqual([
      '@acme/platform',
      '@acme/security',
      '@acme/sre',
      '@acme/vendor-management',
      '@bob',
      '@octocat'
    ])
    // The 13th is no reminder day; the 14th is.
    await run(schedule('2026-12-13T06:00:00Z'))
    expect(reminders()).toHaveLength(1)
    await run(schedule('2026-12-14T06:00:00Z'))
    expect(reminders()).toHaveLength(2)
    expect(cloudflareWrites()).toEqual([])
  })

  test('after the due date with keep, undecided grants are exceptions and reminders go out daily', async () => {
    const issue = await openReview('2026-12-10T06:00:00Z')
    await userTicks('octocat', 'keep', ALICE)
    await run(schedule('2026-12-16T06:00:00Z'))
    await run(schedule('2026-12-17T06:00:00Z'))
    const body = github.state.issues[0]!.body
    expect(body).toContain('due 2026-12-15 (passed 2 days ago)')
    expect(body).toContain('### Exceptions: undecided after the due date')
    expect(body).toMatch(/### Exceptions[^#]*- `bob@example\.com` in Access group Engineering/)
    expect(body).not.toMatch(/### Exceptions[^#]*`alice@example\.com` in Access group Engineering/)
    expect(reminders().map((comment) => comment.body.split('\n')[0])).toEqual([
      '<!-- cloudflare-access-as-code:review-reminder:2026-12:2026-12-16 -->',
      '<!-- cloudflare-access-as-code:review-reminder:2026-12:2026-12-17 -->'
    ])
    expect(reminders()[1]!.body).toContain('Escalated to @acme/ciso: the due date has passed.')
    expect(github.state.commentsOn(issue.number)).toHaveLength(3)
    expect(cloudflareWrites()).toEqual([])
  })
})

describe('the review revocations pull request', () => {
  const BRANCH = 'access-review/2026-12-revocations'
  const BASE = '1111111111111111111111111111111111111111'
  const MERGE = '4444444444444444444444444444444444444444'
  const engineering = () =>
    emulator.state.groups
      .find((group) => group.name === 'Engineering')!
      .include.map((rule) => (rule as { email?: { email: string } }).email?.email)
      .filter(Boolean)

  test('is created on the first revoke, updated by the next, and once approved and merged, applied', async () => {
    github.state.addFile(BASE, 'cloudflare-access.yaml', accessFile)
    github.state.setBranch('main', BASE)
    await openReview('2026-12-10T06:00:00Z')
    await userTicks('octocat', 'revoke', BOB)
    expect(github.state.pulls).toHaveLength(1)
    expect(github.state.filesAt(BRANCH)?.get('cloudflare-access.yaml')).toBe(
      accessFile.replace('      - bob@example.com\n', '')
    )
    const dave = certificationKey('group', 'Engineering', 'Dave@Example.com')
    const { body } = await userTicks('octocat', 'revoke', dave)
    expect(github.state.pulls).toHaveLength(1)
    const pull = github.state.pulls[0]!
    expect(pull).toMatchObject({ headRef: BRANCH, baseRef: 'main', author: 'github-actions[bot]' })
    expect(pull.title).toBe('Access review December 2026: revocations')
    const merged = github.state.filesAt(BRANCH)!.get('cloudflare-access.yaml')!
    expect(merged).toBe(
      accessFile
        .replace('      - bob@example.com\n', '')
        .replace(
          '      - dave@example.com # Cloudflare spells it Dave@Example.com: same person, no change\n',
          ''
        )
    )
    expect(body).toContain(`Pull request #${pull.number} removes these from the access file`)
    expect(cloudflareWrites()).toEqual([])

    // An owner approves the branch's tip and it is merged: the push to main applies it like any access change.
    const head = github.state.branches.get(BRANCH)!
    github.state.addReview(pull.number, { user: 'octocat', state: 'APPROVED', commitId: head })
    github.state.grantPermission('octocat', 'write')
    Object.assign(pull, {
      headSha: head,
      baseSha: BASE,
      state: 'closed',
      mergedAt: '2026-12-11T10:00:00Z',
      mergeCommitSha: MERGE
    })
    github.state.associateCommit(MERGE, pull.number)
    github.state.addFile(MERGE, 'cloudflare-access.yaml', merged)
    github.state.setBranch('main', MERGE)
    await writeFile(join(workspace, 'cloudflare-access.yaml'), merged)
    // The revocations pull request approves its removals only; ivan's SRE On-Call grant waiting on main is not its.
    applyMainBacklog(emulator)
    try {
      expect(engineering()).toEqual(expect.arrayContaining(['bob@example.com', 'Dave@Example.com']))
      const apply = await run({
        eventName: 'push',
        sha: MERGE,
        payload: { ref: 'refs/heads/main', before: BASE, after: MERGE, repository: REPO }
      })
      expect(apply.exitCode, apply.stdout).toBe(0)
      expect(engineering()).not.toContain('bob@example.com')
      expect(engineering()).not.toContain('Dave@Example.com')
      expect(engineering()).toContain('alice@example.com')
    } finally {
      await writeFile(join(workspace, 'cloudflare-access.yaml'), accessFile)
    }
  })
})

describe('the due date passing with on_no_decision: revoke', () => {
  test('undecided grants join the revocations pull request; kept ones stay', async () => {
    const revokeFile = accessFile.replace('  review:\n', '  review:\n    on_no_decision: revoke\n')
    expect(revokeFile).toContain('on_no_decision: revoke')
    await writeFile(join(workspace, 'cloudflare-access.yaml'), revokeFile)
    try {
      github.state.addFile(
        '1111111111111111111111111111111111111111',
        'cloudflare-access.yaml',
        revokeFile
      )
      github.state.setBranch('main', '1111111111111111111111111111111111111111')
      await openReview('2026-12-10T06:00:00Z')
      await userTicks('octocat', 'keep', ALICE)
      expect(github.state.pulls).toEqual([])
      await run(schedule('2026-12-16T06:00:00Z'))
      const body = github.state.issues[0]!.body
      expect(body).toContain('### Undecided after the due date: to be revoked')
      expect(github.state.pulls).toHaveLength(1)
      const proposed = github.state
        .filesAt('access-review/2026-12-revocations')!
        .get('cloudflare-access.yaml')!
      const parsed = parseAccessFiles([{ path: 'cloudflare-access.yaml', text: proposed }])
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
      // Only the grants in Cloudflare are reviewed: ivan and judy (not there yet) stay, alice was kept.
      const engineering = parsed.desired.groups.find((group) => group.name === 'Engineering')!
      expect(engineering.members.map((grant) => grant.key)).toEqual([
        'alice@example.com',
        'ivan@example.com',
        'judy@example.org'
      ])
      expect(cloudflareWrites()).toEqual([])
    } finally {
      await writeFile(join(workspace, 'cloudflare-access.yaml'), accessFile)
    }
  })
})

describe('evidence', () => {
  test('a complete review proposes its evidence once: a record that validates and counts that match the account', async () => {
    await openReview('2026-12-10T06:00:00Z')
    // Past the due date with on_no_decision: keep, every undecided grant is an exception: the review is complete.
    await run(schedule('2026-12-16T06:00:00Z'))
    const evidence = github.state.pulls.filter(
      (pull) => pull.headRef === 'access-review/2026-12-evidence'
    )
    expect(evidence).toHaveLength(1)
    expect(evidence[0]!.title).toBe('Access review December 2026: evidence')
    const files = github.state.filesAt('access-review/2026-12-evidence')!
    const record = JSON.parse(files.get('access-reviews/2026-12/record.json')!)
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats.default(ajv)
    const validate = ajv.compile(
      JSON.parse(await readFile(join(ROOT, 'schema/access-review-record.schema.json'), 'utf8'))
    )
    expect(validate(record), JSON.stringify(validate.errors)).toBe(true)
    const boxes = parseDecisionBoxes(github.state.issues[0]!.body)
    expect(record.population.counts).toMatchObject({
      accessGroups: emulator.state.groups.length,
      accountMembers: emulator.state.members.length,
      zeroTrustUsers: emulator.state.users.length,
      grants: boxes.size / 2
    })
    expect(record.grants).toHaveLength(boxes.size / 2)
    expect(record.totals.exceptions).toBe(boxes.size / 2)
    expect(files.get('access-reviews/2026-12/record.csv')!.split('\r\n')).toHaveLength(
      boxes.size / 2 + 2
    )
    expect(files.get('access-reviews/2026-12/report.md')).toContain(
      '# Access review December 2026: evidence'
    )

    // The record is the account as the review completed: later runs leave it alone.
    const tip = github.state.branches.get('access-review/2026-12-evidence')
    await run(schedule('2026-12-17T06:00:00Z'))
    expect(github.state.branches.get('access-review/2026-12-evidence')).toBe(tip)
    expect(
      github.state.pulls.filter((pull) => pull.headRef === 'access-review/2026-12-evidence')
    ).toHaveLength(1)
    expect(cloudflareWrites()).toEqual([])
  })
})
