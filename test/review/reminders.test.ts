import { describe, expect, it } from 'vitest'
import { renderReminderComment } from '../../src/report/index.js'
import {
  buildAccessReview,
  certificationKey,
  planReminder,
  reminderMarker,
  type DecisionRecord
} from '../../src/review/index.js'
import { expectGolden } from '../report/golden.js'
import { NOW, desiredState, liveSnapshot, reviewPlan } from './fixtures.js'

const sections = () =>
  buildAccessReview(desiredState(), liveSnapshot(), reviewPlan(), {
    now: NOW,
    staleAfterDays: 90,
    expiryWarningDays: 14
  }).inventory

function decideAll(except: string[] = []): Map<string, DecisionRecord> {
  const decisions = new Map<string, DecisionRecord>()
  for (const section of sections()) {
    for (const item of section.items) {
      if (except.includes(item.key)) continue
      decisions.set(item.key, {
        key: item.key,
        decision: 'keep',
        by: 'octocat',
        at: NOW.toISOString()
      })
    }
  }
  return decisions
}

describe('planReminder', () => {
  it('reminds on 7, 3, 1 and 0 days before the due date and every day after, never between', () => {
    const days = Array.from({ length: 14 }, (_, i) => 10 - i)
    const sent = days.filter(
      (daysLeft) =>
        planReminder({ sections: sections(), decisions: new Map(), daysLeft, escalateTo: [] }) !==
        undefined
    )
    expect(sent).toEqual([7, 3, 1, 0, -1, -2, -3])
  })

  it('mentions only the owners with undecided grants, and escalates only after the due date', () => {
    // Only carol's Administrator grant is left: octocat alone owns that role.
    const carol = certificationKey('role', 'Administrator', 'carol@example.com')
    const decisions = decideAll([carol])
    const before = planReminder({
      sections: sections(),
      decisions,
      daysLeft: 1,
      escalateTo: ['@acme/ciso']
    })
    expect(before?.owners.map((owner) => [owner.owner, owner.undecided])).toEqual([['octocat', 1]])
    expect(before?.escalateTo).toEqual([])
    const after = planReminder({
      sections: sections(),
      decisions,
      daysLeft: -2,
      escalateTo: ['@acme/ciso']
    })
    expect(after?.escalateTo).toEqual(['@acme/ciso'])
  })

  it('sends nothing once every grant is decided', () => {
    expect(
      planReminder({
        sections: sections(),
        decisions: decideAll(),
        daysLeft: -5,
        escalateTo: ['x']
      })
    ).toBeUndefined()
  })
})

describe('renderReminderComment', () => {
  it('names each owner with what they have left, and the escalation', () => {
    const reminder = planReminder({
      sections: sections(),
      decisions: decideAll([
        certificationKey('group', 'Engineering', 'alice@example.com'),
        certificationKey('group', 'Contractors | EU', 'old_contractor@example.com')
      ]),
      daysLeft: -1,
      escalateTo: ['@acme/ciso']
    })!
    const body = renderReminderComment(reminder, {
      periodKey: '2026-11',
      today: '2026-11-16',
      due: '2026-11-15',
      daysLeft: -1
    })
    expect(body.startsWith(reminderMarker('2026-11', '2026-11-16'))).toBe(true)
    expectGolden('review-reminder-overdue.md', body)
  })
})
