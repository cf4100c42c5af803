/**
 * Hostile pull requests, report side: the committed bundle against the emulator and the GitHub fake. A plan too
 * big for one comment keeps its rows and says honestly what it leaves out; a re-plan that fails marks the earlier
 * comment out of date; a malformed event payload fails clearly with every output set. Cloudflare text carries a
 * credential-like string (a group name someone typed in the dashboard): it must appear in no comment, issue,
 * summary, output or log, and Cloudflare receives no write.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { runBundle, type BundleRun } from '../e2e/run-bundle.js'
import { published } from './published.js'
import { BASE_SHA, DEMO_TOKEN, HEAD_SHA, REPO, ROOT, SEED } from '../e2e/fixtures.js'

/** What Cloudflare echoes: a token pasted into a group name in the dashboard. */
const CLOUDFLARE_SECRET = 'cfut_PastedIntoTheDashboard0123456789abcdef'
const ADDITIONS = 3_000
const OUTPUTS = [
  'has-changes',
  'additions',
  'removals',
  'plan-file',
  'comment-id',
  'issue-number',
  'applied',
  'failed'
]

let emulator: Emulator
let github: FakeGitHub
let workspace: string
let accessFile: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  accessFile = await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(async () => {
  emulator.reset()
  const finance = emulator.state.groups.find((group) => group.name === 'Finance')!
  emulator.state.groups.push({
    ...structuredClone(finance),
    id: 'f0e1d2c3-b4a5-4968-8776-655443322110',
    name: `Ops handover ${CLOUDFLARE_SECRET}`
  })
  github = await startFakeGitHub()
  github.state.addFile(BASE_SHA, 'cloudflare-access.yaml', accessFile)
  github.state.addPullRequest({ number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA })
  workspace = await mkdtemp(join(tmpdir(), 'hostile-reports-'))
})
afterEach(async () => {
  await github.close()
  await rm(workspace, { recursive: true, force: true })
})

const PAYLOAD = {
  action: 'synchronize',
  number: 7,
  repository: REPO,
  pull_request: {
    number: 7,
    user: { login: 'mallory' },
    head: { sha: HEAD_SHA, ref: 'big-batch', repo: { full_name: 'acme/access' } },
    base: { sha: BASE_SHA, ref: 'main', repo: { full_name: 'acme/access' } }
  }
}

function planPullRequest(
  options: { apiUrl?: string; headSha?: string; rawPayload?: string } = {}
): Promise<BundleRun> {
  const headSha = options.headSha ?? HEAD_SHA
  return runBundle({
    workspace,
    githubApiUrl: github.url,
    sha: headSha,
    ref: 'refs/pull/7/merge',
    eventName: 'pull_request',
    payload: {
      ...PAYLOAD,
      pull_request: {
        ...PAYLOAD.pull_request,
        head: { ...PAYLOAD.pull_request.head, sha: headSha }
      }
    },
    ...(options.rawPayload !== undefined ? { rawPayload: options.rawPayload } : {}),
    fastWaits: true,
    inputs: {
      'cloudflare-api-token': DEMO_TOKEN,
      'cloudflare-api-url': options.apiUrl ?? emulator.url,
      'github-token': FAKE_ACTIONS_TOKEN
    }
  })
}

function expectNothingLeaked(run: BundleRun): void {
  expect(published(run, github)).not.toContain(CLOUDFLARE_SECRET)
  expect(published(run, github)).not.toContain('PastedIntoTheDashboard')
  expect(emulator.requests.filter((entry) => entry.method !== 'GET')).toEqual([])
}

/** The example file with `count` more people spread over its four groups (Cloudflare holds 1,000 rules a group). */
function withMembers(count: number): string {
  const anchors = [
    '      - ivan@example.com\n      - email: judy',
    '      - ken@example.org\n',
    '      - erin@example.com\n      - ivan@example.com\n',
    '      - olaf@example.org\n'
  ]
  const perGroup = Math.ceil(count / anchors.length)
  let text = accessFile
  anchors.forEach((anchor, group) => {
    const members = Array.from({ length: Math.min(perGroup, count - group * perGroup) }, (_, i) => {
      const n = String(group * perGroup + i).padStart(4, '0')
      return `      - newcomer${n}@example.com\n`
    }).join('')
    expect(text).toContain(anchor)
    const [first, ...rest] = anchor.split('\n')
    text = text.replace(anchor, `${first}\n${members}${rest.join('\n')}`)
  })
  return text
}

function planComment(): string {
  const comments = github.state.comments.filter((comment) =>
    comment.body.includes('<!-- cloudflare-access-as-code:plan -->')
  )
  expect(comments).toHaveLength(1)
  return comments[0]!.body
}

