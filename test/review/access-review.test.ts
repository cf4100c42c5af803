import { describe, expect, it } from 'vitest'
import { resultOf } from '../../src/cloudflare/index.js'
import type { ApplyResult, Change, Operation } from '../../src/model/index.js'
import { parseReviewMarker, renderReviewIssue, reviewMarker } from '../../src/report/index.js'
import {
  buildAccessReview,
  certificationKey,
  parseDecisionBoxes,
  reviewPeriod,
  type DecisionRecord
} from '../../src/review/index.js'
import { expectGolden } from '../report/golden.js'
import { ADMIN, ENGINEERING } from '../report/fixtures.js'
import { NOW, desiredState, liveSnapshot, reviewPlan } from './fixtures.js'

const options = { now: NOW, staleAfterDays: 90, expiryWarningDays: 14 }
const period = reviewPeriod(NOW, 'month')

function review() {
  return buildAccessReview(desiredState(), liveSnapshot(), reviewPlan(), options)
}

describe('buildAccessReview', () => {
  it('lists every live member of managed groups and roles with login and expiry', () => {
    const { inventory } = review()
    expect(inventory.map((section) => [section.target.name, section.owners])).toEqual([
      ['Engineering', ['octocat', '@acme/security']],
      ['Contractors | EU', ['@acme/vendors']],
      ['Administrator', ['octocat']]
    ])
    expect(inventory[0]!.items).toEqual([
      {
        key: 'cert:group:Engineering:alice@example.com',
        email: 'ALICE@example.com',
        inFile: true,
        hasZeroTrustUser: true,
        lastLogin: '2026-11-02T08:00:00Z',
        daysSinceLogin: 12
      },
      {
        key: 'cert:group:Engineering:bob@example.com',
        email: 'bob@example.com',
        inFile: true,
        expires: '2026-11-20T00:00:00.000Z',
        reason: 'Migration project',
        hasZeroTrustUser: true,
        lastLogin: '2026-06-01T08:00:00Z',
        daysSinceLogin: 166
      },
      {
        key: 'cert:group:Engineering:mallory@example.com',
        email: 'mallory@example.com',
        inFile: false,
        hasZeroTrustUser: false,
        lastLogin: null,
        daysSinceLogin: null
      }
    ])
    expect(inventory[2]!.items.map((item) => [item.email, item.memberStatus])).toEqual([
      ['carol@example.com', 'accepted'],
      ['frank@example.com', 'accepted']
    ])
  })

  it('finds stale access, missing users, invitations and policy members', () => {
    const result = review()
    expect(result.stale.map((entry) => [entry.email, entry.reason])).toEqual([
      ['bob@example.com', 'stale'],
      ['frank@example.com', 'never-logged-in'],
      ['mallory@example.com', 'no-zero-trust-user']
    ])
    expect(result.noZeroTrustUser).toEqual([
      { email: 'mallory@example.com', targets: [expect.objectContaining({ name: 'Engineering' })] }
    ])
    expect(result.pendingInvitations).toEqual([{ email: 'heidi@example.com', roles: ['Billing'] }])
    expect(result.policyMembers).toEqual([{ email: 'grace@example.com', roles: [] }])
  })

  it('counts days since login in UTC calendar days, the number shown and the one the threshold compares', () => {
    // NOW is 2026-11-14T09:30Z. A login late on 2026-08-15 is 91 calendar days back but under 91 elapsed days.
    const at = (lastSuccessfulLogin: string) => {
      const live = liveSnapshot()
      live.users = live.users.map((user) =>
        user.email === 'Bob@example.com' ? { ...user, lastSuccessfulLogin } : user
      )
      const result = buildAccessReview(desiredState(), live, reviewPlan(), options)
      const bob = result.inventory[0]!.items.find((item) => item.email === 'bob@example.com')!
      return [bob.daysSinceLogin, result.stale.some((entry) => entry.email === 'bob@example.com')]
    }
    expect(at('2026-08-15T23:59:00Z')).toEqual([91, true])
    expect(at('2026-08-16T00:00:00Z')).toEqual([90, false])
    expect(at('2026-11-14T00:00:00Z')).toEqual([0, false])
  })

  it('takes drift, expired and expiring grants from the plan', () => {
    const result = review()
    expect(result.drift.notInFile.map((change) => change.email)).toEqual([
      'mallory@example.com',
      'frank@example.com'
    ])
    expect(result.drift.notInCloudflare.map((change) => change.email)).toEqual([
      'Dana@Example.com',
      'erin@example.com'
    ])
    expect(result.expired.map((change) => change.email)).toEqual(['old_contractor@example.com'])
    expect(result.expiringSoon.map((grant) => grant.email)).toEqual(['Bob@Example.com'])
  })
})

