/**
 * Approval covers every change apply writes: each group or role with a planned change (requested or drift) needs its
 * owners' approval, whether or not the merged pull request changed it; only expired grants are exempt.
 */
import { describe, expect, test } from 'vitest'
import { runApply } from '../../src/modes/apply.js'
import { runPlan } from '../../src/modes/plan.js'
import { PLAN_COMMENT_MARKER } from '../../src/report/index.js'
import {
  CONFIG,
  ENG_ID,
  OPS_ID,
  PR_EVENT,
  PUSH_EVENT,
  approval,
  baseSnapshot,
  fakeGitHub,
  harness,
  pullRequest
} from './fakes.js'
import { ADD_ERIN, IN_SYNC } from './files.js'

/** Ops gets an owner, so a change to it needs olga-gh's approval. */
const OWNED = IN_SYNC.replace(
  '  Ops:\n    members: [olga@example.com]',
  '  Ops:\n    owners: [olga-gh]\n    members: [olga@example.com]'
)
/** The file on main after a refused direct push: mallory in Ops, never applied (Cloudflare still has olga only). */
const UNAPPLIED = OWNED.replace(
  'members: [olga@example.com]',
  'members: [olga@example.com, mallory@example.com]'
)
/** An unrelated pull request on top of it: erin into Engineering. */
const UNAPPLIED_PLUS_ERIN = UNAPPLIED.replace(
  'members: [alice@example.com, bob@example.com]',
  'members: [alice@example.com, bob@example.com, erin@example.com]'
)

/** Pull request #42 merged as merge-sha from `base` to `head`; the checkout, main and the approved head hold `head`. */
function merge(base: string, head: string, reviews = [approval('octocat')]) {
  const github = fakeGitHub({
    filesAtRef: {
      'before-sha': { [CONFIG]: base },
      'merge-sha': { [CONFIG]: head },
      main: { [CONFIG]: head },
      'head-sha': { [CONFIG]: head }
    },
    pullRequests: [pullRequest()],
    reviews: { 42: reviews }
  })
  return { github, file: head }
}

const snapshotWithMallory = () => {
  const snapshot = baseSnapshot()
  snapshot.users.push({
    id: 'u-mallory',
    email: 'mallory@example.com',
    lastSuccessfulLogin: '2026-03-01T00:00:00Z',
    accessSeat: true,
    gatewaySeat: false
  })
  return snapshot
}

