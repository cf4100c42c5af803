import { describe, expect, test } from 'vitest'
import { runPlan } from '../../src/modes/plan.js'
import { PLAN_COMMENT_MARKER } from '../../src/report/index.js'
import {
  ACCOUNT,
  CONFIG,
  PR_EVENT,
  approval,
  fakeGitHub,
  harness,
  inputs,
  pullRequest
} from './fakes.js'
import { ADD_ERIN, IN_SYNC } from './files.js'

const OPEN_PR = pullRequest({ merged: false, mergeCommitSha: null })

describe('runPlan on a pull request', () => {
  test('valid file with a change: outputs, one sticky comment, summary, plan file, no failure', async () => {
    const github = fakeGitHub({
      filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } },
      pullRequests: [OPEN_PR]
    })
    const h = harness({ file: ADD_ERIN, github })

    const result = await runPlan(h.deps)

    expect(result).toEqual({
      outputs: {
        'has-changes': 'true',
        additions: '1',
        removals: '0',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json',
        'comment-id': '1000'
      },
      failure: undefined
    })
    expect(h.readPatterns).toEqual([CONFIG])
    expect(h.cloudflare.connectedTo).toEqual([ACCOUNT])
    // The plan changes a group, so the applications are read once to say what it opens.
    expect(h.cloudflare.calls).toEqual([
      'verifyCredentials',
      'readAccountSnapshot',
      'readAccessApplications'
    ])
    expect(h.cloudflare.writes).toEqual([])
    expect(h.github.calls.filter((call) => call.startsWith('upsertStickyComment'))).toEqual([
      `upsertStickyComment 42, ${PLAN_COMMENT_MARKER}`
    ])
    expect(h.github.data.comments).toHaveLength(1)
    const comment = h.github.data.comments[0]!
    expect(comment.issueNumber).toBe(42)
    expect(comment.body.startsWith(`${PLAN_COMMENT_MARKER}\n### Cloudflare Access plan`)).toBe(true)
    expect(comment.body).toContain('| ➕ add | `erin@example.com` |')
    expect(comment.body).toContain('#### What these group changes open')
    expect(comment.body).toContain(
      '- adds erin@example.com to Engineering: no application uses this group'
    )
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain('### Cloudflare Access plan')
    expect(h.io.summaries[0]).not.toContain(PLAN_COMMENT_MARKER)
    expect(h.io.summaries[0]).toContain('`erin@example.com`')
    expect(h.io.planFiles).toHaveLength(1)
    expect(h.io.planFiles[0]!.changes.map((c) => [c.action, c.target.name, c.email])).toEqual([
      ['add', 'Engineering', 'erin@example.com']
    ])
    expect(h.io.errors).toEqual([])
    expect(h.io.infos).toEqual([
      'Read 3 Access groups, 3 account members, 2 roles and 7 Zero Trust users in 2 requests.',
      'Plan comment created: 1000'
    ])
  })

  test('changes the base branch already asks for are shown apart from the pull request’s own', async () => {
    // The base file already adds pat to Ops (not applied yet); the pull request adds erin to Engineering.
    const base = IN_SYNC.replace(
      'members: [olga@example.com]',
      'members: [olga@example.com, pat@example.com]'
    )
    const head = ADD_ERIN.replace(
      'members: [olga@example.com]',
      'members: [olga@example.com, pat@example.com]'
    )
    const github = fakeGitHub({ filesAtRef: { 'base-sha': { [CONFIG]: base } } })
    const h = harness({ file: head, github })

    const result = await runPlan(h.deps)

    expect(result.outputs.additions).toBe('2')
    expect(result.failure).toBeUndefined()
    const body = h.github.data.comments[0]!.body
    expect(body).toContain(
      '**📝 2 additions (1 asked for by this pull request, 1 drift correction). ⏳ Waiting for owner approval of 1 group or role.**'
    )
    const asked = body.indexOf('#### Asked for by this pull request')
    const drift = body.indexOf('#### Drift that merging will also correct')
    expect(asked).toBeGreaterThan(-1)
    expect(drift).toBeGreaterThan(asked)
    expect(body.indexOf('`erin@example.com`')).toBeGreaterThan(asked)
    expect(body.indexOf('`erin@example.com`')).toBeLessThan(drift)
    expect(body.indexOf('`pat@example.com`')).toBeGreaterThan(drift)
  })

  test('without a base file every change counts as asked for by the pull request', async () => {
    const h = harness({ file: ADD_ERIN })

    await runPlan(h.deps)

    const body = h.github.data.comments[0]!.body
    expect(h.github.calls[0]).toBe('readFilesAtRef base-sha, cloudflare-access.yaml')
    expect(body).not.toContain('#### Drift that merging will also correct')
    expect(body).toContain('**Access group Engineering**')
  })

  test('an invalid file: located annotations, failure, comment with the errors, no Cloudflare call', async () => {
    const invalid = `version: 1
groups:
  Engineering:
    members: [alice@example.com, not-an-email]
`
    const h = harness({ file: invalid })

    const result = await runPlan(h.deps)

    expect(result).toEqual({
      outputs: { 'comment-id': '1000' },
      failure: 'The access file has 1 error; see the annotations.'
    })
    expect(h.io.errors).toHaveLength(1)
    expect(h.io.errors[0]!.location).toEqual({ file: CONFIG, line: 4, column: 34 })
    expect(h.io.errors[0]!.message).toContain('"not-an-email" is not an e-mail address.')
    expect(h.cloudflare.connectedTo).toEqual([])
    expect(h.cloudflare.calls).toEqual([])
    expect(h.io.planFiles).toEqual([])
    // The base file is read first: a pull request that leaves the file as it is passes without a plan.
    expect(h.github.calls).toEqual([
      'readFilesAtRef base-sha, cloudflare-access.yaml',
      `upsertStickyComment 42, ${PLAN_COMMENT_MARKER}`
    ])
    const body = h.github.data.comments[0]!.body
    expect(body).toContain('"not-an-email" is not an e-mail address.')
    expect(body).toContain('cloudflare-access.yaml')
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain('"not-an-email" is not an e-mail address.')
  })

  test('an account id in the file that contradicts the input is an annotated error', async () => {
    const other = 'ffffffffffffffffffffffffffffffff'
    const h = harness({ file: `version: 1\naccount_id: ${other}\n` })

    const result = await runPlan(h.deps)

    expect(result.failure).toBe('The access file has 1 error; see the annotations.')
    expect(h.io.errors).toEqual([
      {
        message: `account_id ${other} in the access file conflicts with the cloudflare-account-id input ${ACCOUNT}. Remove one or make them agree.`,
        location: { file: CONFIG, line: 1, column: 1 }
      }
    ])
    expect(h.cloudflare.calls).toEqual([])
  })

  test('more than ten errors: ten located annotations and one pointing at the summary', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `      - bad${i}`)
    const file = `version: 1\ngroups:\n  Engineering:\n    members:\n${lines.join('\n')}\n`
    const h = harness({ file })

    const result = await runPlan(h.deps)

    expect(result.failure).toBe('The access file has 12 errors; see the annotations.')
    expect(h.io.errors).toHaveLength(11)
    expect(h.io.errors.slice(0, 10).map((e) => e.location?.line)).toEqual([
      5, 6, 7, 8, 9, 10, 11, 12, 13, 14
    ])
    expect(h.io.errors[10]).toEqual({
      message: '2 more errors in the access file; the job summary lists all 12.'
    })
  })

  test('a fork pull request: validated offline, no Cloudflare call, no comment, summary, no failure', async () => {
    const h = harness({
      file: ADD_ERIN,
      event: { ...PR_EVENT, isFork: true, headRepo: 'someone/access' }
    })

    const result = await runPlan(h.deps)

    expect(result).toEqual({ outputs: {} })
    expect(h.cloudflare.connectedTo).toEqual([])
    expect(h.cloudflare.calls).toEqual([])
    expect(h.github.calls).toEqual(['readFilesAtRef base-sha, cloudflare-access.yaml'])
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain('comes from a fork')
    expect(h.io.infos).toEqual([
      'Fork pull request: the access file is valid; no live plan without secrets.'
    ])
  })

  test('a blocked plan fails and names the input that overrides the guard', async () => {
    // Dropping bob is one removal; max-removals 0 allows none.
    const file = IN_SYNC.replace(', bob@example.com]', ']')
    const h = harness({ file, inputs: inputs({ 'max-removals': '0' }) })

    const result = await runPlan(h.deps)

    expect(result.outputs).toEqual({
      'has-changes': 'true',
      additions: '0',
      removals: '1',
      'plan-file': '/tmp/runner/cloudflare-access-plan.json',
      'comment-id': '1000'
    })
    expect(result.failure).toBe(
      'The plan cannot be applied as it stands:\nThis plan removes 1 grants, more than the limit of 0. If these removals are intended, raise max_removals in the access file settings. To go ahead anyway, set the action input allow-mass-removal: true for this run.'
    )
    expect(h.cloudflare.writes).toEqual([])
    expect(h.github.data.comments).toHaveLength(1)
  })

  test('an overridden guard does not fail the plan', async () => {
    const file = IN_SYNC.replace(', bob@example.com]', ']')
    const h = harness({
      file,
      inputs: inputs({ 'max-removals': '0', 'allow-mass-removal': 'true' })
    })

    const result = await runPlan(h.deps)

    expect(result.failure).toBeUndefined()
    expect(result.outputs.removals).toBe('1')
  })

  test('removing the last Super Administrator fails and names allow-lockout', async () => {
    const file = `${IN_SYNC}  Super Administrator - All Privileges:\n    members: []\n`
    const h = harness({ file })

    const result = await runPlan(h.deps)

    expect(result.failure).toContain('allow-lockout: true')
    expect(result.failure).toContain('admin@example.com')
    expect(result.failure!.startsWith('The plan cannot be applied as it stands:\n')).toBe(true)
  })

  test('comment: false posts no comment but still writes the summary', async () => {
    const h = harness({ file: ADD_ERIN, inputs: inputs({ comment: 'false' }) })

    const result = await runPlan(h.deps)

    expect(result.outputs['comment-id']).toBe('')
    expect(result.outputs['has-changes']).toBe('true')
    expect(h.github.calls.some((call) => call.startsWith('upsertStickyComment'))).toBe(false)
    expect(h.github.data.comments).toEqual([])
    expect(h.io.summaries).toHaveLength(1)
  })

  test('a re-run updates the sticky comment in place', async () => {
    const github = fakeGitHub()
    await runPlan(harness({ file: ADD_ERIN, github }).deps)
    const second = harness({ file: ADD_ERIN.replace('erin@', 'frank@'), github })

    const result = await runPlan(second.deps)

    expect(result.outputs['comment-id']).toBe('1000')
    expect(github.data.comments).toHaveLength(1)
    expect(github.data.comments[0]!.body).toContain('`frank@example.com`')
    expect(second.io.infos).toContain('Plan comment updated: 1000')
  })

  test('the comment names the head commit it planned', async () => {
    const h = harness({ file: ADD_ERIN })
    await runPlan(h.deps)
    expect(h.github.data.comments[0]!.body).toContain('Commit `head-sha` · account `')
  })

  test('a failed re-plan marks the earlier comment out of date, naming the commit, and still fails', async () => {
    const github = fakeGitHub()
    await runPlan(harness({ file: ADD_ERIN, github }).deps)
    const earlier = github.data.comments[0]!.body
    const second = harness({
      file: ADD_ERIN,
      github,
      event: { ...PR_EVENT, headSha: 'second-sha' }
    })
    second.cloudflare.connect = () => {
      throw new Error('Cloudflare API GET /user/tokens/verify: no answer after 4 attempts.')
    }
    second.deps.cloudflare = second.cloudflare.connect

    await expect(runPlan(second.deps)).rejects.toThrow('no answer after 4 attempts')

    expect(github.data.comments).toHaveLength(1)
    const body = github.data.comments[0]!.body
    expect(body.startsWith(`${PLAN_COMMENT_MARKER}\n`)).toBe(true)
    expect(body).toContain(
      '> **The plan for commit `second-sha` failed:** Cloudflare API GET /user/tokens/verify: no answer after 4 attempts.'
    )
    expect(body).toContain('Everything below is out of date')
    // The earlier plan is kept below the banner, once, with its own commit.
    expect(body).toContain(earlier.replace(`${PLAN_COMMENT_MARKER}\n`, ''))
    expect(body.split(PLAN_COMMENT_MARKER)).toHaveLength(2)
    expect(second.io.infos).toContain('Plan comment 1000 marked out of date.')

    // A second failure replaces the banner instead of stacking another.
    await expect(runPlan(second.deps)).rejects.toThrow()
    expect(github.data.comments[0]!.body.match(/\[!CAUTION\]/g)).toHaveLength(1)
  })

  test('a failed first plan creates no comment, and a failure to mark one is only a warning', async () => {
    const h = harness({ file: ADD_ERIN, withCloudflare: false })
    await expect(runPlan(h.deps)).rejects.toThrow('No Cloudflare credentials')
    expect(h.github.data.comments).toEqual([])

    const broken = harness({ file: ADD_ERIN, withCloudflare: false })
    broken.deps.github = {
      ...broken.github.port,
      updateStickyComment: async () => {
        throw new Error('GitHub is down')
      }
    }
    await expect(runPlan(broken.deps)).rejects.toThrow('No Cloudflare credentials')
    expect(broken.io.warnings).toContain(
      'Could not mark the plan comment out of date: GitHub is down'
    )
  })

  test('upload-plan: the plan file is uploaded and the comment links the artifact', async () => {
    const h = harness({ file: ADD_ERIN, inputs: inputs({ 'upload-plan': 'true' }) })
    await runPlan(h.deps)
    expect(h.io.uploads).toEqual(['/tmp/runner/cloudflare-access-plan.json'])
    expect(h.io.infos).toContain(
      'Plan uploaded as the workflow artifact cloudflare-access-plan.json.'
    )
    expect(h.github.data.comments[0]!.body).toContain(
      ' · the whole plan (JSON): [`cloudflare-access-plan.json`](https://github.com/acme/access/actions/runs/1/artifacts/1000)</sub>'
    )

    const off = harness({ file: ADD_ERIN })
    await runPlan(off.deps)
    expect(off.io.uploads).toEqual([])
    expect(off.github.data.comments[0]!.body).not.toContain('artifact')
  })

  test('upload-plan: a failed upload is a warning and a note, and the plan goes on', async () => {
    const h = harness({ file: ADD_ERIN, inputs: inputs({ 'upload-plan': 'true' }) })
    h.io.uploadPlanArtifact = async () => {
      throw new Error('Unable to get the ACTIONS_RUNTIME_TOKEN env variable')
    }
    const result = await runPlan(h.deps)
    expect(result.failure).toBeUndefined()
    const message =
      'The plan could not be uploaded as a workflow artifact: Unable to get the ACTIONS_RUNTIME_TOKEN env variable'
    expect(h.io.warnings).toContain(message)
    expect(h.github.data.comments[0]!.body).toContain(
      '- The plan could not be uploaded as a workflow artifact: Unable to get the ACTIONS\\_RUNTIME\\_TOKEN env variable'
    )
    expect(h.github.data.comments[0]!.body).not.toContain('artifacts/')
  })

  test('owner approvals: base-branch owners, approved or waiting, from the reviews of the head commit', async () => {
    // The pull request touches Engineering (owner octocat) and the read-only role (owner @acme/security).
    const head = ADD_ERIN.replace(
      'members: [carol@example.com, dave@example.com]',
      'members: [carol@example.com]'
    )
    const github = fakeGitHub({
      filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } },
      pullRequests: [OPEN_PR],
      reviews: { 42: [approval('octocat', 'head-sha', 1), approval('mallory', 'old-sha', 2)] },
      teams: { 'acme/security': ['sam'] }
    })
    const h = harness({ file: head, github })

    await runPlan(h.deps)

    const body = github.data.comments[0]!.body
    expect(body).toContain('#### 👥 Owner approvals')
    expect(body).toContain('- ✅ Access group Engineering: approved by @octocat')
    expect(body).toContain('- ⏳ Account role Administrator Read Only: waiting for @acme/security')
    expect(github.calls).toEqual([
      'readFilesAtRef base-sha, cloudflare-access.yaml',
      'getPullRequest 42',
      'listReviews 42',
      'repositoryPermission octocat',
      'pullRequestCommitLogins 42',
      'publicEmail octocat',
      'isTeamMember acme, security, octocat',
      `upsertStickyComment 42, ${PLAN_COMMENT_MARKER}`
    ])
  })

  test('owners a pull request writes into the file are not shown as its approvers', async () => {
    // The head names mallory as owner of Engineering; the base says octocat.
    const head = ADD_ERIN.replace('owners: [octocat]', 'owners: [mallory]')
    const github = fakeGitHub({
      filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } },
      pullRequests: [OPEN_PR],
      reviews: { 42: [approval('mallory')] }
    })
    const h = harness({ file: head, github })

    await runPlan(h.deps)

    expect(github.data.comments[0]!.body).toContain(
      '- ⏳ Access group Engineering: waiting for @octocat'
    )
  })
})

