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
    pushedFiles: { paths: ['cloudflare-access.yaml'], complete: true },
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
  sha: 'merge-sha',
  defaultBranch: 'main'
} as const

/** A dispatch on main whose head commit is the merge of the approved pull request #42: judged like its push. */
function dispatch(): ApplyFacts {
  return { ...approvedPush(), event: DISPATCH }
}

/** A dispatch on main whose head commit was pushed directly: no pull request, no base file, no approvals. */
function directDispatch(plan = PLAN): ApplyFacts {
  const { baseFile: _base, approval: _approval, approvedHead: _head, ...rest } = approvedPush()
  return { ...rest, event: DISPATCH, pullRequest: null, plan }
}

/** bob's Engineering grant ended on 2026-03-01 (now is 2026-03-15); nothing else differs from the account. */
const ONLY_EXPIRED_PLAN = planChanges(
  desiredOf(
    ADD_ERIN.replace(', erin@example.com', '').replace(
      'bob@example.com]',
      '{email: bob@example.com, expires: 2026-03-01}]'
    )
  ),
  baseSnapshot(),
  planOptions(inputs(), NOW)
)

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
      'a direct push accepted with allow-unapproved that changes a workflow',
      {
        ...push,
        allowUnapproved: true,
        overrides: ['allow-unapproved'],
        pullRequest: null,
        pushedFiles: { paths: ['.github/workflows/access-apply.yml'], complete: true }
      },
      'Commit merge-sha changes .github/workflows/access-apply.yml, and this run has allow-unapproved set: a push that changes how the Action runs could have set that override for itself. Overrides must be in place before the change that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change. Nothing was changed.'
    ],
    [
      'a force push accepted with allow-unapproved that changes an action definition',
      {
        ...push,
        allowUnapproved: true,
        overrides: ['allow-unapproved', 'allow-lockout'],
        event: { ...PUSH_EVENT, forced: true },
        pullRequest: undefined,
        pushedFiles: { paths: ['action.yml', 'cloudflare-access.yaml'], complete: true }
      },
      'Commit merge-sha changes action.yml, and this run has allow-unapproved, allow-lockout set: a push that changes how the Action runs could have set that override for itself. Overrides must be in place before the change that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change. Nothing was changed.'
    ],
    [
      'a direct push accepted with allow-unapproved whose files GitHub may not list in full',
      {
        ...push,
        allowUnapproved: true,
        overrides: ['allow-unapproved'],
        pullRequest: null,
        pushedFiles: { paths: ['cloudflare-access.yaml'], complete: false }
      },
      'This run has allow-unapproved set, and which files commit merge-sha changes cannot be listed in full (GitHub lists at most 300 files for a comparison), so it cannot be shown that the push leaves the workflows alone. Overrides must be in place before the change that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change. Nothing was changed.'
    ],
    [
      'a direct push that creates the branch, accepted with allow-unapproved',
      {
        ...push,
        allowUnapproved: true,
        overrides: ['allow-unapproved'],
        pullRequest: null,
        pushedFiles: null
      },
      'This run has allow-unapproved set, and which files commit merge-sha changes cannot be listed in full (the push has no earlier commit to compare with), so it cannot be shown that the push leaves the workflows alone. Overrides must be in place before the change that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change. Nothing was changed.'
    ],
    [
      'an invalid file before the merge, even with allow-unapproved',
      { ...push, allowUnapproved: true, baseFile: { ref: 'before-sha', valid: false } },
      'The access file before this merge (before-) is invalid, so the owners who must approve cannot be read and nothing was changed. Once an administrator has checked the merged file, run apply with workflow_dispatch and allow-unapproved: true on main.'
    ],
    [
      'a merge that is not approved',
      { ...push, approval: NOT_APPROVED },
      'Pull request #42 was not approved as required, so nothing was changed:\n- Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
    ],
    [
      'a merge commit whose file is not the approved head commit file',
      { ...push, approvedHead: { sameFile: false } },
      'The access file merged in commit merge-sha is not the file of the approved head commit head-sh of pull request #42 (a merge conflict resolved in the merge, or a base branch that moved since), so what was merged was not approved, and nothing was changed. Once an administrator has checked the file on main, run apply with workflow_dispatch and allow-unapproved: true; requiring branches to be up to date before merging avoids this.'
    ],
    [
      'a dispatch whose head commit was pushed directly, planning more than expired removals',
      directDispatch(),
      'Commit merge-sha, the head of main, was not merged from a pull request, so nobody can be shown to have approved the 1 planned change that is not the removal of an expired grant; nothing was changed. Merge the change through an approved pull request (apply runs on its push), or set allow-unapproved: true to accept unapproved content.'
    ],
    [
      'a dispatch whose head commit is an unapproved merge',
      { ...dispatch(), approval: NOT_APPROVED },
      'Pull request #42 was not approved as required, so nothing was changed:\n- Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
    ],
    [
      'a dispatch whose head merge is not the approved head file',
      { ...dispatch(), approvedHead: { sameFile: false } },
      'The access file merged in commit merge-sha is not the file of the approved head commit head-sh of pull request #42 (a merge conflict resolved in the merge, or a base branch that moved since), so what was merged was not approved, and nothing was changed. Once an administrator has checked the file on main, run apply with workflow_dispatch and allow-unapproved: true; requiring branches to be up to date before merging avoids this.'
    ],
    [
      'a dispatch whose head merge changed a workflow while an override is set, even allow-unapproved',
      {
        ...dispatch(),
        allowUnapproved: true,
        overrides: ['allow-unapproved'],
        pullRequestFiles: ['.github/workflows/access-apply.yml']
      },
      'Pull request #42 changes .github/workflows/access-apply.yml, and this run has allow-unapproved set: a pull request that changes how the Action runs could have set that override for itself. Overrides must be in place before the pull request that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change. Nothing was changed.'
    ],
    [
      'a dispatch that does not say its commit',
      { ...dispatch(), event: { ...DISPATCH, sha: undefined } },
      'This workflow_dispatch run does not say which commit of main it runs on (GITHUB_SHA), so its approval cannot be checked and nothing was changed.'
    ],
    [
      'a dispatch whose checkout is not the commit it was dispatched on',
      { ...dispatch(), workspace: { isPushedCommit: false, isBranchTip: true } },
      'The checked-out access file is not the one in commit merge-sha, the commit whose approval was checked, so nothing was changed. Check out the commit the run was dispatched on (actions/checkout without a ref input does).'
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

  test('a direct push accepted with allow-unapproved reads what it changed right after the pull request lookup', () => {
    const { pushedFiles: _files, ...facts } = {
      ...approvedPush(),
      allowUnapproved: true,
      overrides: ['allow-unapproved'],
      pullRequest: null
    }
    expect(decideApply(facts)).toEqual({ verdict: 'gather', evidence: 'pushedFiles' })
  })

  test('with an override set, the pull request files are read right after the pull request', () => {
    const { pullRequestFiles: _files, ...facts } = {
      ...approvedPush(),
      overrides: ['allow-lockout']
    }
    expect(decideApply(facts)).toEqual({ verdict: 'gather', evidence: 'pullRequestFiles' })
  })

  test('a dispatch whose head commit is an approved merge, naming who approved', () => {
    expect(decideApply(dispatch())).toEqual({
      verdict: 'allowed',
      pullRequest: pullRequest(),
      approvers: ['octocat'],
      warnings: []
    })
  })

  test('a dispatch whose head commit was pushed directly, when only expired grants are removed', () => {
    expect(ONLY_EXPIRED_PLAN.changes.map((change) => change.cause)).toEqual(['expired'])
    expect(decideApply(directDispatch(ONLY_EXPIRED_PLAN))).toEqual({
      verdict: 'allowed',
      approvers: [],
      warnings: []
    })
  })

  test('a dispatch with an invalid file before its head merge, with allow-unapproved, with a warning', () => {
    const decision = decideApply({
      ...dispatch(),
      allowUnapproved: true,
      baseFile: { ref: 'before-sha', valid: false }
    })
    expect(decision).toEqual({
      verdict: 'allowed',
      pullRequest: pullRequest(),
      approvers: [],
      warnings: [
        'The access file before this merge (before-) is invalid, so the owners who must approve cannot be read; applying anyway because allow-unapproved is true.'
      ]
    })
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
      'a dispatch whose head commit was pushed directly',
      { event: DISPATCH, pullRequest: null, baseFile: undefined, approval: undefined },
      'Commit merge-sha, the head of main, was not merged from a pull request, so nobody can be shown to have approved the 1 planned change that is not the removal of an expired grant; applying anyway because allow-unapproved is true.'
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

  test('a dispatch asks for what a push asks for: its head commit is judged like the push that landed it', () => {
    const { pullRequest: _pr, ...rest } = dispatch()
    expect(decideApply(rest)).toEqual({ verdict: 'gather', evidence: 'pullRequest' })
  })

  test('a dispatch on a directly pushed head reads no base file, approved head or approval', () => {
    const { plan: _plan, ...rest } = directDispatch()
    expect(decideApply(rest)).toEqual({ verdict: 'gather', evidence: 'plan' })
  })
})
