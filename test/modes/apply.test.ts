import { describe, expect, test } from 'vitest'
import { runApply } from '../../src/modes/apply.js'
import { APPLY_COMMENT_MARKER, escapeMarkdown } from '../../src/report/index.js'
import type { EventInfo } from '../../src/github/index.js'
import {
  ACCOUNT,
  CONFIG,
  ENG_ID,
  PR_EVENT,
  PUSH_EVENT,
  READ_ONLY_ROLE,
  approval,
  fakeGitHub,
  harness as baseHarness,
  inputs,
  pullRequest,
  type FakeGitHub
} from './fakes.js'
import { ADD_ERIN, IN_SYNC } from './files.js'

/**
 * Apply runs on push by default. The checkout is the pushed commit, which is still the tip of main and holds the file
 * of the approved head: GitHub serves the workspace file at all three (apply checks that before writing).
 */
function harness(options: Parameters<typeof baseHarness>[0]) {
  const h = baseHarness({ event: PUSH_EVENT, ...options })
  if (options.file !== undefined) {
    // The approved head commit of pull request #42 holds the same file (apply checks that the merge added nothing).
    for (const ref of ['merge-sha', 'main', 'head-sha'])
      h.github.data.filesAtRef[ref] ??= { [CONFIG]: options.file }
  }
  return h
}

const ENG_WITH_ERIN = {
  call: 'putGroup',
  id: ENG_ID,
  body: {
    name: 'Engineering',
    include: [
      { email: { email: 'alice@example.com' } },
      { email: { email: 'bob@example.com' } },
      { email: { email: 'erin@example.com' } }
    ],
    exclude: [],
    require: []
  }
}

/** A merged pull request #42 whose base file (at the push's `before`) is `base`, with these reviews. */
function mergedPullRequest(options: {
  base?: string
  reviews?: ReturnType<typeof approval>[]
  teams?: Record<string, string[]>
}): FakeGitHub {
  return fakeGitHub({
    filesAtRef: { 'before-sha': { [CONFIG]: options.base ?? IN_SYNC } },
    pullRequests: [pullRequest()],
    reviews: { 42: options.reviews ?? [approval('octocat')] },
    teams: options.teams ?? {}
  })
}

describe('runApply refuses to run where it must not', () => {
  test.each(['pull_request', 'pull_request_target'] as const)(
    '%s events are refused before anything is read',
    async (kind) => {
      const h = harness({ file: ADD_ERIN, event: { ...PR_EVENT, kind, name: kind } })

      const result = await runApply(h.deps)

      expect(result).toEqual({
        outputs: {},
        failure:
          'apply never runs for pull request events: it would change Cloudflare before anyone approved. Use mode: plan on pull requests and mode: apply on push to the default branch.'
      })
      expect(h.readPatterns).toEqual([])
      expect(h.cloudflare.calls).toEqual([])
      expect(h.github.calls).toEqual([])
    }
  )

  test('a merge_group event is refused before anything is read: the queued merge may still be dropped', async () => {
    const h = harness({
      file: ADD_ERIN,
      event: { kind: 'merge_group', name: 'merge_group', isFork: false, defaultBranch: 'main' }
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'apply never runs for merge_group events: the queued merge is not on the default branch yet and may still be dropped from the queue. Use mode: plan for merge_group; apply runs on the push once the merge lands.'
    )
    expect(h.readPatterns).toEqual([])
    expect(h.cloudflare.calls).toEqual([])
    expect(h.github.calls).toEqual([])
  })

  test('a push to another branch is refused', async () => {
    const h = harness({ file: ADD_ERIN, event: { ...PUSH_EVENT, ref: 'refs/heads/feature' } })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure:
        'apply only runs on the default branch (main); this run is on refs/heads/feature. Nothing was changed.'
    })
    expect(h.cloudflare.calls).toEqual([])
    expect(h.github.calls).toEqual([])
  })

  test('a tag push named like the default branch is refused', async () => {
    const h = harness({ file: ADD_ERIN, event: { ...PUSH_EVENT, ref: 'refs/tags/main' } })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'apply only runs on the default branch (main); this run is on refs/tags/main. Nothing was changed.'
    )
    expect(h.cloudflare.calls).toEqual([])
  })

  test('a schedule event is refused, even on the default branch', async () => {
    const event: EventInfo = {
      kind: 'schedule',
      name: 'schedule',
      isFork: false,
      ref: 'refs/heads/main',
      defaultBranch: 'main'
    }
    const h = harness({ file: ADD_ERIN, event })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure: 'apply runs on push or workflow_dispatch, not schedule. Nothing was changed.'
    })
    expect(h.cloudflare.calls).toEqual([])
  })

  test('an invalid file on the default branch changes nothing', async () => {
    const h = harness({ file: 'version: 2\n', github: mergedPullRequest({}) })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure: 'The access file on the default branch is invalid; nothing was changed.'
    })
    expect(h.io.errors).toHaveLength(1)
    expect(h.io.errors[0]!.location).toEqual({ file: CONFIG, line: 1, column: 10 })
    expect(h.cloudflare.calls).toEqual([])
  })

  test('without a GitHub token a push cannot be proven approved', async () => {
    const h = harness({ file: ADD_ERIN, withGitHub: false })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'apply needs the github-token input to prove the change was approved. Nothing was changed.'
    )
    expect(h.cloudflare.calls).toEqual([])
  })
})

