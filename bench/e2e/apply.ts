/**
 * The apply benchmark: the committed bundle (dist/index.js) applying a merged pull request of 3,000 changes
 * (bench/e2e/apply-account.ts) on push, against the Cloudflare emulator with per-response latency, as a runner runs it.
 * Prints the process wall, Cloudflare's requests by kind, the 429s, the budget waits and the progress lines the run
 * logged. `npm run bench:e2e` calls it once; alone: `npx tsx bench/e2e/apply.ts [latency ms]`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { PAGE_SIZES } from '../../src/cloudflare/client.js'
import { startEmulator } from '../../src/emulator/index.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub } from '../../test/support/fake-github.js'
import { runBundle } from '../../test/e2e/run-bundle.js'
import { BENCH_TOKEN } from './account.js'
import {
  APPLY_CHANGES,
  APPLY_SIZE,
  applyAccessFile,
  applyRequests,
  applySeed
} from './apply-account.js'
import { extent, recordSpans } from './timeline.js'

const BASE_SHA = '1111111111111111111111111111111111111111'
const HEAD_SHA = '2222222222222222222222222222222222222222'
const MERGE_SHA = '3333333333333333333333333333333333333333'
const REPO = {
  full_name: 'acme/access',
  default_branch: 'main',
  name: 'access',
  owner: { login: 'acme' }
}
const FILE = 'cloudflare-access.yaml'

export interface ApplyBenchResult {
  latencyMs: number
  wallMs: number
  /** From the first Cloudflare request's arrival to the last answer. */
  cloudflareMs: number
  requests: number
  expectedRequests: number
  byKind: Map<string, number>
  tooManyRequests: number
  budgetWaits: string[]
  progressLines: string[]
  applied: string
  markdown: string
}

/** GET list page, GET one object, PUT, POST, DELETE: what the requests were, ids and pages folded. */
function kindOf(method: string, path: string, query: Record<string, string>): string {
  const below = path
    .replace(/^\/client\/v4\/accounts\/[0-9a-f]{32}/, '')
    .replace(/^\/client\/v4/, '')
  if (method === 'GET' && query['page'] !== undefined) return `GET ${below} (list page)`
  return `${method} ${below.replace(/\/(access\/groups|members)\/[^/]+$/, '/$1/:id')}`
}

export async function applyBenchmark(latencyMs = 20): Promise<ApplyBenchResult> {
  const emulator = await startEmulator({ seed: applySeed(), latencyMs })
  const github = await startFakeGitHub()
  const workspace = await mkdtemp(join(tmpdir(), 'bench-apply-'))
  try {
    const merged = applyAccessFile('merged')
    github.state.addPullRequest({
      number: 7,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      mergeCommitSha: MERGE_SHA
    })
    github.state.addReview(7, { user: 'octocat', state: 'APPROVED', commitId: HEAD_SHA })
    github.state.grantPermission('octocat', 'write')
    github.state.addFile(BASE_SHA, FILE, applyAccessFile('base'))
    github.state.addFile(HEAD_SHA, FILE, merged)
    github.state.addFile(MERGE_SHA, FILE, merged)
    github.state.setBranch('main', MERGE_SHA)
    await writeFile(join(workspace, FILE), merged)

    const spans = recordSpans(emulator.requests)
    const start = performance.now()
    const run = await runBundle({
      workspace,
      githubApiUrl: github.url,
      sha: MERGE_SHA,
      ref: 'refs/heads/main',
      eventName: 'push',
      payload: { ref: 'refs/heads/main', before: BASE_SHA, after: MERGE_SHA, repository: REPO },
      inputs: {
        config: FILE,
        'cloudflare-api-token': BENCH_TOKEN,
        'cloudflare-api-url': emulator.url,
        'github-token': FAKE_ACTIONS_TOKEN
      }
    })
    const wallMs = performance.now() - start
    if (run.exitCode !== 0 || run.outputs.applied !== String(APPLY_CHANGES)) {
      throw new Error(
        `apply at ${latencyMs} ms: the bundle exited ${run.exitCode} with applied=${run.outputs.applied ?? '(none)'}, ` +
          `expected ${APPLY_CHANGES}:\n${run.stdout.slice(-3000)}`
      )
    }
    const byKind = new Map<string, number>()
    for (const request of emulator.requests) {
      const kind = kindOf(request.method, request.path, request.query)
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
    }
    const cloudflareMs = extent(spans)
    const lines = run.stdout.split('\n')
    const result = {
      latencyMs,
      wallMs,
      cloudflareMs,
      requests: emulator.requests.length,
      expectedRequests: [...applyRequests().values()].reduce((a, b) => a + b, 0),
      byKind,
      tooManyRequests: emulator.requests.filter((r) => r.status === 429).length,
      budgetWaits: lines.filter((line) => line.includes('Cloudflare request budget: waiting')),
      progressLines: lines.filter((line) => /Apply progress:|Re-read the /.test(line)),
      applied: run.outputs.applied ?? ''
    }
    return { ...result, markdown: section(result) }
  } finally {
    await github.close()
    await emulator.close()
    await rm(workspace, { recursive: true, force: true })
  }
}

