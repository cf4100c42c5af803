import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { renderEvidenceReport } from '../../src/report/index.js'
import {
  buildAccessReview,
  buildEvidenceRecord,
  certificationKey,
  evidenceCsv,
  evidenceRecordJsonSchema,
  isReviewComplete,
  renderEvidenceRecordJsonSchema,
  reviewPeriod,
  type DecisionRecord
} from '../../src/review/index.js'
import { expectGolden } from '../report/golden.js'
import { NOW, desiredState, liveSnapshot, reviewPlan } from './fixtures.js'

const period = reviewPeriod(NOW, 'month')
const review = () =>
  buildAccessReview(desiredState(), liveSnapshot(), reviewPlan(), {
    now: NOW,
    staleAfterDays: 90,
    expiryWarningDays: 14
  })
const at = '2026-11-10T08:00:00.000Z'
const decision = (
  key: string,
  value: 'keep' | 'revoke',
  by = 'octocat'
): [string, DecisionRecord] => [key, { key, decision: value, by, at }]

function record(decisions: Map<string, DecisionRecord>, daysLeft = -1) {
  return buildEvidenceRecord({
    review: review(),
    snapshot: liveSnapshot(),
    period,
    due: { date: '2026-11-13', daysLeft, onNoDecision: 'keep' },
    decisions,
    pullRequest: { number: 88, url: 'https://github.com/acme/access/pull/88' },
    readAt: NOW.toISOString()
  })
}

const ALICE = certificationKey('group', 'Engineering', 'alice@example.com')
const CAROL = certificationKey('role', 'Administrator', 'carol@example.com')
// Revoked, then removed by apply: no longer in the account, so not in the inventory.
const GONE = certificationKey('group', 'Ops: EU', 'gone@example.com')

describe('the evidence record', () => {
  const decisions = new Map([
    decision(ALICE, 'keep'),
    decision(CAROL, 'revoke', 'dana'),
    decision(GONE, 'revoke')
  ])

  it('validates against its committed JSON Schema, and counts match the account', () => {
    const built = record(decisions)
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats.default(ajv)
    const validate = ajv.compile(
      JSON.parse(
        readFileSync(
          new URL('../../schema/access-review-record.schema.json', import.meta.url),
          'utf8'
        )
      )
    )
    expect(validate(built), JSON.stringify(validate.errors)).toBe(true)
    const live = liveSnapshot()
    expect(built.population.counts).toEqual({
      accessGroups: live.groups.length,
      accountMembers: live.members.length,
      roles: live.roles.length,
      zeroTrustUsers: live.users.length,
      managedGroupsAndRoles: review().inventory.length,
      grants: review().inventory.reduce((sum, section) => sum + section.items.length, 0)
    })
    expect(built.population.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(built.totals).toEqual({ kept: 1, revoked: 2, removed: 1, undecided: 0, exceptions: 4 })
    expect(built.grants.find((grant) => grant.key === GONE)).toMatchObject({
      email: 'gone@example.com',
      target: { kind: 'group', name: 'Ops: EU' },
      outcome: 'removed',
      decidedBy: 'octocat'
    })
    expect(validate({ ...built, version: 2 })).toBe(false)
  })

  it('the committed schema is current', () => {
    expect(
      readFileSync(
        new URL('../../schema/access-review-record.schema.json', import.meta.url),
        'utf8'
      )
    ).toBe(renderEvidenceRecordJsonSchema())
    expect(evidenceRecordJsonSchema().title).toBe(
      'Cloudflare Access as Code: access review evidence record'
    )
  })

  it('is complete only when every grant is decided (or an exception) and every revocation carried out', () => {
    expect(isReviewComplete(record(decisions))).toBe(false) // carol is revoked but still in the account
    const done = new Map([...decisions].filter(([key]) => key !== CAROL))
    expect(isReviewComplete(record(done))).toBe(true)
    expect(isReviewComplete(record(done, 3))).toBe(false) // before the due date, undecided is not an exception
  })

  it('golden: JSON, CSV and report with a fixed clock', () => {
    const built = record(decisions)
    expectGolden('review-evidence-record.json', `${JSON.stringify(built, null, 2)}\n`)
    const csv = evidenceCsv(built)
    // RFC 4180 lines end in CRLF; git stores the golden file with LF, so it is compared line by line.
    expect(csv.split('\n').every((line) => line === '' || line.endsWith('\r'))).toBe(true)
    expectGolden('review-evidence-record.csv', csv.replace(/\r\n/g, '\n'))
    expectGolden('review-evidence-report.md', renderEvidenceReport(built))
  })

  it('CSV cells that a spreadsheet would run are defused', () => {
    const built = record(new Map())
    built.grants[0]!.reason = '=HYPERLINK("x")'
    expect(evidenceCsv(built)).toContain(`"'=HYPERLINK(""x"")"`)
  })
})
