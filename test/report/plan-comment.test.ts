import { describe, expect, it } from 'vitest'
import type { Change, Plan, PlanReportInput } from '../../src/model/index.js'
import {
  PLAN_COMMENT_MARKER,
  planVerdict,
  renderPlanComment,
  renderPlanSummary,
  renderPlanText
} from '../../src/report/index.js'
import { expectGolden } from './golden.js'
import { ENGINEERING, emptyPlan, fullPlan } from './fixtures.js'

const RUN_URL = 'https://github.com/acme/access/actions/runs/42'

function input(overrides: Partial<PlanReportInput>): PlanReportInput {
  return { configErrors: [], ownerApprovals: [], notes: [], runUrl: RUN_URL, ...overrides }
}

const everything = input({
  plan: fullPlan(),
  // Dana's addition and Erin's invitation.
  requestedByPullRequest: ['group:grp-eng:dana@example.com', 'role:role-admin:erin@example.com'],
  ownerApprovals: [
    {
      target: { kind: 'group', name: 'Engineering' },
      owners: ['octocat', '@acme/security'],
      approvedBy: ['octocat']
    },
    { target: { kind: 'role', name: 'Administrator' }, owners: ['@acme/platform'], approvedBy: [] }
  ],
  notes: ['Planned against the live account at the head commit.']
})