describe('seats held by stale users', () => {
  it('lists each stale user’s seats and counts them', () => {
    const live = liveSnapshot()
    const frank = live.users.find((user) => user.email === 'frank@example.com')!
    frank.gatewaySeat = true
    const result = buildAccessReview(desiredState(), live, reviewPlan(), options)
    expect(result.stale.map((entry) => [entry.email, entry.seats])).toEqual([
      ['bob@example.com', ['Access']],
      ['frank@example.com', ['Access', 'Gateway']],
      ['mallory@example.com', []]
    ])
    const body = renderReviewIssue(result, { period }).body
    expect(body).toContain('2 of them hold 3 Zero Trust seats.')
    expect(body).toContain(
      '`frank@example.com` — never logged in · Account role Administrator · seats: Access, Gateway'
    )
  })
})

describe('renderReviewIssue', () => {
  it('renders the first run of a period', () => {
    const issue = renderReviewIssue(review(), { period })
    expect(issue.title).toBe('Cloudflare access review: November 2026')
    expect(parseReviewMarker(issue.body)).toBe('2026-11')
    expectGolden('review-first-run.md', issue.body)
  })

  it('renders decisions with who and when, ticks that did not count, the due date and the log', () => {
    const alice = certificationKey('group', 'Engineering', 'alice@example.com')
    const carol = certificationKey('role', 'Administrator', 'carol@example.com')
    const bob = certificationKey('group', 'Engineering', 'bob@example.com')
    const kept: DecisionRecord = {
      key: alice,
      decision: 'keep',
      by: 'octocat',
      at: '2026-11-10T08:00:00.000Z'
    }
    const revoked: DecisionRecord = {
      key: carol,
      decision: 'revoke',
      by: 'dana',
      at: '2026-11-11T08:00:00.000Z'
    }
    const issue = renderReviewIssue(review(), {
      period,
      previousIssue: { number: 41, url: 'https://github.com/acme/access/issues/41' },
      decisions: new Map([
        [alice, kept],
        [carol, revoked]
      ]),
      log: {
        decisions: [kept, revoked],
        refused: [
          {
            key: bob,
            decision: 'keep',
            by: 'bob',
            at: '2026-11-12T08:00:00.000Z',
            reason: 'it is their own grant; another owner decides it.'
          }
        ]
      },
      notCounted: [
        {
          key: bob,
          decision: 'keep',
          by: 'bob',
          reason: 'it is their own grant; another owner decides it.'
        },
        {
          key: alice,
          decision: 'revoke',
          reason: 'no run attributed this tick to anyone; tick it again.'
        }
      ],
      due: { date: '2026-11-15', daysLeft: 1, onNoDecision: 'keep' }
    })
    const boxes = parseDecisionBoxes(issue.body)
    // The body shows exactly the recorded decisions: one box ticked per decided grant, nothing else.
    expect([...boxes].filter(([, ticked]) => ticked).map(([id]) => id)).toEqual([
      `keep ${alice}`,
      `revoke ${carol}`
    ])
    expect(boxes.size).toBe(
      2 * review().inventory.reduce((sum, section) => sum + section.items.length, 0)
    )
    expect(issue.body).toContain('due 2026-11-15 (tomorrow)')
    expect(issue.body).toContain('**kept** by `octocat` 2026-11-10 08:00 UTC')
    expectGolden('review-decisions.md', issue.body)
  })

  it('after the due date lists undecided grants as exceptions, or as to be revoked', () => {
    const due = { date: '2026-11-13', daysLeft: -1, onNoDecision: 'keep' as const }
    const keep = renderReviewIssue(review(), { period, due }).body
    expect(keep).toContain('### Exceptions: undecided after the due date')
    expect(keep).toContain('due 2026-11-13 (passed yesterday)')
    expect(keep).toContain('- `carol@example.com` in Account role Administrator · owners: @octocat')
    const revoke = renderReviewIssue(review(), {
      period,
      due: { ...due, onNoDecision: 'revoke' }
    }).body
    expect(revoke).toContain('### Undecided after the due date: to be revoked')
    const early = renderReviewIssue(review(), { period, due: { ...due, daysLeft: 0 } }).body
    expect(early).not.toContain('undecided after the due date')
  })

  it('reports expired grants revoked by the run', () => {
    const plan = reviewPlan()
    const expired = { ...plan, changes: plan.changes.filter((c) => c.cause === 'expired') }
    const revokedExpired: ApplyResult = resultOf(
      expired,
      [{ operation: plan.operations.find((o) => o.key === 'group:grp-con')!, status: 'applied' }],
      false
    )
    expect([revokedExpired.applied, revokedExpired.failed, revokedExpired.skipped]).toEqual([
      1, 0, 0
    ])
    const issue = renderReviewIssue(
      buildAccessReview(desiredState(), liveSnapshot(), plan, options),
      { period, revokedExpired }
    )
    expect(issue.body).toContain(
      '- ✅ remove `old_contractor@example.com` from Access group Contractors \\| EU (expired 2026-11-01)'
    )
    expect(issue.body).not.toContain('### Expired grants still in Cloudflare')
    expectGolden('review-revoked-expired.md', issue.body)
  })

  it('lists revoked writes even when the review was re-read after revoking', () => {
    const plan = reviewPlan()
    const revoking = plan.changes.find((change) => change.cause === 'expired')!
    const zed: Change = {
      key: 'role:role-admin:zed@example.com',
      action: 'remove-member',
      target: ADMIN,
      email: 'zed@example.com',
      cause: 'expired',
      expires: '2026-11-02T00:00:00.000Z',
      operation: 'member:mem-9'
    }
    const zedWrite: Operation = {
      type: 'remove-member',
      key: 'member:mem-9',
      memberId: 'mem-9',
      email: 'zed@example.com',
      revoke: ['role-admin']
    }
    // The outcomes come from the plan that was applied; the review is built from the account re-read after it.
    const revokedExpired = resultOf(
      { ...plan, changes: [revoking, zed], operations: [...plan.operations, zedWrite] },
      [
        { operation: plan.operations.find((o) => o.key === 'group:grp-con')!, status: 'applied' },
        { operation: zedWrite, status: 'failed', reason: 'Cloudflare answered 500' }
      ],
      false
    )
    plan.changes = plan.changes.filter((change) => change.cause !== 'expired')
    const issue = renderReviewIssue(
      buildAccessReview(desiredState(), liveSnapshot(), plan, options),
      { period, revokedExpired }
    )
    expect(issue.body).toContain(
      '### Expired grants revoked by this run\n\n1 revoked, 1 failed, 0 skipped.\n\n' +
        '- ✅ remove `old_contractor@example.com` from Access group Contractors \\| EU (expired 2026-11-01)\n' +
        '- ❌ failed to remove membership `zed@example.com` from Account role Administrator (expired 2026-11-02): Cloudflare answered 500\n'
    )
  })

  it('counts days since the last login between the dates shown', () => {
    const body = renderReviewIssue(review(), { period }).body
    expect(body).toContain('`old_contractor@example.com` — last login 2026-10-30 (15 days ago)')
    expect(body).toContain('`carol@example.com` — last login 2026-11-14 (today)')
  })

  it('caps the body and keeps the marker', () => {
    const big = review()
    big.inventory[0]!.items = Array.from({ length: 3000 }, (_, i) => ({
      ...big.inventory[0]!.items[0]!,
      email: `person${i}@example.com`,
      key: certificationKey('group', 'Engineering', `person${i}@example.com`)
    }))
    const issue = renderReviewIssue(big, {
      period,
      runUrl: 'https://github.com/acme/access/actions/runs/9'
    })
    expect(issue.body.length).toBeLessThanOrEqual(60_000)
    expect(issue.body.startsWith(reviewMarker('2026-11'))).toBe(true)
    expect(issue.body).toContain('This issue is shortened')
  })
})

