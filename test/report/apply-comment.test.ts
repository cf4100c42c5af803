import { describe, expect, it } from 'vitest'
import { resultOf } from '../../src/cloudflare/index.js'
import type { ApplyReportInput, ApplyResult } from '../../src/model/index.js'
import {
  APPLY_COMMENT_MARKER,
  applyVerdict,
  renderApplyComment,
  renderApplySummary,
  renderApplyText
} from '../../src/report/index.js'
import { fullPlan } from './fixtures.js'
import { expectGolden } from './golden.js'

const plan = fullPlan()

/** The executor's own bookkeeping turns the write results into an outcome per change; no writes, no outcomes. */
function result(overrides: Partial<ApplyResult>): ApplyResult {
  const written = overrides.operations ? plan : { ...plan, changes: [] }
  return {
    ...resultOf(written, overrides.operations ?? [], overrides.dryRun ?? false),
    ...overrides
  }
}

const mixed: ApplyReportInput = {
  plan,
  result: result({
    operations: [
      { operation: plan.operations[0]!, status: 'applied' },
      {
        operation: plan.operations[1]!,
        status: 'failed',
        reason:
          'Cloudflare answered 403: the API token lacks Access: Organizations, Identity Providers, and Groups Write'
      },
      { operation: plan.operations[2]!, status: 'skipped', reason: 'an earlier write failed' },
      { operation: plan.operations[3]!, status: 'applied' }
    ],
    applied: 3,
    failed: 1,
    skipped: 1
  }),
  pullRequest: { number: 17, url: 'https://github.com/acme/access/pull/17' },
  runUrl: 'https://github.com/acme/access/actions/runs/43'
}

describe('renderApplyComment', () => {
  it('renders mixed outcomes', () => {
    const body = renderApplyComment(mixed)
    expect(body.startsWith(`${APPLY_COMMENT_MARKER}\n`)).toBe(true)
    expectGolden('apply-mixed.md', body)
  })

  it('renders a dry run', () => {
    const body = renderApplyComment({
      plan,
      result: result({
        dryRun: true,
        operations: plan.operations.map((operation) => ({ operation, status: 'applied' as const })),
        applied: 5
      })
    })
    expectGolden('apply-dry-run.md', body)
  })

  it('keeps failures visible when shortened', () => {
    const body = renderApplyComment(mixed, { maxLength: 1000 })
    expect(body.length).toBeLessThanOrEqual(1000)
    expect(body).toContain('shortened')
    expect(body).toContain('- **Access group Contractors \\| EU**: 1 failed\n  - ❌ failed')
  })

  it('sends readers to the job summary only when the summary lists every change', () => {
    const body = renderApplyComment(mixed, { maxLength: 1000 })
    expect(body).toContain('Every change is listed in the job summary of')

    const change = plan.changes[0]!
    const outcomes = Array.from({ length: 15_000 }, (_, i) => ({
      change: { ...change, key: `${change.key}:${i}`, email: `person${i}@example.com` },
      status: 'applied' as const
    }))
    const huge: ApplyReportInput = {
      plan,
      result: { dryRun: false, outcomes, operations: [], applied: 15_000, failed: 0, skipped: 0 }
    }
    const summary = renderApplySummary(huge)
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1024 * 1024)
    expect(summary).toContain('This summary is shortened to fit')
    expect(summary).toContain('No other copy lists every change one by one.')
    const comment = renderApplyComment(huge)
    expect(comment).toContain('No other copy lists every change one by one.')
    expect(comment).not.toContain('job summary')
  })

  it('says "would be applied" in a shortened dry run', () => {
    const dryRun: ApplyReportInput = {
      plan,
      result: result({
        dryRun: true,
        operations: plan.operations.map((operation) => ({ operation, status: 'applied' as const })),
        applied: 5
      })
    }
    const body = renderApplyComment(dryRun, { maxLength: 700 })
    expect(body).toContain('- **Access group Engineering**: 2 would be applied\n')
    expect(body).not.toMatch(/\d applied/)
  })

  it('renders the terminal text of a dry run without claiming anything was applied', () => {
    const text = renderApplyText(
      result({
        dryRun: true,
        operations: plan.operations.map((operation) => ({ operation, status: 'applied' as const })),
        applied: 5
      })
    )
    expect(
      text.endsWith('Dry run, nothing was changed: 5 would be applied, 0 failed, 0 skipped.\n')
    ).toBe(true)
  })

  it('renders the job summary of mixed outcomes', () => {
    expectGolden('summary-apply-mixed.md', renderApplySummary(mixed))
  })

  it('renders the expire summary with the Access sessions it ended, failed to end or could not confirm', () => {
    expectGolden(
      'summary-expire-sessions.md',
      renderApplySummary({
        plan,
        result: result({
          operations: plan.operations.map((operation) => ({
            operation,
            status: 'applied' as const
          })),
          applied: 5
        }),
        runName: 'expire',
        sessions: [
          { email: 'alice@example.com', status: 'ended' },
          { email: 'bob@example.com', status: 'not-confirmed' },
          {
            email: 'carol@example.com',
            status: 'failed',
            reason: 'Cloudflare answered 403 *for* <carol>'
          }
        ],
        runUrl: 'https://github.com/acme/access/actions/runs/44'
      })
    )
  })

  it('summary has no marker and every row', () => {
    const summary = renderApplySummary(mixed)
    expect(summary).not.toContain(APPLY_COMMENT_MARKER)
    expect(summary.match(/^\| (✅|❌|⏭️)/gm)?.length).toBe(5)
  })
})

describe('applyVerdict', () => {
  it('names each outcome', () => {
    expect(applyVerdict(mixed)).toBe('❌ 5 changes: 1 failed, 3 applied, 1 skipped.')
    expect(applyVerdict({ plan, result: result({ applied: 2 }) })).toBe('✅ Applied 2 changes.')
    expect(applyVerdict({ plan, result: result({}) })).toBe(
      '✅ Nothing to apply: Cloudflare already matched the access file.'
    )
  })
})