describe('renderPlanComment', () => {
  it('renders a plan with everything', () => {
    const body = renderPlanComment(everything)
    expect(body.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true)
    expectGolden('plan-everything.md', body)
  })

  it('renders a plan with no changes', () => {
    expectGolden('plan-no-changes.md', renderPlanComment(input({ plan: emptyPlan() })))
  })

  it('renders a plan blocked by validation errors', () => {
    const body = renderPlanComment(
      input({
        configErrors: [
          {
            file: 'access/engineering.yaml',
            line: 7,
            column: 5,
            message: 'members[2].email: "dana@" is not an e-mail address.'
          },
          {
            file: 'access/roles.yaml',
            line: 1,
            column: 1,
            message: 'Unknown key "rols"; did you mean "roles"?'
          }
        ],
        notes: ['The access file is invalid, so no live plan was made.']
      })
    )
    expectGolden('plan-blocked-validation.md', body)
  })

  it('renders a fork pull request with no live plan', () => {
    const body = renderPlanComment(
      input({
        notes: [
          'This pull request comes from a fork, which cannot read Cloudflare credentials; the file was validated only.',
          'A maintainer can re-run the plan after merging into a branch of this repository.'
        ]
      })
    )
    expectGolden('plan-no-live-plan.md', body)
  })

  it('keeps the rows when over the cap: reasons go first, then rows, with an honest count of the rest', () => {
    const plan = longPlan(2000)
    const body = renderPlanComment(input({ plan }), { maxLength: 20_000 })
    expect(body.length).toBeLessThanOrEqual(20_000)
    const rows = body.match(/^\| ➕ add \| `person\d{4}@example\.com` \|/gm)?.length ?? 0
    expect(rows).toBeGreaterThan(100)
    expect(body).not.toContain('Bulk onboarding')
    expect(body).toContain(`_… ${2000 - rows} more changes to this group not shown._`)
    expect(body).toContain(`it shows ${rows} of 2000 changes, without their reasons`)
    // Nothing else was said to hold the rest, so the comment must not claim a fuller copy.
    expect(body).not.toContain('job summary')
    expect(body).toContain('No other copy holds what is left out: set `upload-plan: true`')
    expectGolden('plan-truncated.md', body)
  })

  it('drops the reasons before any row', () => {
    const plan = longPlan(200)
    const full = renderPlanComment(input({ plan }), { maxLength: 1_000_000 })
    const body = renderPlanComment(input({ plan }), { maxLength: full.length - 1 })
    expect(body.match(/^\| ➕ add \|/gm)?.length).toBe(200)
    expect(body).not.toContain('Bulk onboarding')
    expect(body).toContain('it shows every change without its reason.')
  })

  it('names only copies that exist: the summary when it lists every change, the artifact when uploaded', () => {
    const plan = longPlan(2000)
    const artifact = { name: 'cloudflare-access-plan', url: `${RUN_URL}/artifacts/7` }
    const withSummary = renderPlanComment(input({ plan }), {
      maxLength: 20_000,
      summaryComplete: true
    })
    expect(withSummary).toContain(
      `Every change is listed in the job summary of [this workflow run](${RUN_URL}).`
    )
    expect(withSummary).not.toContain('upload-plan')
    const withArtifact = renderPlanComment(input({ plan, planArtifact: artifact }), {
      maxLength: 20_000
    })
    expect(withArtifact).toContain(
      `The whole plan (JSON) is the workflow artifact [\`cloudflare-access-plan\`](${RUN_URL}/artifacts/7).`
    )
    expect(withArtifact).not.toContain('job summary')
  })

  it('cuts findings and unmanaged lists with counts of what is left out', () => {
    const plan = longPlan(10)
    plan.findings = Array.from({ length: 400 }, (_, i) => ({
      kind: 'unknown-group' as const,
      severity: 'warning' as const,
      message: `Group "g${i}" does not exist.`
    }))
    plan.unmanaged.groups = Array.from({ length: 3000 }, (_, i) => ({
      id: `u${i}`,
      name: `Unmanaged ${i}`
    }))
    expect(renderPlanComment(input({ plan }), { maxLength: 1_000_000 })).not.toContain('shortened')
    const body = renderPlanComment(input({ plan }), { maxLength: 3_000 })
    expect(body.length).toBeLessThanOrEqual(3_000)
    const shown = body.match(/^- ⚠️ \*\*unknown group\*\*/gm)?.length ?? 0
    expect(shown).toBeGreaterThan(0)
    expect(body).toContain(`- … ${400 - shown} more not shown (⚠️ unknown group: ${400 - shown}).`)
    expect(body).toContain(`Unmanaged 0, Unmanaged 1`)
    expect(body).toContain(`and ${3000 - shown} more.`)
  })

  it('cuts validation errors with a count, and by lines only when no row fits', () => {
    const configErrors = Array.from({ length: 400 }, (_, i) => ({
      file: 'access.yaml',
      line: i + 1,
      column: 3,
      message: 'Unknown key "membrs"; did you mean "members"?'
    }))
    const body = renderPlanComment(input({ configErrors }), { maxLength: 3_000 })
    expect(body.length).toBeLessThanOrEqual(3_000)
    const shown = body.match(/^- `access\.yaml:\d+:3`/gm)?.length ?? 0
    expect(shown).toBeGreaterThan(5)
    expect(body).toContain(`- … ${400 - shown} more validation errors not shown.`)
    const tiny = renderPlanComment(input({ configErrors }), { maxLength: 300 })
    expect(tiny.length).toBeLessThanOrEqual(300)
    expect(tiny).toMatch(/\n\n_… \d+ more lines cut to stay within GitHub's size limit\._$/)
  })

  it('is deterministic', () => {
    expect(renderPlanComment(everything)).toBe(renderPlanComment(everything))
  })

  it('pings only the owners', () => {
    const body = renderPlanComment(everything)
    const mentions = [...body.matchAll(/(^|[^\w`&;])@([A-Za-z0-9][\w/-]*)/g)].map((m) => m[2])
    expect([...new Set(mentions)].sort()).toEqual(['acme/platform', 'octocat'])
    expect(body).toContain('see @&#8203;octocat')
  })

  it('names an approver who is only a member of an owner team without pinging them', () => {
    const body = renderPlanComment(
      input({
        plan: emptyPlan(),
        ownerApprovals: [
          {
            target: { kind: 'group', name: 'Engineering' },
            owners: ['@acme/security', 'Octocat'],
            approvedBy: ['alice', 'octocat']
          }
        ]
      })
    )
    expect(body).toContain('- ✅ Access group Engineering: approved by @&#8203;alice, @octocat')
  })

  it('gives the id of an untouched group that shares its name with a managed one', () => {
    const plan = fullPlan()
    plan.managed.groups.push({ kind: 'group', id: 'grp-vpn-1', name: 'Legacy VPN' })
    plan.unmanaged.groups = [
      { id: 'grp-vpn-2', name: 'legacy vpn' },
      { id: 'grp-fin', name: 'Finance' }
    ]
    expect(renderPlanComment(input({ plan }))).toContain(
      '- ℹ️ Not managed by this file, untouched: Access groups legacy vpn (id `grp-vpn-2`), Finance; account roles Billing.'
    )
    expect(renderPlanText(plan)).toContain(
      'Not managed by this file, untouched: group "legacy vpn" (grp-vpn-2), group "Finance", role "Billing"'
    )
  })

  it('heads the warnings as problems when a finding blocks apply', () => {
    const plan = fullPlan()
    plan.findings[0] = { ...plan.findings[0]!, severity: 'error' }
    const body = renderPlanComment(input({ plan }))
    expect(body).toContain(
      '#### ❌ Problems and warnings\n\nEach ❌ blocks apply until it is fixed in the access file or in Cloudflare.\n\n- ❌ **no Zero Trust user**: Dana@Example.com has never signed in through Cloudflare Access.'
    )
    expect(body).not.toContain('#### ⚠️ Warnings')
  })
})

describe('planVerdict', () => {
  it('counts additions and removals by cause outside pull requests', () => {
    expect(planVerdict(input({ plan: fullPlan(), ownerApprovals: [] }))).toBe(
      '⛔ Blocked by a guard: The plan removes 3 grants; the limit is 2.'
    )
    const plan = fullPlan()
    plan.guards = []
    expect(planVerdict(input({ plan }))).toBe(
      '📝 2 additions, 3 removals (2 requested, 1 expired grant, 2 drift corrections).'
    )
    expect(
      planVerdict(input({ plan, requestedByPullRequest: ['group:grp-eng:dana@example.com'] }))
    ).toBe(
      '📝 2 additions, 3 removals (1 asked for by this pull request, 1 expired grant, 3 drift corrections).'
    )
  })

  it('says when owners still have to approve', () => {
    const plan = fullPlan()
    plan.guards = []
    expect(planVerdict({ ...everything, plan })).toBe(
      '📝 2 additions, 3 removals (2 asked for by this pull request, 1 expired grant, 2 drift corrections). ⏳ Waiting for owner approval of 1 group or role.'
    )
  })

  it('puts blocking findings before guards', () => {
    const plan = fullPlan()
    plan.findings[0] = { ...plan.findings[0]!, severity: 'error' }
    expect(planVerdict(input({ plan }))).toBe('⛔ Blocked: 1 problem must be fixed before apply.')
  })

  it('lets an overridden guard through', () => {
    const plan = fullPlan()
    plan.guards = plan.guards.map((guard) => ({ ...guard, overridden: true }))
    plan.changes = plan.changes.slice(0, 1)
    expect(planVerdict(input({ plan }))).toBe('📝 1 removal (1 drift correction).')
  })
})

describe('renderPlanSummary', () => {
  it('renders the job summary of a plan with everything', () => {
    expectGolden('summary-plan-everything.md', renderPlanSummary(everything))
  })

  it('renders the job summary of a fork pull request, which gets no live plan', () => {
    expectGolden(
      'summary-plan-fork.md',
      renderPlanSummary(
        input({
          notes: [
            'This pull request comes from a fork: GitHub withholds secrets from it, so the file was validated offline and no live plan was made.'
          ]
        })
      )
    )
  })

  it('keeps every detail without the comment marker', () => {
    const summary = renderPlanSummary(input({ plan: longPlan(2000) }))
    expect(summary).not.toContain(PLAN_COMMENT_MARKER)
    expect(summary).toContain('Bulk onboarding')
    expect(summary).not.toContain('shortened')
    expect(summary.match(/\| ➕ add \|/g)?.length).toBe(2000)
  })
})

describe('renderPlanText', () => {
  it('renders aligned columns with Terraform symbols and the verdict last', () => {
    expectGolden('plan-text.txt', renderPlanText(fullPlan()))
  })

  it('reports validation errors and no plan', () => {
    expect(
      renderPlanText(undefined, [
        { file: 'a.yaml', line: 3, column: 1, message: 'Bad\nthing \u001b[31mred' }
      ])
    ).toBe(
      'Validation errors:\n  a.yaml:3:1  Bad thing [31mred\n\nBlocked: 1 validation error; nothing was planned.\n'
    )
  })

  it('says no changes', () => {
    expect(renderPlanText(emptyPlan())).toBe('No changes. Cloudflare matches the access file.\n')
  })
})

function longPlan(count: number): Plan {
  const changes: Change[] = Array.from({ length: count }, (_, i) => {
    const email = `person${String(i).padStart(4, '0')}@example.com`
    return {
      key: `group:${ENGINEERING.id}:${email}`,
      action: 'add',
      target: ENGINEERING,
      email,
      cause: 'requested',
      reason: 'Bulk onboarding of the new office',
      operation: `group:${ENGINEERING.id}`
    }
  })
  return {
    ...emptyPlan(),
    changes,
    operations: [
      {
        type: 'update-group',
        key: `group:${ENGINEERING.id}`,
        groupId: ENGINEERING.id,
        groupName: ENGINEERING.name,
        add: changes.map((c) => c.email),
        remove: []
      }
    ],
    stats: { additions: count, removals: 0, grantsUnderManagement: 12, removalLimit: 5 }
  }
}