describe('runPlan when the base branch cannot be used', () => {
  test('an invalid base file: a note, every change counts as asked for, no owners shown', async () => {
    const github = fakeGitHub({
      filesAtRef: { 'base-sha': { [CONFIG]: 'version: 1\ngroups: [oops]\n' } },
      pullRequests: [OPEN_PR],
      reviews: { 42: [approval('octocat')] }
    })
    const h = harness({ file: ADD_ERIN, github })

    const result = await runPlan(h.deps)

    expect(result.failure).toBeUndefined()
    const body = github.data.comments[0]!.body
    expect(body).toContain(
      'The base branch has no valid access file, so every change is shown as asked for by this pull request.'
    )
    expect(body).not.toContain('#### Drift that merging will also correct')
    expect(body).not.toContain('#### 👥 Owner approvals')
    // No target has base owners, so no pull request or review is looked up.
    expect(github.calls).toEqual([
      'readFilesAtRef base-sha, cloudflare-access.yaml',
      `upsertStickyComment 42, ${PLAN_COMMENT_MARKER}`
    ])
  })

  test('no GitHub token: a note in the summary, no comment, owners listed as waiting', async () => {
    const h = harness({ file: ADD_ERIN, withGitHub: false })

    const result = await runPlan(h.deps)

    expect(result.outputs['comment-id']).toBe('')
    expect(result.failure).toBeUndefined()
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain(
      'The base branch could not be read, so every change is shown as asked for by this pull request.'
    )
  })

  test('an invalid file in a fork pull request: annotations and failure, no comment', async () => {
    const h = harness({
      file: 'version: 1\ngroups: [oops]\n',
      event: { ...PR_EVENT, isFork: true, headRepo: 'someone/access' }
    })

    const result = await runPlan(h.deps)

    expect(result).toEqual({
      outputs: { 'comment-id': '' },
      failure: 'The access file has 1 error; see the annotations.'
    })
    expect(h.io.errors.map((e) => e.location)).toEqual([{ file: CONFIG, line: 2, column: 9 }])
    expect(h.github.calls).toEqual(['readFilesAtRef base-sha, cloudflare-access.yaml'])
    expect(h.cloudflare.calls).toEqual([])
  })
})

