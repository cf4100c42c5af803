/** decideApply as a table: every refusal, every override, and the order in which evidence is asked for. */
import { describe, expect, test } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import { planChanges } from '../../src/diff/index.js'
import type { ApprovalDecision } from '../../src/github/index.js'
import type { DesiredState } from '../../src/model/index.js'
import { decideApply, type ApplyFacts } from '../../src/modes/apply-gate.js'
import { planOptions } from '../../src/modes/common.js'
import { NOW, PUSH_EVENT, baseSnapshot, inputs, pullRequest } from './fakes.js'
import { ADD_ERIN } from './files.js'

function desiredOf(text: string): DesiredState {
  const parsed = parseAccessFiles([{ path: 'cloudflare-access.yaml', text }])
  if (!parsed.ok) throw new Error('test file is invalid')
  return parsed.desired
}

const DESIRED = desiredOf(ADD_ERIN)
const PLAN = planChanges(DESIRED, baseSnapshot(), planOptions(inputs(), NOW))
const BLOCKED_PLAN = planChanges(
  desiredOf(ADD_ERIN.replace(', bob@example.com', '')),
  baseSnapshot(),
  planOptions(inputs({ 'max-removals': '0' }), NOW)
)

const APPROVED: ApprovalDecision = {
  approved: true,
  reasons: [],
  ownerApprovals: [
    { target: { kind: 'group', name: 'Engineering' }, owners: ['octocat'], approvedBy: ['octocat'] }
  ],
  approvers: ['octocat'],
  uncounted: []
}
const NOT_APPROVED: ApprovalDecision = {
  approved: false,
  reasons: [
    'Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
  ],
  ownerApprovals: [
    { target: { kind: 'group', name: 'Engineering' }, owners: ['octocat'], approvedBy: [] }
  ],
  approvers: [],
  uncounted: []
}

/** Every piece of evidence of an approved merge whose checkout is current: the decision is allowed. */
function approvedPush(): ApplyFacts {
  return {
    event: PUSH_EVENT,
    allowUnapproved: false,
    overrides: [],
    hasGitHubToken: true,
    file: { valid: true, desired: DESIRED },
    pullRequest: pullRequest(),
    baseFile: { ref: 'before-sha', valid: true, desired: DESIRED },
    workspace: { isPushedCommit: true, isBranchTip: true },
    approvedHead: { sameFile: true },
    plan: PLAN,
    approval: APPROVED
  }
}

const DISPATCH = {
  kind: 'workflow_dispatch',
  name: 'workflow_dispatch',
  ref: 'refs/heads/main',
  defaultBranch: 'main'
} as const

function dispatch(): ApplyFacts {
  const { pullRequest: _pr, baseFile: _base, approval: _approval, ...rest } = approvedPush()
  return { ...rest, event: DISPATCH, workspace: { isBranchTip: true } }
}

function reasonOf(facts: ApplyFacts): string {
  const decision = decideApply(facts)
  if (decision.verdict !== 'refused') throw new Error(`expected a refusal, got ${decision.verdict}`)
  return decision.reason
}

