/**
 * The 50,000-grant review (2,000 groups of 25): too large for one issue, so the review issue tracks child issues.
 * Every grant's boxes are in exactly one part, every body is within GitHub's limit, the issues link both ways, and a
 * tick in a part counts like one in the review issue.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import type { EventInfo } from '../../src/github/index.js'
import { MAX_BODY_LENGTH } from '../../src/github/index.js'
import { runReview } from '../../src/modes/review.js'
import { REVIEW_SPLIT_MARKER, parseReviewPartMarker, reviewMarker } from '../../src/report/index.js'
import {
  certificationKey,
  decisionBoxComment,
  decisionRecordMarker,
  parseDecisionBoxes
} from '../../src/review/index.js'
import {
  LARGE_GROUPS,
  LARGE_MEMBERS,
  largeEmail,
  largeGroupName,
  largeReviewAccount
} from '../fixtures/review/large-account.js'
import { fakeGitHub, harness, type FakeGitHub } from './fakes.js'

const SCHEDULE: EventInfo = {
  kind: 'schedule',
  name: 'schedule',
  isFork: false,
  defaultBranch: 'main'
}
const { snapshot, files } = largeReviewAccount()
const count = (calls: string[], method: string) =>
  calls.filter((call) => call.startsWith(`${method} `) || call === method).length

let github: FakeGitHub
let firstRun: string[]

beforeAll(async () => {
  github = fakeGitHub()
  await runReview(harness({ files, snapshot, event: SCHEDULE, github }).deps)
  firstRun = [...github.calls]
}, 120_000)

const tracking = () => github.data.issues[0]!
const parts = () => github.data.issues.filter((issue) => parseReviewPartMarker(issue.body))

describe('a 50,000-grant review', () => {
  test('every grant has its keep and revoke boxes in exactly one part, every body within the limit', () => {
    expect(tracking().body.startsWith(reviewMarker('2026-03'))).toBe(true)
    expect(tracking().body).toContain(REVIEW_SPLIT_MARKER)
    expect(parseDecisionBoxes(tracking().body).size).toBe(0)
    const seen = new Map<string, number>()
    for (const part of parts()) {
      expect(part.body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH)
      expect(part.body).not.toContain('cut to stay within')
      for (const id of parseDecisionBoxes(part.body).keys()) seen.set(id, (seen.get(id) ?? 0) + 1)
    }
    expect(tracking().body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH)
    expect(tracking().body).not.toContain('cut to stay within')
    expect(seen.size).toBe(2 * LARGE_GROUPS * LARGE_MEMBERS)
    expect([...seen.values()].every((times) => times === 1)).toBe(true)
    for (let g = 0; g < LARGE_GROUPS; g += 97) {
      for (const decision of ['keep', 'revoke']) {
        const key = certificationKey('group', largeGroupName(g), largeEmail(g, LARGE_MEMBERS - 1))
        expect(seen.get(`${decision} ${key}`)).toBe(1)
      }
    }
  })

  test('the review issue links every part and each part links back; the requests are counted', () => {
    const all = parts()
    expect(all.length).toBeGreaterThan(100)
    for (const [offset, part] of all.entries()) {
      expect(parseReviewPartMarker(part.body)).toEqual({
        key: '2026-03',
        index: offset + 1,
        tracking: tracking().number
      })
      expect(part.body).toContain(`Part of #${tracking().number}:`)
      expect(part.title).toBe(
        `Cloudflare access review: March 2026 (part ${offset + 1} of ${all.length})`
      )
      expect(tracking().body).toContain(`| #${part.number} | `)
      expect(part.labels).toEqual(['access-review'])
    }
    expect(tracking().body).toContain('Decided 0 of 50000 grants in 2000 managed groups and roles')
    // One issue for the review, one per part, and the review issue's body once the parts have numbers.
    expect(count(firstRun, 'createIssue')).toBe(all.length + 1)
    expect(count(firstRun, 'updateIssue')).toBe(1)
    expect(count(firstRun, 'listIssuesWithMarker')).toBe(1)
  })

  test('a tick in a part counts: recorded on the review issue, that part and the review issue re-rendered', async () => {
    const key = certificationKey('group', largeGroupName(1), largeEmail(1, 0))
    const part = parts().find((issue) => issue.body.includes(decisionBoxComment('keep', key)))!
    const from = part.body
    const box = `[ ] keep ${decisionBoxComment('keep', key)}`
    part.body = from.replace(box, `[x] keep ${decisionBoxComment('keep', key)}`)
    const before = github.calls.length
    const event: EventInfo = {
      kind: 'issues',
      name: 'issues',
      isFork: false,
      action: 'edited',
      issue: { number: part.number, body: part.body, author: 'github-actions[bot]' },
      bodyBefore: from,
      sender: { login: 'owner1', isBot: false }
    }
    const result = await runReview(harness({ files, snapshot, event, github }).deps)
    expect(result.failure).toBeUndefined()
    expect(result.outputs['issue-number']).toBe(String(tracking().number))
    const calls = github.calls.slice(before)
    const records = github.data.comments.filter((comment) =>
      comment.body.includes(decisionRecordMarker('2026-03'))
    )
    expect(records.map((comment) => comment.issueNumber)).toEqual([tracking().number])
    expect(calls.filter((call) => call.startsWith('updateIssue '))).toEqual([
      `updateIssue ${part.number}`,
      `updateIssue ${tracking().number}`
    ])
    expect(count(calls, 'createIssue')).toBe(0)
    expect(part.body).toContain('**kept** by `owner1` 2026-03-15 12:00 UTC')
    expect(parseDecisionBoxes(part.body).get(`keep ${key}`)).toBe(true)
    expect(tracking().body).toContain('Decided 1 of 50000 grants')
  }, 120_000)
})
