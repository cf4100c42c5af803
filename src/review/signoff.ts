/**
 * Sign-off: the review ends when `review.signoff` approves its evidence pull request. Pure apart from the lookups
 * (team membership, repository permission), which come in as callbacks.
 */
import type { TeamMembership } from './decisions.js'

export interface SignoffReviewer {
  login: string
  /** GitHub's account type, when it said. */
  userType?: string
  /** The reviewer's latest standing state (APPROVED or CHANGES_REQUESTED). */
  state: string
  commitId: string
}

export type SignoffResult =
  | { signed: true; by: string; how: 'approval' | 'merge' }
  | { signed: false; why: string }

/**
 * Whether the evidence pull request signs the review off. With `signoff` set: a standing approval of its head commit
 * by a person listed there (or in a team listed there) with write access, who did not open it. Without: its merge,
 * which the branch protection of the default branch already holds to its required reviews.
 */
export async function evaluateSignoff(input: {
  signoff: readonly string[]
  pull: { author: string; headSha: string; merged: boolean }
  /** Latest state per reviewer (latestReviewStates). */
  reviewers: readonly SignoffReviewer[]
  teamMembership: TeamMembership
  mayApprove: (login: string) => Promise<boolean>
}): Promise<SignoffResult> {
  const { signoff, pull } = input
  if (signoff.length === 0) {
    return pull.merged
      ? { signed: true, by: pull.author, how: 'merge' }
      : { signed: false, why: 'no signoff is set, and the evidence pull request is not merged.' }
  }
  const norm = (login: string) => login.trim().replace(/^@/, '').toLowerCase()
  for (const reviewer of input.reviewers) {
    if (reviewer.state !== 'APPROVED' || reviewer.commitId !== pull.headSha) continue
    if (reviewer.userType !== undefined && reviewer.userType !== 'User') continue
    if (norm(reviewer.login) === norm(pull.author)) continue
    let listed = false
    for (const entry of signoff) {
      if (!entry.includes('/')) listed = norm(entry) === norm(reviewer.login)
      else listed = (await input.teamMembership(entry, reviewer.login)) === true
      if (listed) break
    }
    if (listed && (await input.mayApprove(reviewer.login))) {
      return { signed: true, by: reviewer.login, how: 'approval' }
    }
  }
  return {
    signed: false,
    why: `no standing approval of its latest commit by ${signoff.join(', ')}.`
  }
}