describe('runPlan outside pull requests', () => {
  test('workflow_dispatch: plans and summarises, reads no base file and posts no comment', async () => {
    const h = harness({
      file: ADD_ERIN,
      event: {
        kind: 'workflow_dispatch',
        name: 'workflow_dispatch',
        isFork: false,
        ref: 'refs/heads/main',
        defaultBranch: 'main'
      }
    })

    const result = await runPlan(h.deps)

    expect(result).toEqual({
      outputs: {
        'has-changes': 'true',
        additions: '1',
        removals: '0',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json',
        'comment-id': ''
      },
      failure: undefined
    })
    expect(h.github.calls).toEqual([])
    expect(h.io.summaries).toHaveLength(1)
  })

  test('merge_group: plans the queued merge against the queue base, posts no comment, fails when blocked', async () => {
    const queued: Parameters<typeof harness>[0]['event'] = {
      kind: 'merge_group',
      name: 'merge_group',
      isFork: false,
      headSha: 'queue-sha',
      baseSha: 'base-sha',
      headRef: 'gh-readonly-queue/main/pr-42-base-sha',
      baseRef: 'main',
      defaultBranch: 'main'
    }
    const github = fakeGitHub({ filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } } })
    const h = harness({ file: ADD_ERIN, github, event: queued })

    const result = await runPlan(h.deps)

    expect(result).toEqual({
      outputs: {
        'has-changes': 'true',
        additions: '1',
        removals: '0',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json',
        'comment-id': ''
      },
      failure: undefined
    })
    // The queue's base is read to tell the queued change apart; nothing is posted, approvals are apply's business.
    expect(github.calls).toEqual(['readFilesAtRef base-sha, cloudflare-access.yaml'])
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain(
      "Planned the merge queue's result for main, commit queue-s. Nothing is applied from the queue"
    )
    expect(h.io.summaries[0]).toContain('`erin@example.com`')

    // The same queued file unchanged from its base passes without reading Cloudflare.
    const same = harness({
      file: IN_SYNC,
      github: fakeGitHub({ filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } } }),
      event: queued
    })
    expect(await runPlan(same.deps)).toEqual({ outputs: {} })
    expect(same.cloudflare.calls).toEqual([])
  })

  test('no Cloudflare credentials: a clear error before anything is read', async () => {
    const h = harness({ file: ADD_ERIN, withCloudflare: false })

    await expect(runPlan(h.deps)).rejects.toThrow(
      'No Cloudflare credentials: set cloudflare-api-token (or cloudflare-api-key with cloudflare-email) from a repository or environment secret.'
    )
  })
})

