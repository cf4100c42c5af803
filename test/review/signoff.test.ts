import { describe, expect, it } from 'vitest'
import { evaluateSignoff, type SignoffReviewer } from '../../src/review/index.js'

const pull = { author: 'access-app[bot]', headSha: 'head', merged: false }
const approved = (login: string, commitId = 'head', userType = 'User'): SignoffReviewer => ({
  login,
  userType,
  state: 'APPROVED',
  commitId
})
const teams: Record<string, string[]> = { '@acme/audit': ['dana'] }
const check = (
  signoff: string[],
  reviewers: SignoffReviewer[],
  merged = false,
  writers = ['dana', 'ivy']
) =>
  evaluateSignoff({
    signoff,
    pull: { ...pull, merged },
    reviewers,
    teamMembership: async (team, login) => teams[team]?.includes(login) ?? 'unknown',
    mayApprove: async (login) => writers.includes(login)
  })

describe('evaluateSignoff', () => {
  it('counts a standing approval of the head commit by a listed person or team member with write access', async () => {
    expect(await check(['ivy'], [approved('ivy')])).toEqual({
      signed: true,
      by: 'ivy',
      how: 'approval'
    })
    expect(await check(['@acme/audit'], [approved('dana')])).toEqual({
      signed: true,
      by: 'dana',
      how: 'approval'
    })
  })

  it('does not count others, earlier commits, bots, the author or people without write access', async () => {
    const no = {
      signed: false,
      why: 'no standing approval of its latest commit by ivy, @acme/audit.'
    }
    const signoff = ['ivy', '@acme/audit']
    expect(await check(signoff, [approved('mallory')])).toEqual(no)
    expect(await check(signoff, [approved('ivy', 'old')])).toEqual(no)
    expect(await check(signoff, [approved('ivy', 'head', 'Bot')])).toEqual(no)
    expect(await check(signoff, [{ ...approved('ivy'), state: 'CHANGES_REQUESTED' }])).toEqual(no)
    expect(await check(signoff, [approved('dana')], false, ['ivy'])).toEqual(no)
    expect(await check(['access-app[bot]'], [approved('access-app[bot]')])).toMatchObject({
      signed: false
    })
  })

  it('without signoff, the merge of the evidence pull request signs off', async () => {
    expect(await check([], [approved('ivy')])).toEqual({
      signed: false,
      why: 'no signoff is set, and the evidence pull request is not merged.'
    })
    expect(await check([], [], true)).toEqual({ signed: true, by: 'access-app[bot]', how: 'merge' })
  })
})
