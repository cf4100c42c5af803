/**
 * Each approval rule through apply: who counts as GitHub's required reviews would (and stricter), with the exact
 * refusal and zero Cloudflare requests where the approval does not count. The rules' pure logic is tested in
 * test/github/approvals.test.ts; this proves apply acts on each before anything is written to Cloudflare.
 */
import { describe, expect, test } from 'vitest'
import { runApply } from '../../src/modes/apply.js'
import type { FakeGitHubData } from './fakes.js'
import { CONFIG, ENG_ID, PUSH_EVENT, approval, fakeGitHub, harness, pullRequest } from './fakes.js'
import { ADD_ERIN, IN_SYNC } from './files.js'

/** Pull request #42 (by `author`) adds erin@example.com to Engineering, whose owner in the base file is octocat. */
function run(data: Partial<FakeGitHubData>) {
  const github = fakeGitHub({
    filesAtRef: {
      'before-sha': { [CONFIG]: IN_SYNC },
      'merge-sha': { [CONFIG]: ADD_ERIN },
      'head-sha': { [CONFIG]: ADD_ERIN },
      main: { [CONFIG]: ADD_ERIN }
    },
    pullRequests: [pullRequest()],
    reviews: { 42: [approval('octocat')] },
    ...data
  })
  const h = harness({ file: ADD_ERIN, event: PUSH_EVENT, github })
  return { h, result: runApply(h.deps) }
}

const REFUSED = 'Pull request #42 was not approved as required, so nothing was changed:\n- '

describe('apply: each approval rule', () => {
  test('write access: the owner with write access approves, and exactly the change is written', async () => {
    const { h, result } = run({ permissions: { octocat: 'write' } })

    expect((await result).failure).toBeUndefined()
    expect(h.cloudflare.writes.map((write) => write.call)).toEqual(['putGroup'])
    expect(h.cloudflare.calls).toContain(`putGroup ${ENG_ID}`)
  })

  const OWNER_MISSING =
    '\n- Changes to group "Engineering" need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
  const needs = (author: string, tail: string) =>
    `${REFUSED}Needs 1 approval on the final commit head-sh from someone other than @${author}; has 0.${tail}${OWNER_MISSING}`

  test.each<[string, Partial<FakeGitHubData>, string]>([
    [
      'read-only reviewer',
      { permissions: { octocat: 'read' } },
      needs('author', ' Not counted: @octocat (approved, but has read access only).')
    ],
    [
      'bot',
      { reviews: { 42: [{ ...approval('octocat'), userType: 'Bot' }] } },
      needs('author', ' Not counted: @octocat (a bot or app account, not a person).')
    ],
    [
      'author',
      { pullRequests: [pullRequest({ author: 'octocat' })] },
      needs('octocat', ' Not counted: @octocat (opened this pull request).')
    ],
    [
      'committer',
      { commitLogins: { 42: ['author', 'octocat'] } },
      needs('author', ' Not counted: @octocat (pushed a commit to this pull request).')
    ],
    [
      'grantee',
      { publicEmails: { octocat: 'erin@example.com' } },
      needs(
        'author',
        ' Not counted: @octocat (gains access through this pull request (the e-mail of their GitHub account)).'
      )
    ],
    [
      'dismissed',
      { reviews: { 42: [{ ...approval('octocat'), state: 'DISMISSED' }] } },
      needs('author', '')
    ],
    [
      'stale head',
      { reviews: { 42: [approval('octocat', 'older-sha')] } },
      needs('author', ' Approved an earlier commit only: @octocat (older-s).')
    ]
  ])('%s: refused, Cloudflare only read, nothing written', async (_rule, data, expected) => {
    const { h, result } = run(data)

    // Approval covers every planned change, so the account is read (reads only) and planned first.
    expect((await result).failure).toBe(expected)
    expect(h.cloudflare.calls).toEqual(['verifyCredentials', 'readAccountSnapshot'])
    expect(h.cloudflare.writes).toEqual([])
  })
})