describe('every refusal takes one path', () => {
  test.each<[string, Parameters<typeof harness>[0]]>([
    ['a pull request event', { file: ADD_ERIN, event: PR_EVENT }],
    ['another branch', { file: ADD_ERIN, event: { ...PUSH_EVENT, ref: 'refs/heads/feature' } }],
    ['an invalid file', { file: 'version: 2\n', github: mergedPullRequest({}) }],
    ['no GitHub token', { file: ADD_ERIN, withGitHub: false }],
    ['a direct push', { file: ADD_ERIN, github: fakeGitHub() }],
    ['an unapproved merge', { file: ADD_ERIN, github: mergedPullRequest({ reviews: [] }) }]
  ])('%s: the job summary says why, the step fails, nothing is written', async (_name, options) => {
    const h = harness(options)

    const result = await runApply(h.deps)

    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toMatch(/^## ⛔ Apply refused\n\n/)
    expect(h.io.summaries[0]).toContain(escapeMarkdown(result.failure!.split('\n')[0]!))
    expect(h.cloudflare.writes).toEqual([])
  })
})

describe('runApply proves approval before writing', () => {
  test('a direct push is refused', async () => {
    const h = harness({ file: ADD_ERIN, github: fakeGitHub() })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure:
        'Commit merge-sha was pushed directly, not merged from an approved pull request, so nothing was changed. Open a pull request, or set allow-unapproved: true to accept direct pushes.'
    })
    expect(h.github.calls).toEqual(['findMergedPullRequest merge-sha, main'])
    expect(h.cloudflare.calls).toEqual([])
  })

  test('a direct push is applied with allow-unapproved, with a warning and no comment', async () => {
    const h = harness({
      file: ADD_ERIN,
      github: fakeGitHub(),
      inputs: inputs({ 'allow-unapproved': 'true' })
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(h.io.warnings).toEqual([
      'Commit merge-sha did not come from a merged pull request; applying anyway because allow-unapproved is true.'
    ])
    expect(h.cloudflare.writes).toEqual([ENG_WITH_ERIN])
    expect(result.outputs['comment-id']).toBe('')
    expect(h.github.data.comments).toEqual([])
  })

  test('a merged pull request without an approval is refused with the reasons, zero writes', async () => {
    const h = harness({ file: ADD_ERIN, github: mergedPullRequest({ reviews: [] }) })

    const result = await runApply(h.deps)

    // Approval covers every planned change, so the account is read (reads only) and planned before deciding.
    expect(result).toEqual({
      outputs: {
        'has-changes': 'true',
        additions: '1',
        removals: '0',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json'
      },
      failure:
        'Pull request #42 was not approved as required, so nothing was changed:\n' +
        '- Needs 1 approval on the final commit head-sh from someone other than @author; has 0.\n' +
        '- Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
    })
    expect(h.cloudflare.calls).toEqual(['verifyCredentials', 'readAccountSnapshot'])
    expect(h.cloudflare.writes).toEqual([])
  })

  test('required-approvals 2 with one approval is refused', async () => {
    const h = harness({
      file: ADD_ERIN,
      github: mergedPullRequest({}),
      inputs: inputs({ 'required-approvals': '2' })
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'Pull request #42 was not approved as required, so nothing was changed:\n' +
        '- Needs 2 approvals on the final commit head-sh from someone other than @author; has 1.'
    )
    expect(h.cloudflare.writes).toEqual([])
  })

  test('an approved merge is applied: exact writes, outputs, result comment on the pull request', async () => {
    const github = mergedPullRequest({})
    const h = harness({ file: ADD_ERIN, github })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {
        'has-changes': 'true',
        additions: '1',
        removals: '0',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json',
        'comment-id': '1000',
        applied: '1',
        failed: '0'
      },
      failure: undefined
    })
    expect(h.cloudflare.connectedTo).toEqual([ACCOUNT])
    expect(h.cloudflare.calls).toEqual([
      'verifyCredentials',
      'readAccountSnapshot',
      `getGroup ${ENG_ID}`,
      `putGroup ${ENG_ID}`
    ])
    expect(h.cloudflare.writes).toEqual([ENG_WITH_ERIN])
    expect(github.calls).toEqual([
      'findMergedPullRequest merge-sha, main',
      'readFilesAtRef before-sha, cloudflare-access.yaml',
      // The checkout is the pushed commit, still main's, and holds the approved head's file ...
      'readFilesAtRef merge-sha, cloudflare-access.yaml',
      'readFilesAtRef main, cloudflare-access.yaml',
      'readFilesAtRef head-sha, cloudflare-access.yaml',
      // ... then, once the plan is known, the approvals of every target it changes.
      'listReviews 42',
      'repositoryPermission octocat',
      'pullRequestCommitLogins 42',
      'publicEmail octocat',
      'createComment 42'
    ])
    expect(github.data.comments).toHaveLength(1)
    expect(github.data.comments[0]!.body.startsWith(APPLY_COMMENT_MARKER)).toBe(true)
    expect(github.data.comments[0]!.body).toContain('erin@example.com')
    expect(h.io.infos).toContain('Pull request #42 approved by octocat.')
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.planFiles).toHaveLength(1)
  })

  test('a member of an owner team satisfies the owner rule of a role', async () => {
    const file = IN_SYNC.replace(
      'members: [carol@example.com, dave@example.com]',
      'members: [carol@example.com]'
    )
    const github = mergedPullRequest({
      reviews: [approval('sam')],
      teams: { 'acme/security': ['sam'] }
    })
    const h = harness({ file, github })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(h.cloudflare.writes).toEqual([{ call: 'removeMember', memberId: 'm-dave' }])
    expect(result.outputs.removals).toBe('1')
    expect(result.outputs.applied).toBe('1')
  })

  test('owners come from the base file: a pull request naming its own owner does not satisfy the rule', async () => {
    // The merged file makes mallory the owner of Engineering; before the merge it was octocat.
    const head = ADD_ERIN.replace('owners: [octocat]', 'owners: [mallory]')
    const github = mergedPullRequest({ reviews: [approval('mallory')] })
    const h = harness({ file: head, github })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {
        'has-changes': 'true',
        additions: '1',
        removals: '0',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json'
      },
      failure:
        'Pull request #42 was not approved as required, so nothing was changed:\n' +
        '- Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
    })
    expect(h.cloudflare.writes).toEqual([])
  })

  test('the author adding themself as owner and approving does not count', async () => {
    const head = ADD_ERIN.replace('owners: [octocat]', 'owners: [author]')
    const github = mergedPullRequest({
      reviews: [approval('author'), approval('reviewer', 'head-sha', 2)]
    })
    const h = harness({ file: head, github })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'Pull request #42 was not approved as required, so nothing was changed:\n' +
        '- Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
    )
    expect(h.cloudflare.writes).toEqual([])
  })

  test('an invalid file before the merge fails closed: its owners cannot be read', async () => {
    const h = harness({
      file: ADD_ERIN,
      github: mergedPullRequest({ base: 'version: 1\ngroups: [oops\n' })
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'The access file before this merge (before-) is invalid, so the owners who must approve cannot be read and nothing was changed. Once an administrator has checked the merged file, run apply with workflow_dispatch and allow-unapproved: true on main.'
    )
    expect(h.cloudflare.calls).toEqual([])
    expect(h.io.summaries.join('')).toContain('## ⛔ Apply refused')
  })

  test('a new branch push (before all zeros) reads owners at the pull request base', async () => {
    const github = fakeGitHub({
      filesAtRef: { 'pr-base-sha': { [CONFIG]: IN_SYNC } },
      pullRequests: [pullRequest()],
      reviews: { 42: [approval('octocat')] }
    })
    const h = harness({
      file: ADD_ERIN,
      github,
      event: { ...PUSH_EVENT, before: '0000000000000000000000000000000000000000' }
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(github.calls[1]).toBe('readFilesAtRef pr-base-sha, cloudflare-access.yaml')
  })

  const DISPATCH_EVENT = {
    kind: 'workflow_dispatch',
    name: 'workflow_dispatch',
    isFork: false,
    ref: 'refs/heads/main',
    sha: 'merge-sha',
    defaultBranch: 'main'
  } as const

  test('workflow_dispatch is judged like the push of its head commit: an approved merge is applied', async () => {
    // The owners come from the pull request's base: a dispatch has no `before`.
    const github = fakeGitHub({
      filesAtRef: { 'pr-base-sha': { [CONFIG]: IN_SYNC } },
      pullRequests: [pullRequest()],
      reviews: { 42: [approval('octocat')] }
    })
    const h = harness({ file: ADD_ERIN, github, event: DISPATCH_EVENT })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(github.calls.slice(0, 2)).toEqual([
      'findMergedPullRequest merge-sha, main',
      'readFilesAtRef pr-base-sha, cloudflare-access.yaml'
    ])
    expect(h.cloudflare.writes).toEqual([ENG_WITH_ERIN])
  })

  test('workflow_dispatch on a head commit pushed directly changes nothing', async () => {
    const h = harness({ file: ADD_ERIN, github: fakeGitHub(), event: DISPATCH_EVENT })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'Commit merge-sha, the head of main, was not merged from a pull request, so nobody can be shown to have approved the 1 planned change that is not the removal of an expired grant; nothing was changed. Merge the change through an approved pull request (apply runs on its push), or set allow-unapproved: true to accept unapproved content.'
    )
    expect(h.io.summaries[0]).toMatch(/^## ⛔ Apply refused\n\n/)
    expect(h.cloudflare.writes).toEqual([])
  })
})

describe('runApply writing', () => {
  test('dry-run writes nothing and reports the changes as skipped', async () => {
    const h = harness({
      file: ADD_ERIN,
      github: mergedPullRequest({}),
      inputs: inputs({ 'dry-run': 'true' })
    })

    const result = await runApply(h.deps)

    expect(result.outputs.applied).toBe('0')
    expect(result.outputs.failed).toBe('0')
    expect(result.outputs['has-changes']).toBe('true')
    expect(result.failure).toBeUndefined()
    expect(h.cloudflare.writes).toEqual([])
    expect(h.cloudflare.calls).toEqual(['verifyCredentials', 'readAccountSnapshot'])
  })

  test('a failing write fails the step and is counted; the other writes still happen', async () => {
    const file = ADD_ERIN.replace(
      'members: [carol@example.com, dave@example.com]',
      'members: [carol@example.com, dave@example.com, erin@example.com]'
    )
    const github = mergedPullRequest({
      reviews: [approval('octocat'), approval('sam', 'head-sha', 2)],
      teams: { 'acme/security': ['sam'] }
    })
    const h = harness({ file, github })
    h.cloudflare.failWritesTo.add(ENG_ID)

    const result = await runApply(h.deps)

    expect(result.outputs.applied).toBe('1')
    expect(result.outputs.failed).toBe('1')
    expect(result.failure).toBe('1 change failed; the others were applied. Re-running converges.')
    expect(h.cloudflare.writes).toEqual([
      { call: 'inviteMember', email: 'erin@example.com', roleIds: [READ_ONLY_ROLE.id] }
    ])
    expect(github.data.comments).toHaveLength(1)
  })

  test('a blocked plan writes nothing', async () => {
    const file = IN_SYNC.replace(', bob@example.com]', ']')
    const h = harness({
      file,
      github: mergedPullRequest({}),
      inputs: inputs({ 'max-removals': '0' })
    })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {
        'has-changes': 'true',
        additions: '0',
        removals: '1',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json'
      },
      failure:
        'Nothing was changed; the plan is blocked:\nThis plan removes 1 grants, more than the limit of 0. If these removals are intended, raise max_removals in the access file settings. To go ahead anyway, set the action input allow-mass-removal: true for this run.'
    })
    expect(h.cloudflare.calls).toEqual(['verifyCredentials', 'readAccountSnapshot'])
    // No result comment; the refusal is commented on the merged pull request instead.
    expect(h.github.data.comments).toHaveLength(1)
    expect(h.github.data.comments[0]!.body).toContain(
      '<!-- cloudflare-access-as-code:apply-refused -->'
    )
    expect(h.github.data.comments[0]!.body).toContain('the plan is blocked')
  })

  test('a refusal is commented on the merged pull request, once: a refused re-run edits the comment', async () => {
    const github = mergedPullRequest({ reviews: [] })
    for (let run = 0; run < 2; run++) {
      const h = harness({ file: ADD_ERIN, github })
      const result = await runApply(h.deps)
      expect(result.failure).toContain('Pull request #42 was not approved as required')
    }

    expect(github.data.comments).toHaveLength(1)
    expect(github.data.comments[0]).toMatchObject({ issueNumber: 42 })
    expect(github.data.comments[0]!.body).toBe(
      '<!-- cloudflare-access-as-code:apply-refused -->\n\n' +
        '## ⛔ Apply refused\n\n' +
        'Pull request \\#&#8203;42 was not approved as required, so nothing was changed:\n\n' +
        '- Needs 1 approval on the final commit head-sh from someone other than @&#8203;author; has 0.\n' +
        '- Changes to group "Engineering" need an approval on the final commit head-sh from an owner \\(@&#8203;octocat\\); none has approved.\n\n' +
        '<sub>Commit `merge-s` · [workflow run](https://github.com/acme/access/actions/runs/1) · Cloudflare was not changed. Once the cause above is fixed, re-run the apply workflow or merge a fix.</sub>\n'
    )
  })

  test('a refusal comment GitHub refuses is a warning; the step fails for the refusal only', async () => {
    const github = mergedPullRequest({ reviews: [] })
    github.port.upsertStickyComment = async () => {
      throw new Error('Resource not accessible by integration')
    }
    const h = harness({ file: ADD_ERIN, github })

    const result = await runApply(h.deps)

    expect(result.failure).toMatch(/^Pull request #42 was not approved as required/)
    expect(h.io.warnings).toEqual([
      'The refusal was not commented on pull request #42; the job summary says why nothing was changed. Resource not accessible by integration'
    ])
    expect(h.io.summaries[0]).toMatch(/^## ⛔ Apply refused/)
    expect(h.cloudflare.writes).toEqual([])
  })

  test('an approved merge with nothing to change posts no comment', async () => {
    const github = mergedPullRequest({ base: IN_SYNC })
    // The merge only reorders members: nothing is touched, nothing changes.
    const file = IN_SYNC.replace(
      '[alice@example.com, bob@example.com]',
      '[bob@example.com, alice@example.com]'
    )
    const h = harness({ file, github })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(result.outputs['has-changes']).toBe('false')
    expect(result.outputs['comment-id']).toBe('')
    expect(github.data.comments).toEqual([])
    expect(h.cloudflare.writes).toEqual([])
  })
})