describe('decideApply refuses', () => {
  const push = approvedPush()
  test.each<[string, ApplyFacts, string]>([
    [
      'a pull request event',
      { ...push, event: { ...PUSH_EVENT, kind: 'pull_request', name: 'pull_request' } },
      'apply never runs for pull request events: it would change Cloudflare before anyone approved. Use mode: plan on pull requests and mode: apply on push to the default branch.'
    ],
    [
      'a pull_request_target event, even with allow-unapproved',
      {
        ...push,
        allowUnapproved: true,
        event: { ...PUSH_EVENT, kind: 'pull_request_target', name: 'pull_request_target' }
      },
      'apply never runs for pull request events: it would change Cloudflare before anyone approved. Use mode: plan on pull requests and mode: apply on push to the default branch.'
    ],
    [
      'a merge_group event (never apply), even with allow-unapproved',
      {
        ...push,
        allowUnapproved: true,
        event: { kind: 'merge_group', name: 'merge_group', defaultBranch: 'main' }
      },
      'apply never runs for merge_group events: the queued merge is not on the default branch yet and may still be dropped from the queue. Use mode: plan for merge_group; apply runs on the push once the merge lands.'
    ],
    [
      'a push to another branch',
      { ...push, event: { ...PUSH_EVENT, ref: 'refs/heads/feature' } },
      'apply only runs on the default branch (main); this run is on refs/heads/feature. Nothing was changed.'
    ],
    [
      'a tag named like the default branch',
      { ...push, event: { ...PUSH_EVENT, ref: 'refs/tags/main' } },
      'apply only runs on the default branch (main); this run is on refs/tags/main. Nothing was changed.'
    ],
    [
      'an event that does not say the default branch',
      { ...push, event: { ...PUSH_EVENT, defaultBranch: undefined } },
      'apply only runs on the default branch (unknown); this run is on refs/heads/main. Nothing was changed.'
    ],
    [
      'a schedule',
      { ...push, event: { ...DISPATCH, kind: 'schedule', name: 'schedule' } },
      'apply runs on push or workflow_dispatch, not schedule. Nothing was changed.'
    ],
    [
      'an invalid access file',
      { ...push, file: { valid: false } },
      'The access file on the default branch is invalid; nothing was changed.'
    ],
    [
      'a push without a GitHub token',
      { ...push, hasGitHubToken: false },
      'apply needs the github-token input to prove the change was approved. Nothing was changed.'
    ],
    [
      'a force push',
      { ...push, event: { ...PUSH_EVENT, forced: true } },
      'Commit merge-sha was force-pushed to main, so the approvals of the pull request it came from do not cover what this push changes; nothing was changed. Check the file on main, then run apply with workflow_dispatch, or set allow-unapproved: true to accept unapproved pushes.'
    ],
    [
      'a direct push',
      { ...push, pullRequest: null },
      'Commit merge-sha was pushed directly, not merged from an approved pull request, so nothing was changed. Open a pull request, or set allow-unapproved: true to accept direct pushes.'
    ],
    [
      'a merged pull request that changes a workflow while an override is set, even allow-unapproved',
      {
        ...push,
        allowUnapproved: true,
        overrides: ['allow-unapproved', 'allow-mass-removal'],
        pullRequestFiles: ['cloudflare-access.yaml', '.github/workflows/access-apply.yml']
      },
      'Pull request #42 changes .github/workflows/access-apply.yml, and this run has allow-unapproved, allow-mass-removal set: a pull request that changes how the Action runs could have set that override for itself. Overrides must be in place before the pull request that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change. Nothing was changed.'
    ],
    [
      'a merged pull request that changes an action definition while allow-lockout is set',
      {
        ...push,
        overrides: ['allow-lockout'],
        pullRequestFiles: ['tools/deploy/action.yaml']
      },
      'Pull request #42 changes tools/deploy/action.yaml, and this run has allow-lockout set: a pull request that changes how the Action runs could have set that override for itself. Overrides must be in place before the pull request that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change. Nothing was changed.'
    ],
    [
      'an invalid file before the merge, even with allow-unapproved',
      { ...push, allowUnapproved: true, baseFile: { ref: 'before-sha', valid: false } },
      'The access file before this merge (before-) is invalid, so the owners who must approve cannot be read and nothing was changed. Once an administrator has checked the merged file, run apply with workflow_dispatch on main.'
    ],
    [
      'a merge that is not approved',
      { ...push, approval: NOT_APPROVED },
      'Pull request #42 was not approved as required, so nothing was changed:\n- Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
    ],
    [
      'a merge commit whose file is not the approved head commit file',
      { ...push, approvedHead: { sameFile: false } },
      'The access file merged in commit merge-sha is not the file of the approved head commit head-sh of pull request #42 (a merge conflict resolved in the merge, or a base branch that moved since), so what was merged was not approved, and nothing was changed. Once an administrator has checked the file on main, run apply with workflow_dispatch; requiring branches to be up to date before merging avoids this.'
    ],
    [
      'a dispatch without a GitHub token',
      { ...dispatch(), hasGitHubToken: false },
      'apply needs the github-token input to check that the checked-out access file is the one on main now. Nothing was changed.'
    ],
    [
      'a checkout that is not the pushed commit',
      { ...push, workspace: { isPushedCommit: false, isBranchTip: true } },
      'The checked-out access file is not the one in commit merge-sha, the commit whose approval was checked, so nothing was changed. Check out the pushed commit (actions/checkout without a ref input does).'
    ],
    [
      'a push whose file is no longer the default branch file',
      { ...push, workspace: { isPushedCommit: true, isBranchTip: false } },
      'The access file on main has changed since commit merge-sha, so this run is out of date and nothing was changed: applying the older file would undo what was merged since. The run for the newest commit on main applies the current file; re-run that one, or run apply with workflow_dispatch on main.'
    ],
    [
      'a dispatch whose checkout is out of date',
      { ...dispatch(), workspace: { isBranchTip: false } },
      'The access file on main has changed since the checked-out commit, so this run is out of date and nothing was changed: applying the older file would undo what was merged since. The run for the newest commit on main applies the current file; re-run that one, or run apply with workflow_dispatch on main.'
    ],
    [
      'a blocked plan, even with allow-unapproved',
      { ...push, allowUnapproved: true, plan: BLOCKED_PLAN },
      'Nothing was changed; the plan is blocked:\nThis plan removes 1 grants, more than the limit of 0. If these removals are intended, raise max_removals in the access file settings. To go ahead anyway, set the action input allow-mass-removal: true for this run.'
    ]
  ])('%s', (_name, facts, reason) => {
    expect(reasonOf(facts)).toBe(reason)
  })

  test('a refusal for missing owner approvals names each target and who would count', () => {
    const decision = decideApply({ ...approvedPush(), approval: NOT_APPROVED })
    expect(decision).toMatchObject({
      verdict: 'refused',
      missing: [{ target: { kind: 'group', name: 'Engineering' }, owners: ['octocat'] }],
      pullRequest: { number: 42 }
    })
  })

  test('a refusal before the pull request is known names none', () => {
    const decision = decideApply({ ...approvedPush(), pullRequest: null })
    expect(decision).toMatchObject({ verdict: 'refused', missing: [] })
    expect('pullRequest' in decision).toBe(false)
  })
})

