/**
 * Access review benchmark: 2,000 Access groups of 25 members (50,000 grants), each group owned by one of 200 owners.
 * Measures building the review and rendering it (median and p95), then runs the review mode in process against the
 * loopback GitHub fake (real HTTP, the Action's own Octokit client) and a faked Cloudflare client: the first scheduled
 * run (opens the review issue and its parts), an owner's tick in a part, and the next day's scheduled run, each
 * with its wall time, GitHub requests (by method) and the largest body written. Run with `npm run bench`.
 */
import { performance } from 'node:perf_hooks'
import { MAX_BODY_LENGTH, createGitHubPort, createOctokit } from '../src/github/index.js'
import type { EventInfo } from '../src/github/index.js'
import { runReview } from '../src/modes/review.js'
import { parseAccessFiles } from '../src/config/index.js'
import { planChanges } from '../src/diff/index.js'
import {
  parseReviewPartMarker,
  renderReviewIssue,
  renderReviewPart,
  splitInventory
} from '../src/report/index.js'
import {
  buildAccessReview,
  certificationKey,
  decisionBoxComment,
  parseDecisionBoxes,
  reviewPeriod,
  type DecisionRecord
} from '../src/review/index.js'
import { harness } from '../test/modes/fakes.js'
import {
  LARGE_GROUPS,
  LARGE_MEMBERS,
  largeEmail,
  largeGroupName,
  largeReviewAccount
} from '../test/fixtures/review/large-account.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub } from '../test/support/fake-github.js'

const RUNS = 5
const NOW = new Date('2026-03-05T12:00:00.000Z')
const { snapshot, files } = largeReviewAccount()
const parsed = parseAccessFiles(files)
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
const desired = parsed.desired
const plan = planChanges(desired, snapshot, {
  now: NOW,
  expiryWarningDays: 14,
  allowMassRemoval: false,
  allowLockout: false
})

// 1. Pure: build the review, cut it into parts, render every part and the tracking issue (half the grants decided).
const times: number[] = []
let largest = 0
let partCount = 0
for (let run = 0; run < RUNS; run++) {
  const start = performance.now()
  const review = buildAccessReview(desired, snapshot, plan, {
    now: NOW,
    staleAfterDays: 90,
    expiryWarningDays: 14
  })
  const decisions = new Map<string, DecisionRecord>()
  review.inventory.forEach((section, index) => {
    if (index % 2 === 0) return
    for (const item of section.items) {
      decisions.set(item.key, {
        key: item.key,
        decision: 'keep',
        by: section.owners[0]!,
        at: NOW.toISOString()
      })
    }
  })
  const period = reviewPeriod(NOW, 'month')
  const slices = splitInventory(review.inventory)
  partCount = slices.length
  largest = 0
  slices.forEach((sections, index) => {
    const { body } = renderReviewPart(review, sections, {
      period,
      index: index + 1,
      count: slices.length,
      tracking: 1,
      decisions
    })
    largest = Math.max(largest, body.length)
  })
  const parts = slices.map((sections, index) => ({ number: index + 2, sections }))
  largest = Math.max(largest, renderReviewIssue(review, { period, decisions, parts }).body.length)
  times.push(performance.now() - start)
}
times.sort((a, b) => a - b)

// 2. The mode against the loopback GitHub fake.
const github = await startFakeGitHub()
const octokit = createOctokit(FAKE_ACTIONS_TOKEN, { baseUrl: github.url, throttle: false })
const port = createGitHubPort(
  octokit,
  { owner: github.state.owner, repo: github.state.repo },
  {
    login: 'github-actions[bot]'
  }
)
async function measure(label: string, event: EventInfo, now: Date) {
  const h = harness({ files, snapshot, event })
  const before = github.requests.length
  const start = performance.now()
  const result = await runReview({ ...h.deps, github: port, now: () => new Date(now) })
  const wall = performance.now() - start
  if (result.failure) throw new Error(result.failure)
  const requests = github.requests.slice(before)
  const byMethod = new Map<string, number>()
  let body = 0
  for (const request of requests) {
    byMethod.set(request.method, (byMethod.get(request.method) ?? 0) + 1)
    const text = (request.body as { body?: unknown } | undefined)?.body
    if (typeof text === 'string') body = Math.max(body, text.length)
  }
  const methods = [...byMethod].map(([method, n]) => `${n} ${method}`).join(', ')
  return `  ${label}: ${(wall / 1000).toFixed(1)} s, ${requests.length} GitHub requests (${methods}), largest body ${body} characters`
}
const schedule: EventInfo = {
  kind: 'schedule',
  name: 'schedule',
  isFork: false,
  defaultBranch: 'main'
}
const first = await measure('first scheduled run', schedule, NOW)
const issues = github.state.issues
const key = certificationKey('group', largeGroupName(7), largeEmail(7, 3))
const part = issues.find((issue) => issue.body.includes(decisionBoxComment('keep', key)))!
const from = part.body
part.body = from.replace(
  `[ ] keep ${decisionBoxComment('keep', key)}`,
  `[x] keep ${decisionBoxComment('keep', key)}`
)
const tick = await measure(
  'an owner ticks one box in a part',
  {
    kind: 'issues',
    name: 'issues',
    isFork: false,
    action: 'edited',
    issue: { number: part.number, body: part.body, author: 'github-actions[bot]' },
    bodyBefore: from,
    sender: { login: 'owner7', isBot: false }
  },
  NOW
)
const next = await measure(
  "next day's scheduled run",
  schedule,
  new Date(NOW.getTime() + 86_400_000)
)
await github.close()
const boxes = new Map<string, number>()
for (const issue of issues) {
  if (!parseReviewPartMarker(issue.body)) continue
  for (const id of parseDecisionBoxes(issue.body).keys()) boxes.set(id, (boxes.get(id) ?? 0) + 1)
}
const once = [...boxes.values()].filter((n) => n === 1).length / 2

console.log(
  [
    `Access review, ${LARGE_GROUPS} groups x ${LARGE_MEMBERS} members = ${LARGE_GROUPS * LARGE_MEMBERS} grants, ${partCount} parts:`,
    `  build + cut + render every body: median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms, p95 ${times[RUNS - 1]!.toFixed(0)} ms (${RUNS} runs); largest body ${largest} of GitHub's ${MAX_BODY_LENGTH} characters`,
    first,
    tick,
    next,
    `  grants whose keep and revoke boxes are in exactly one part: ${once} of ${LARGE_GROUPS * LARGE_MEMBERS}`
  ].join('\n')
)