describe('runPlan on a pull request that does not change the access file', () => {
  test('passes without reading Cloudflare, writes only the summary, and leaves no comment', async () => {
    const github = fakeGitHub({ filesAtRef: { 'base-sha': { [CONFIG]: ADD_ERIN } } })
    const h = harness({ file: ADD_ERIN.replace(/\n/g, '\r\n'), github })

    const result = await runPlan(h.deps)

    expect(result).toEqual({ outputs: { 'comment-id': '' } })
    expect(h.cloudflare.connectedTo).toEqual([])
    expect(h.cloudflare.calls).toEqual([])
    expect(h.io.planFiles).toEqual([])
    expect(github.calls).toEqual([
      'readFilesAtRef base-sha, cloudflare-access.yaml',
      `updateStickyComment 42, ${PLAN_COMMENT_MARKER}`
    ])
    expect(github.data.comments).toEqual([])
    expect(h.io.summaries).toEqual([
      '### Cloudflare Access plan\n\n**✅ No access changes: this pull request does not change the access file (`cloudflare-access.yaml`), so merging it changes nothing in Cloudflare.**\n'
    ])
  })

  test('an earlier plan comment (the file was changed, then changed back) is corrected in place', async () => {
    const earlier = { id: 7, issueNumber: 42, body: `${PLAN_COMMENT_MARKER}\nwould add erin` }
    const github = fakeGitHub({
      filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } },
      comments: [earlier]
    })
    const h = harness({ file: IN_SYNC, github })

    const result = await runPlan(h.deps)

    expect(result).toEqual({ outputs: { 'comment-id': '7' } })
    expect(h.cloudflare.calls).toEqual([])
    expect(github.calls).toEqual([
      'readFilesAtRef base-sha, cloudflare-access.yaml',
      `updateStickyComment 42, ${PLAN_COMMENT_MARKER}`
    ])
    expect(github.data.comments).toHaveLength(1)
    expect(github.data.comments[0]!.body).toContain('does not change the access file')
    expect(github.data.comments[0]!.body).toContain('no longer applies')
  })

  test('a changed file is planned as before', async () => {
    const github = fakeGitHub({ filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } } })
    const h = harness({ file: ADD_ERIN, github })

    await runPlan(h.deps)

    expect(h.cloudflare.calls).toEqual([
      'verifyCredentials',
      'readAccountSnapshot',
      'readAccessApplications'
    ])
  })
})