const ms = (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`

function section(r: Omit<ApplyBenchResult, 'markdown'>): string {
  const kinds = [...r.byKind].sort(([a], [b]) => a.localeCompare(b))
  const n = (x: number): string => x.toLocaleString('en-US')
  const writes = APPLY_SIZE.groups + APPLY_SIZE.members
  const memberPages = Math.ceil(APPLY_SIZE.members / PAGE_SIZES.members)
  const waits = r.budgetWaits.map((line) => `"${line.trim()}"`).join('; ')
  return `## Apply: a merged pull request of ${n(APPLY_CHANGES)} changes, as a runner runs the bundle

The committed bundle applies, on push, a merged and approved pull request against the Cloudflare emulator at
${r.latencyMs} ms per response: ${n(APPLY_SIZE.groups)} Access groups of ${APPLY_SIZE.rulesPerGroup} e-mail rules each
gain ${APPLY_SIZE.addsPerGroup} people and ${n(APPLY_SIZE.members)} members each gain a role
(${n(APPLY_SIZE.users)} Zero Trust users, ${APPLY_SIZE.roles} roles): ${n(writes)} writes. The emulator enforces
Cloudflare's 1,200 requests per 5 minutes per token (going over blocks the token for the window); the bundle keeps
to its default budget of 1,000.

| process wall | Cloudflare (first request to last answer) | requests / expected | 429s | budget waits | changes applied |
|---|---|---|---|---|---|
| ${ms(r.wallMs)} | ${ms(r.cloudflareMs)} | ${n(r.requests)} / ${n(r.expectedRequests)} | ${r.tooManyRequests} | ${r.budgetWaits.length} | ${n(Number(r.applied))} |

| request | count |
|---|---|
${kinds.map(([kind, count]) => `| \`${kind}\` | ${n(count)} |`).join('\n')}

- Expected: the plan's reads (the token check and one GET per page at the largest page size; apply reads no
  applications), the re-read of the changed objects right before the writes by list pages (1 groups page and
  ${memberPages} members pages, not ${n(writes)} GETs), and one PUT per changed group and member. The test suite asserts
  these counts (test/bench/apply-requests.test.ts). With one GET per changed object it was ${n(r.expectedRequests - 1 - memberPages + writes)}.
- Budget waits: lines the run logged as "Cloudflare request budget: waiting …"${waits ? `: ${waits}` : ''}.
- The run's progress log:
${r.progressLines.map((line) => `  - ${line.trim()}`).join('\n')}
`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await applyBenchmark(process.argv[2] ? Number(process.argv[2]) : 20)
  console.log(result.markdown)
}
