import { describe, expect, it } from 'vitest'
import {
  parseReviewPartMarker,
  renderReviewIssue,
  renderReviewPart,
  reviewPartMarker,
  splitInventory
} from '../../src/report/index.js'
import {
  buildAccessReview,
  certificationKey,
  parseDecisionBoxes,
  reviewPeriod,
  type DecisionRecord,
  type InventorySection
} from '../../src/review/index.js'
import { NOW, desiredState, liveSnapshot, reviewPlan } from '../review/fixtures.js'
import { expectGolden } from './golden.js'

const period = reviewPeriod(NOW, 'month')
const review = () =>
  buildAccessReview(desiredState(), liveSnapshot(), reviewPlan(), {
    now: NOW,
    staleAfterDays: 90,
    expiryWarningDays: 14
  })
const grantsOf = (sections: readonly InventorySection[]) =>
  sections.reduce((sum, section) => sum + section.items.length, 0)

describe('splitInventory', () => {
  it('keeps whole groups and roles together while they fit, owners together', () => {
    const { inventory } = review()
    // Sorted by owners: @acme/security with octocat, @acme/vendors, octocat.
    expect(splitInventory(inventory)).toEqual([[inventory[0], inventory[1], inventory[2]]])
    const one = splitInventory(inventory, 1_500)
    expect(one.map((part) => part.map((section) => section.target.name))).toEqual([
      ['Engineering'],
      ['Contractors | EU', 'Administrator']
    ])
  })

  it('slices a group too large for one part, every grant in exactly one slice, in order', () => {
    const big = review()
    const section = big.inventory[0]!
    section.items = Array.from({ length: 1000 }, (_, i) => ({
      ...section.items[0]!,
      email: `person${i}@example.com`,
      key: certificationKey('group', 'Engineering', `person${i}@example.com`)
    }))
    const parts = splitInventory([section])
    expect(parts.length).toBeGreaterThan(3)
    const keys = parts.flatMap((part) => part.flatMap((slice) => slice.items.map((i) => i.key)))
    expect(keys).toEqual(section.items.map((item) => item.key))
    for (const [index, part] of parts.entries()) {
      const { body } = renderReviewPart(big, part, {
        period,
        index: index + 1,
        count: parts.length,
        tracking: 9
      })
      expect(body.length).toBeLessThanOrEqual(60_000)
      expect(body).toMatch(/#### Access group Engineering \(grants \d+ to \d+ of 1000\)/)
    }
  })

  it('does not move grants between parts as decisions arrive', () => {
    const { inventory } = review()
    const before = splitInventory(inventory, 1_500)
    expect(splitInventory(inventory, 1_500)).toEqual(before)
  })
})

describe('review parts (fixed clock)', () => {
  const alice = certificationKey('group', 'Engineering', 'alice@example.com')
  const kept: DecisionRecord = {
    key: alice,
    decision: 'keep',
    by: 'octocat',
    at: '2026-11-10T08:00:00.000Z'
  }
  const decisions = new Map([[alice, kept]])
  const due = { date: '2026-11-15', daysLeft: 1, onNoDecision: 'keep' as const }

  it('renders the tracking issue and its child issues', () => {
    const r = review()
    const slices = splitInventory(r.inventory, 1_500)
    const parts = slices.map((sections, index) => ({ number: 20 + index, sections }))
    const tracking = renderReviewIssue(r, {
      period,
      decisions,
      log: { decisions: [kept], refused: [] },
      due,
      parts
    })
    expect(parseDecisionBoxes(tracking.body).size).toBe(0)
    expectGolden('review-split-tracking.md', tracking.body)

    const child = renderReviewPart(r, slices[0]!, {
      period,
      index: 1,
      count: slices.length,
      tracking: 19,
      decisions,
      due,
      notCounted: [
        {
          key: alice,
          decision: 'revoke',
          by: 'mallory',
          reason: 'mallory is not an owner of Access group Engineering.'
        }
      ]
    })
    expect(child.title).toBe('Cloudflare access review: November 2026 (part 1 of 2)')
    expect(parseReviewPartMarker(child.body)).toEqual({ key: '2026-11', index: 1, tracking: 19 })
    expect(parseDecisionBoxes(child.body).size).toBe(2 * grantsOf(slices[0]!))
    expectGolden('review-split-part.md', child.body)
  })

  it('a part past the due date says what happens to its undecided grants', () => {
    const r = review()
    const [first] = splitInventory(r.inventory, 1_500)
    const body = renderReviewPart(r, first!, {
      period,
      index: 1,
      count: 3,
      tracking: 19,
      due: { date: '2026-11-15', daysLeft: -2, onNoDecision: 'revoke' }
    }).body
    expect(body).toContain(
      'The due date 2026-11-15 has passed: grants still undecided here are revoked through the review revocations pull request'
    )
  })

  it('part markers round-trip', () => {
    expect(parseReviewPartMarker(`x\n${reviewPartMarker('2026-Q4', 12, 345)}\n`)).toEqual({
      key: '2026-Q4',
      index: 12,
      tracking: 345
    })
    expect(parseReviewPartMarker('<!-- cloudflare-access-as-code:review:2026-11 -->')).toBe(
      undefined
    )
  })
})
