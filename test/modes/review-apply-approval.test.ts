/** Review findings: ways a push could reach Cloudflare without the approval that apply is meant to prove. */
import { describe, expect, test } from 'vitest'
import { runApply } from '../../src/modes/apply.js'
import {
  CONFIG,
  PUSH_EVENT,
  approval,
  fakeGitHub,
  harness as baseHarness,
  inputs,
  pullRequest
} from './fakes.js'
import { ADD_ERIN, IN_SYNC } from './files.js'

/** Apply runs on push by default. */
function harness(options: Parameters<typeof baseHarness>[0]) {
  return baseHarness({ event: PUSH_EVENT, ...options })
}

/** PR #42 merged as merge-sha and approved by the owner; `extra` adds files at other refs. */
function approvedMerge(extra: Record<string, Record<string, string>> = {}) {
  return fakeGitHub({
    filesAtRef: {
      'before-sha': { [CONFIG]: IN_SYNC },
      'head-sha': { [CONFIG]: ADD_ERIN },
      ...extra
    },
    pullRequests: [pullRequest()],
    reviews: { 42: [approval('octocat')] }
  })
}

describe('apply refuses force pushes', () => {
  // A force push can put an old approved merge commit back on the branch: its approvals were for
  // a different change than the one this push makes (it undoes everything merged since).
  test('a force push of an approved merge commit changes nothing', async () => {
    const github = approvedMerge({
      main: { [CONFIG]: ADD_ERIN },
      'merge-sha': { [CONFIG]: ADD_ERIN }
    })
    const h = harness({ file: ADD_ERIN, github, event: { ...PUSH_EVENT, forced: true } })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure:
        'Commit merge-sha was force-pushed to main, so the approvals of the pull request it came from do not cover what this push changes; nothing was changed. Check the file on main, then run apply with workflow_dispatch, or set allow-unapproved: true to accept unapproved pushes.'
    })
    expect(h.cloudflare.calls).toEqual([])
    expect(h.io.summaries.join('')).toContain('## ⛔ Apply refused')
  })

  test('with allow-unapproved a force push is applied with a warning', async () => {
    const github = approvedMerge({
      main: { [CONFIG]: ADD_ERIN },
      'merge-sha': { [CONFIG]: ADD_ERIN }
    })
    const h = harness({
      file: ADD_ERIN,
      github,
      event: { ...PUSH_EVENT, forced: true },
      inputs: inputs({ 'allow-unapproved': 'true' })
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(h.io.warnings).toEqual([
      'Commit merge-sha was force-pushed to main; applying anyway because allow-unapproved is true.'
    ])
    expect(h.cloudflare.writes).toHaveLength(1)
  })
})

describe('apply only writes the file that is on the default branch now', () => {
  // Re-running an old apply run (its step failed, say) after later merges would apply the old file:
  // it would re-grant access a later approved pull request removed.
  test('a re-run of an older push whose file is no longer on main changes nothing', async () => {
    const github = approvedMerge({
      'merge-sha': { [CONFIG]: ADD_ERIN },
      main: { [CONFIG]: IN_SYNC }
    })
    const h = harness({ file: ADD_ERIN, github })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure:
        'The access file on main has changed since commit merge-sha, so this run is out of date and nothing was changed: applying the older file would undo what was merged since. The run for the newest commit on main applies the current file; re-run that one, or run apply with workflow_dispatch on main.'
    })
    expect(h.cloudflare.calls).toEqual([])
    expect(github.calls).toEqual([
      'findMergedPullRequest merge-sha, main',
      'readFilesAtRef before-sha, cloudflare-access.yaml',
      // Stale before anything else: the approvals are read only for a current checkout's plan.
      'readFilesAtRef merge-sha, cloudflare-access.yaml',
      'readFilesAtRef main, cloudflare-access.yaml'
    ])
  })

  // Approval was proven for the pushed commit; a workflow that checks out something else must not
  // get that something applied under the pushed commit's approval.
  test('a checkout that differs from the pushed commit changes nothing', async () => {
    const other = ADD_ERIN.replace('erin@example.com', 'mallory@example.com')
    const github = approvedMerge({ 'merge-sha': { [CONFIG]: ADD_ERIN }, main: { [CONFIG]: other } })
    const h = harness({ file: other, github })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'The checked-out access file is not the one in commit merge-sha, the commit whose approval was checked, so nothing was changed. Check out the pushed commit (actions/checkout without a ref input does).'
    )
    expect(h.cloudflare.calls).toEqual([])
  })

  test('the pushed file, still the one on main, is applied', async () => {
    const github = approvedMerge({
      'merge-sha': { [CONFIG]: ADD_ERIN },
      main: { [CONFIG]: ADD_ERIN }
    })
    const h = harness({ file: ADD_ERIN, github })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(h.cloudflare.writes).toHaveLength(1)
  })

  test('line endings alone do not count as a difference', async () => {
    const github = approvedMerge({
      'merge-sha': { [CONFIG]: ADD_ERIN },
      main: { [CONFIG]: ADD_ERIN }
    })
    const h = harness({ file: ADD_ERIN.replace(/\n/g, '\r\n'), github })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(h.cloudflare.writes).toHaveLength(1)
  })

  test('workflow_dispatch from a stale run changes nothing', async () => {
    const github = fakeGitHub({
      filesAtRef: { main: { [CONFIG]: IN_SYNC }, 'merge-sha': { [CONFIG]: ADD_ERIN } }
    })
    const h = harness({
      file: ADD_ERIN,
      github,
      event: {
        kind: 'workflow_dispatch',
        name: 'workflow_dispatch',
        isFork: false,
        ref: 'refs/heads/main',
        sha: 'merge-sha',
        defaultBranch: 'main'
      }
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'The access file on main has changed since the checked-out commit, so this run is out of date and nothing was changed: applying the older file would undo what was merged since. The run for the newest commit on main applies the current file; re-run that one, or run apply with workflow_dispatch on main.'
    )
    expect(github.calls).toEqual([
      'findMergedPullRequest merge-sha, main',
      'readFilesAtRef merge-sha, cloudflare-access.yaml',
      'readFilesAtRef main, cloudflare-access.yaml'
    ])
    expect(h.cloudflare.calls).toEqual([])
  })

  test('workflow_dispatch without a GitHub token cannot check the file and changes nothing', async () => {
    const h = harness({
      file: ADD_ERIN,
      withGitHub: false,
      event: {
        kind: 'workflow_dispatch',
        name: 'workflow_dispatch',
        isFork: false,
        ref: 'refs/heads/main',
        defaultBranch: 'main'
      }
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'apply needs the github-token input to check that the checked-out access file is the one on main now. Nothing was changed.'
    )
    expect(h.cloudflare.calls).toEqual([])
  })
})
