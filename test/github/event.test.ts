import { describe, expect, it } from 'vitest'
import { describeEvent } from '../../src/github/index.js'

function pullPayload(headRepo: string | null) {
  return {
    repository: { full_name: 'acme/access', default_branch: 'main' },
    pull_request: {
      number: 12,
      user: { login: 'alice' },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'acme/access' } },
      head: {
        ref: 'add-bob',
        sha: 'h'.repeat(40),
        repo: headRepo === null ? null : { full_name: headRepo }
      }
    }
  }
}

describe('describeEvent', () => {
  it('describes a same-repository pull request', () => {
    expect(describeEvent('pull_request', pullPayload('acme/access'))).toEqual({
      kind: 'pull_request',
      name: 'pull_request',
      isFork: false,
      pullNumber: 12,
      pullAuthor: 'alice',
      headRepo: 'acme/access',
      headRef: 'add-bob',
      headSha: 'h'.repeat(40),
      baseRef: 'main',
      baseSha: 'b'.repeat(40),
      defaultBranch: 'main'
    })
  })

  it('marks a fork and a deleted fork as forks', () => {
    expect(describeEvent('pull_request_target', pullPayload('mallory/access')).isFork).toBe(true)
    const deleted = describeEvent('pull_request', pullPayload(null))
    expect(deleted.isFork).toBe(true)
    expect(deleted.headRepo).toBeUndefined()
  })

  it('describes a push with the pushed sha', () => {
    expect(
      describeEvent('push', {
        ref: 'refs/heads/main',
        after: 'a'.repeat(40),
        repository: { default_branch: 'main' }
      })
    ).toEqual({
      kind: 'push',
      name: 'push',
      isFork: false,
      ref: 'refs/heads/main',
      sha: 'a'.repeat(40),
      defaultBranch: 'main'
    })
  })

  it('takes the default branch from the caller when the payload has none', () => {
    expect(describeEvent('schedule', { schedule: '0 6 * * 1' }, 'trunk')).toEqual({
      kind: 'schedule',
      name: 'schedule',
      isFork: false,
      defaultBranch: 'trunk'
    })
    expect(describeEvent('issue_comment', undefined).kind).toBe('other')
  })
})
