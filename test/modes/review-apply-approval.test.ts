/** Review findings: ways a push could reach Cloudflare without the approval that apply is meant to prove. */
import { describe, expect, test } from 'vitest'
import { runApply } from '../../src/modes/apply.js'
import { CONFIG, PUSH_EVENT, approval, fakeGitHub, harness, inputs, pullRequest } from './fakes.js'
import { ADD_ERIN, IN_SYNC } from './files.js'

/** PR #42 merged as merge-sha and approved by the owner; `extra` adds files at other refs. */
function approvedMerge(extra: Record<string, Record<string, string>> = {}) {
  return fakeGitHub({
    filesAtRef: { 'before-sha': { [CONFIG]: IN_SYNC }, ...extra },
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