describe('reports that never mislead', () => {
  test('a 3,000-addition plan: the comment stays under the limit, keeps rows and counts the rest honestly', async () => {
    await writeFile(join(workspace, 'cloudflare-access.yaml'), withMembers(ADDITIONS))
    const run = await planPullRequest()
    expect(run.exitCode, run.stdout).toBe(0)
    expectNothingLeaked(run)
    expect(Number(run.outputs.additions)).toBeGreaterThanOrEqual(ADDITIONS)

    const comment = planComment()
    expect(comment.length).toBeLessThanOrEqual(65_536)
    expect(comment).toContain('Commit `222222222222`')
    const rows = comment.match(/^\| ➕ add \| `newcomer\d{4}@example\.com` \|/gm)?.length ?? 0
    expect(rows).toBeGreaterThan(100)
    const note = /it shows (\d+) of (\d+) changes/.exec(comment)
    expect(note, comment.slice(0, 2_000)).not.toBeNull()
    const [shown, total] = [Number(note![1]), Number(note![2])]
    expect(rows).toBe(shown)
    // Every change left out is counted where it was left out: in its table, or by target when none of it is shown.
    const cut = [...comment.matchAll(/_… (\d+) more changes? to this (?:group|role) not shown\._/g)]
    const unshown = [
      ...comment.matchAll(/^- \*\*(?:Access group|Account role) .*?\*\* — (.+)$/gm)
    ].flatMap((line) => [...line[1]!.matchAll(/(\d+) (?:additions?|removals?)/g)])
    expect(cut.length).toBeGreaterThan(0)
    const counted = [...cut, ...unshown].reduce((sum, match) => sum + Number(match[1]), 0)
    expect(shown + counted).toBe(total)

    // The comment names a fuller copy only because it exists: the summary lists every change.
    expect(comment).toContain('Every change is listed in the job summary of')
    expect(run.summary.match(/^\| ➕ add \| `newcomer\d{4}@example\.com` \|/gm)).toHaveLength(
      ADDITIONS
    )
    expect(run.summary).not.toMatch(/it shows \d+ of/)
    expect(comment).not.toContain('artifact [')
  })

  test('a re-plan that fails marks the earlier comment out of date, naming the commit', async () => {
    await writeFile(
      join(workspace, 'cloudflare-access.yaml'),
      accessFile.replace('ivan@', 'ivana@')
    )
    const first = await planPullRequest()
    expect(first.exitCode, first.stdout).toBe(0)
    expectNothingLeaked(first)
    const earlier = planComment()
    expect(earlier).toContain('Ops handover \\[redacted\\]')
    expect(earlier).not.toContain('out of date')

    // The next push: Cloudflare answers 500 to everything, on every retry.
    emulator.faults.inject({ kind: 'status', status: 500, times: 1_000 })
    const second = await planPullRequest({ headSha: '4444444444444444444444444444444444444444' })
    expect(second.exitCode).toBe(1)
    expectNothingLeaked(second)
    const comment = planComment()
    expect(comment).toContain('> **The plan for commit `444444444444` failed:** Cloudflare API')
    expect(comment).toContain('Everything below is out of date')
    // The earlier plan is still there, below the banner, with its own commit.
    expect(comment).toContain('Commit `222222222222`')
    expect(second.outputs['comment-id']).toBe('')
    for (const name of OUTPUTS) expect(second.outputs).toHaveProperty(name)
  })

  test('a malformed event payload fails with a clear error and sets every output', async () => {
    await writeFile(join(workspace, 'cloudflare-access.yaml'), accessFile)
    const notJson = await planPullRequest({ rawPayload: `{"pull_request": ${CLOUDFLARE_SECRET}` })
    expect(notJson.exitCode).toBe(1)
    expect(notJson.stdout).toContain('::error::The event payload (GITHUB_EVENT_PATH, ')
    expect(notJson.stdout).toContain('is not valid JSON')
    for (const name of OUTPUTS) expect(notJson.outputs).toHaveProperty(name)
    expectNothingLeaked(notJson)
    expect(github.state.comments).toEqual([])

    const noNumber = await planPullRequest({ rawPayload: JSON.stringify({ pull_request: {} }) })
    expect(noNumber.exitCode).toBe(1)
    expect(noNumber.stdout).toContain(
      '::error::The pull_request event payload has no pull_request.number, pull_request.head.sha, pull_request.base.sha'
    )
    for (const name of OUTPUTS) expect(noNumber.outputs).toHaveProperty(name)
    expect(emulator.requests).toEqual([])
  })
})