describe('reviewMarker', () => {
  it('round-trips and rejects unsafe keys', () => {
    expect(reviewMarker('2026-Q4')).toBe('<!-- cloudflare-access-as-code:review:2026-Q4 -->')
    expect(parseReviewMarker(`text\n${reviewMarker('2026-W48')}\n`)).toBe('2026-W48')
    expect(parseReviewMarker('no marker')).toBeUndefined()
    expect(() => reviewMarker('x --> @all')).toThrow(
      'Review period key "x --> @all" may only contain letters, digits and "-".'
    )
  })
})

describe('what groups open, and who is managed elsewhere', () => {
  const use = (name: string) => ({
    application: { id: `app-${name}`, name },
    policy: { id: 'p1', name: 'Allow', decision: 'allow' },
    role: 'include' as const
  })

  it('lists per group the applications it opens, and the managed groups no application uses', () => {
    const withApps = buildAccessReview(desiredState(), liveSnapshot(), reviewPlan(), {
      ...options,
      applications: {
        status: 'read',
        uses: { [ENGINEERING.id]: [use('grafana.example.com'), use('ssh-bastion')] }
      }
    })
    expect(withApps.inventory[0]!.opens).toEqual(['grafana.example.com', 'ssh-bastion'])
    expect(withApps.unusedGroups.map((target) => target.name)).toEqual(['Contractors | EU'])
    const body = renderReviewIssue(withApps, { period }).body
    expect(body).toContain('Opens: `grafana.example.com`, `ssh-bastion`')
    expect(body).toContain('Opens: no application uses this group.')
    expect(body).toMatch(
      /### Managed groups no application uses\n\n[^\n]*\n\n- Access group Contractors \\\| EU/
    )
  })

  it('says once which permission is missing when applications cannot be read', () => {
    const forbidden = buildAccessReview(desiredState(), liveSnapshot(), reviewPlan(), {
      ...options,
      applications: { status: 'forbidden', permission: 'Access: Apps and Policies Read' }
    })
    expect(forbidden.unusedGroups).toEqual([])
    const body = renderReviewIssue(forbidden, { period }).body
    expect(body).toContain(
      'The token cannot read Access applications, so this review does not say what each group opens; grant "Access: Apps and Policies Read" to add it.'
    )
    expect(body).not.toContain('Opens:')
  })

  it('shows rules that are not one person as managed elsewhere, and policy-managed members as such', () => {
    const r = review()
    expect(r.inventory[0]!.managedElsewhere).toEqual(['email_domain: example.com'])
    const live = liveSnapshot()
    const member = live.members.find((entry) => entry.roles.some((role) => role.id === ADMIN.id))!
    member.usesPolicies = true
    const body = renderReviewIssue(buildAccessReview(desiredState(), live, reviewPlan(), options), {
      period
    }).body
    expect(body).toMatch(
      new RegExp(
        `\`${member.email.replace(/[.]/g, '\\.')}\` — [^\\n]*managed elsewhere \\(permission policies\\)`
      )
    )
  })
})