describe('decideApply allows', () => {
  test('an approved merge whose checkout is current, naming who approved', () => {
    expect(decideApply(approvedPush())).toEqual({
      verdict: 'allowed',
      pullRequest: pullRequest(),
      approvers: ['octocat'],
      warnings: []
    })
  })

  test('a workflow change without any override set, or an override with no workflow change', () => {
    const workflow = ['.github/workflows/access-apply.yml']
    expect(decideApply({ ...approvedPush(), pullRequestFiles: workflow }).verdict).toBe('allowed')
    expect(
      decideApply({
        ...approvedPush(),
        overrides: ['allow-mass-removal'],
        pullRequestFiles: ['cloudflare-access.yaml', 'docs/action.yml.md']
      }).verdict
    ).toBe('allowed')
  })

  test('with an override set, the pull request files are read right after the pull request', () => {
    const { pullRequestFiles: _files, ...facts } = {
      ...approvedPush(),
      overrides: ['allow-lockout']
    }
    expect(decideApply(facts)).toEqual({ verdict: 'gather', evidence: 'pullRequestFiles' })
  })

  test('a dispatch on the default branch whose checkout is current', () => {
    expect(decideApply(dispatch())).toEqual({ verdict: 'allowed', approvers: [], warnings: [] })
  })

  test.each<[string, Partial<ApplyFacts>, string]>([
    [
      'a force push',
      { event: { ...PUSH_EVENT, forced: true }, pullRequest: undefined },
      'Commit merge-sha was force-pushed to main; applying anyway because allow-unapproved is true.'
    ],
    [
      'a direct push',
      { pullRequest: null },
      'Commit merge-sha did not come from a merged pull request; applying anyway because allow-unapproved is true.'
    ],
    [
      'a merge commit whose file is not the approved head commit file',
      { approvedHead: { sameFile: false } },
      'The access file merged in commit merge-sha is not the file of the approved head commit head-sh of pull request #42 (a merge conflict resolved in the merge, or a base branch that moved since), so what was merged was not approved; applying anyway because allow-unapproved is true.'
    ],
    [
      'an unapproved merge',
      { approval: NOT_APPROVED },
      'Pull request #42 is not approved (Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.); applying anyway because allow-unapproved is true.'
    ]
  ])('with allow-unapproved, %s, with a warning', (_name, facts, warning) => {
    const decision = decideApply({ ...approvedPush(), ...facts, allowUnapproved: true })
    expect(decision).toMatchObject({ verdict: 'allowed', approvers: [], warnings: [warning] })
  })
})

describe('decideApply asks for evidence only as far as the checks need it', () => {
  test('an approved merge: the file, the pull request, the base file, the checkout, the approved head, the plan, the approvals', () => {
    const full = approvedPush()
    const asked: string[] = []
    let facts: ApplyFacts = {
      event: full.event,
      allowUnapproved: false,
      overrides: [],
      hasGitHubToken: true
    }
    for (let decision = decideApply(facts); decision.verdict === 'gather'; ) {
      if (asked.includes(decision.evidence)) throw new Error(`asked twice for ${decision.evidence}`)
      asked.push(decision.evidence)
      facts = { ...facts, [decision.evidence]: full[decision.evidence] }
      decision = decideApply(facts)
    }
    // GitHub first, Cloudflare (reads) only for a current checkout, the approvals once the plan says what they cover.
    expect(asked).toEqual([
      'file',
      'pullRequest',
      'baseFile',
      'workspace',
      'approvedHead',
      'plan',
      'approval'
    ])
  })

  test('a pull request event is refused before anything is read', () => {
    const decision = decideApply({
      event: { ...PUSH_EVENT, kind: 'pull_request', name: 'pull_request' },
      allowUnapproved: false,
      overrides: [],
      hasGitHubToken: true
    })
    expect(decision.verdict).toBe('refused')
  })

  test('a dispatch reads no pull request, base file or approval', () => {
    const { workspace: _workspace, plan: _plan, ...rest } = dispatch()
    expect(decideApply(rest)).toEqual({ verdict: 'gather', evidence: 'workspace' })
  })
})