describe('apply requires approval for every planned change', () => {
  test('unapproved content already on main is not written under an unrelated approval', async () => {
    const h = harness({
      event: PUSH_EVENT,
      snapshot: snapshotWithMallory(),
      ...merge(UNAPPLIED, UNAPPLIED_PLUS_ERIN)
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'Pull request #42 was not approved as required, so nothing was changed:\n' +
        '- Changes to group "Ops" (this pull request does not change it, but the plan does: 1 change the file asks for that was never applied) need an approval on the final commit head-sh from an owner (@olga-gh); none has approved.'
    )
    expect(h.cloudflare.writes).toEqual([])
    expect(h.cloudflare.calls).toEqual(['verifyCredentials', 'readAccountSnapshot'])
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain('Changes to group "Ops"')
    expect(h.io.summaries[0]).toContain('olga-gh')
  })

  test('with the owner of that group approving too, both changes are written', async () => {
    const h = harness({
      event: PUSH_EVENT,
      snapshot: snapshotWithMallory(),
      ...merge(UNAPPLIED, UNAPPLIED_PLUS_ERIN, [
        approval('octocat'),
        approval('olga-gh', 'head-sha', 2)
      ])
    })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(h.cloudflare.writes.map((write) => write.call === 'putGroup' && write.id)).toEqual([
      ENG_ID,
      OPS_ID
    ])
    expect(h.io.infos).toContain('Pull request #42 approved by octocat, olga-gh.')
  })

  test('someone the plan gives access cannot approve it, even when the file change does not name them', async () => {
    // mallory is Ops's owner on main (from the same unapproved push) and would gain Ops through this apply.
    const base = UNAPPLIED.replace('owners: [olga-gh]', 'owners: [mallory-gh]').replace(
      'version: 1\n',
      'version: 1\npeople:\n  mallory-gh: mallory@example.com\n'
    )
    const head = base.replace(
      'members: [alice@example.com, bob@example.com]',
      'members: [alice@example.com, bob@example.com, erin@example.com]'
    )
    const h = harness({
      event: PUSH_EVENT,
      snapshot: snapshotWithMallory(),
      ...merge(base, head, [approval('octocat'), approval('mallory-gh', 'head-sha', 2)])
    })

    const result = await runApply(h.deps)

    expect(result.failure).toContain(
      'Changes to group "Ops" (this pull request does not change it, but the plan does: 1 change the file asks for that was never applied) need an approval on the final commit head-sh from an owner (@mallory-gh); none has approved.'
    )
    expect(h.cloudflare.writes).toEqual([])
  })

  test('drift in a group the pull request does not change needs that group owner', async () => {
    // Someone added eve to Engineering in the dashboard; the pull request only changes the read-only role.
    const snapshot = baseSnapshot()
    snapshot.groups[0]!.include.push({ email: { email: 'eve@example.com' } })
    const head = IN_SYNC.replace(
      'members: [carol@example.com, dave@example.com]',
      'members: [carol@example.com]'
    )
    const github = merge(IN_SYNC, head, [approval('sam')])
    github.github.data.teams = { 'acme/security': ['sam'] }
    const h = harness({ event: PUSH_EVENT, snapshot, ...github })

    const result = await runApply(h.deps)

    expect(result.failure).toBe(
      'Pull request #42 was not approved as required, so nothing was changed:\n' +
        '- Changes to group "Engineering" (this pull request does not change it, but the plan does: 1 removal of access that Cloudflare has and the file does not) need an approval on the final commit head-sh from an owner (@octocat); none has approved.'
    )
    expect(h.cloudflare.writes).toEqual([])
  })

  test('an expired grant is removed without its owner: its end date was approved', async () => {
    // bob's Engineering grant ended on 2026-03-01 (now is 2026-03-15); the pull request only changes the role.
    const base = IN_SYNC.replace(
      'members: [alice@example.com, bob@example.com]',
      'members: [alice@example.com, {email: bob@example.com, expires: 2026-03-01}]'
    )
    const head = base.replace(
      'members: [carol@example.com, dave@example.com]',
      'members: [carol@example.com]'
    )
    const github = merge(base, head, [approval('sam')])
    github.github.data.teams = { 'acme/security': ['sam'] }
    const h = harness({ event: PUSH_EVENT, ...github })

    const result = await runApply(h.deps)

    expect(result.failure).toBeUndefined()
    expect(h.cloudflare.writes).toEqual([
      {
        call: 'putGroup',
        id: ENG_ID,
        body: expect.objectContaining({ include: [{ email: { email: 'alice@example.com' } }] })
      },
      { call: 'removeMember', memberId: 'm-dave' }
    ])
  })
})

describe('the plan comment asks for exactly the approvals apply will require', () => {
  test('a group with drift is listed with its owners, though the pull request does not change it', async () => {
    const snapshot = baseSnapshot()
    snapshot.groups[0]!.include.push({ email: { email: 'eve@example.com' } })
    const github = fakeGitHub({
      filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } },
      pullRequests: [pullRequest({ merged: false, mergeCommitSha: null, baseSha: 'base-sha' })],
      reviews: { 42: [] },
      teams: { 'acme/security': [] }
    })
    const head = IN_SYNC.replace(
      'members: [carol@example.com, dave@example.com]',
      'members: [carol@example.com]'
    )
    const h = harness({ file: head, event: PR_EVENT, snapshot, github })

    await runPlan(h.deps)

    const body = github.data.comments.find((comment) =>
      comment.body.includes(PLAN_COMMENT_MARKER)
    )!.body
    expect(body).toContain('- ⏳ Access group Engineering: waiting for @octocat')
    expect(body).toContain('- ⏳ Account role Administrator Read Only: waiting for @acme/security')
  })

  test('the same file change on an account in sync asks only for the role', async () => {
    const github = fakeGitHub({
      filesAtRef: { 'base-sha': { [CONFIG]: IN_SYNC } },
      pullRequests: [pullRequest({ merged: false, mergeCommitSha: null, baseSha: 'base-sha' })],
      reviews: { 42: [] },
      teams: { 'acme/security': [] }
    })
    const head = ADD_ERIN.replace(', erin@example.com', '').replace(
      'members: [carol@example.com, dave@example.com]',
      'members: [carol@example.com]'
    )
    const h = harness({ file: head, event: PR_EVENT, github })

    await runPlan(h.deps)

    const body = github.data.comments[0]!.body
    expect(body).not.toContain('Access group Engineering: waiting')
    expect(body).toContain('- ⏳ Account role Administrator Read Only: waiting for @acme/security')
  })
})
