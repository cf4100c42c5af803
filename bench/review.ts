/**
 * Access review benchmark: 2,000 Access groups of 25 members (50,000 grants), each group with an owner, half of the
 * grants decided. Measures building the review and rendering the issue (median and p95 wall time), and reports the
 * body before and after GitHub's limit and how many grants keep their decision boxes. Run with `npm run bench`.
 */
import { performance } from 'node:perf_hooks'
import { planChanges } from '../src/diff/index.js'
import type { AccessGroup, AccountSnapshot, DesiredState, GroupSpec } from '../src/model/index.js'
import { MAX_BODY_LENGTH, fitBody } from '../src/github/index.js'
import { renderReviewIssue } from '../src/report/index.js'
import {
  buildAccessReview,
  parseDecisionBoxes,
  reviewPeriod,
  type DecisionRecord
} from '../src/review/index.js'

const GROUPS = 2_000
const MEMBERS = 25
const RUNS = 7
const NOW = new Date('2026-12-05T12:00:00.000Z')
const source = { file: 'access/large.yaml', line: 1, column: 1 }
const email = (g: number, m: number) => `user${g * MEMBERS + m}@corp.example`

const groups: AccessGroup[] = []
const specs: GroupSpec[] = []
for (let g = 0; g < GROUPS; g++) {
  const members = Array.from({ length: MEMBERS }, (_, m) => email(g, m))
  groups.push({
    id: `00000000-0000-4000-8000-${String(g).padStart(12, '0')}`,
    name: `Team ${g}`,
    include: members.map((address) => ({ email: { email: address } })),
    exclude: [],
    require: []
  })
  specs.push({
    name: `Team ${g}`,
    mode: 'authoritative',
    owners: [`owner${g % 200}`],
    members: members.map((address) => ({ email: address, key: address, source })),
    source
  })
}
const snapshot: AccountSnapshot = {
  accountId: '0123456789abcdef0123456789abcdef',
  groups,
  members: [],
  roles: [],
  users: groups.flatMap((group) =>
    group.include.map((rule, i) => ({
      id: `u-${group.id}-${i}`,
      email: (rule as { email: { email: string } }).email.email,
      lastSuccessfulLogin: '2026-11-01T08:00:00Z',
      accessSeat: true,
      gatewaySeat: false
    }))
  )
}
const desired: DesiredState = {
  settings: {},
  groups: specs,
  roles: [],
  files: ['access/large.yaml']
}
const plan = planChanges(desired, snapshot, {
  now: NOW,
  expiryWarningDays: 14,
  allowMassRemoval: false,
  allowLockout: false
})

const times: number[] = []
let body = ''
let grants = 0
for (let run = 0; run < RUNS; run++) {
  const start = performance.now()
  const review = buildAccessReview(desired, snapshot, plan, {
    now: NOW,
    staleAfterDays: 90,
    expiryWarningDays: 14
  })
  grants = review.inventory.reduce((sum, section) => sum + section.items.length, 0)
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
  body = renderReviewIssue(review, {
    period: reviewPeriod(NOW, 'month'),
    decisions,
    maxLength: Number.MAX_SAFE_INTEGER
  }).body
  times.push(performance.now() - start)
}
times.sort((a, b) => a - b)
const sent = fitBody(body)
const boxes = parseDecisionBoxes(sent).size / 2
console.log(
  [
    `Access review, ${GROUPS} groups x ${MEMBERS} members = ${grants} grants:`,
    `  build + render: median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms, p95 ${times[RUNS - 1]!.toFixed(0)} ms (${RUNS} runs)`,
    `  one issue body: ${body.length} characters before GitHub's ${MAX_BODY_LENGTH}-character limit, ${sent.length} after`,
    `  grants that keep their decision boxes in one issue: ${boxes} of ${grants} (splitting into child issues is not built yet)`
  ].join('\n')
)
