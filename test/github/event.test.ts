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

  it('says when the repository itself is a fork (repository.fork), and only then', () => {
    const payload = { repository: { full_name: 'mallory/access', default_branch: 'main' } }
    expect(
      describeEvent('issues', { ...payload, repository: { ...payload.repository, fork: true } })
        .repositoryIsFork
    ).toBe(true)
    expect('repositoryIsFork' in describeEvent('issues', payload)).toBe(false)
  })

  it('marks a fork and a deleted fork as forks', () => {
    expect(describeEvent('pull_request_target', pullPayload('mallory/access')).isFork).toBe(true)
    const deleted = describeEvent('pull_request', pullPayload(null))
    expect(deleted.isFork).toBe(true)
    expect(deleted.headRepo).toBeUndefined()
  })

  it('describes an issue edit: the issue, the body before, and who edited it', () => {
    expect(
      describeEvent('issues', {
        action: 'edited',
        issue: {
          number: 4,
          body: 'after',
          user: { login: 'github-actions[bot]' },
          updated_at: '2026-12-10T08:15:00Z'
        },
        changes: { body: { from: 'before' } },
        sender: { login: 'bob', type: 'User' },
        repository: { default_branch: 'main' }
      })
    ).toEqual({
      kind: 'issues',
      name: 'issues',
      isFork: false,
      action: 'edited',
      issue: {
        number: 4,
        body: 'after',
        author: 'github-actions[bot]',
        updatedAt: '2026-12-10T08:15:00Z'
      },
      bodyBefore: 'before',
      sender: { login: 'bob', isBot: false },
      defaultBranch: 'main'
    })
  })

  it('marks bot senders by type and by login', () => {
    const app = describeEvent('issues', { sender: { login: 'access-app', type: 'Bot' } })
    expect(app.sender).toEqual({ login: 'access-app', isBot: true })
    const actions = describeEvent('issues', { sender: { login: 'github-actions[bot]' } })
    expect(actions.sender?.isBot).toBe(true)
  })

  it('a title-only edit has no body before', () => {
    const info = describeEvent('issues', {
      action: 'edited',
      issue: { number: 4, body: 'same', user: { login: 'x' } },
      changes: { title: { from: 'old' } }
    })
    expect(info.bodyBefore).toBeUndefined()
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

  it('describes a merge queue group: the queued merge commit, its base, and branch names without refs/heads/', () => {
    expect(
      describeEvent('merge_group', {
        action: 'checks_requested',
        merge_group: {
          head_sha: 'b'.repeat(40),
          head_ref: `refs/heads/gh-readonly-queue/main/pr-7-${'a'.repeat(40)}`,
          base_sha: 'a'.repeat(40),
          base_ref: 'refs/heads/main',
          head_commit: { id: 'b'.repeat(40), message: 'Merge pull request #7' }
        },
        repository: { default_branch: 'main' }
      })
    ).toEqual({
      kind: 'merge_group',
      name: 'merge_group',
      isFork: false,
      action: 'checks_requested',
      headSha: 'b'.repeat(40),
      baseSha: 'a'.repeat(40),
      headRef: `gh-readonly-queue/main/pr-7-${'a'.repeat(40)}`,
      baseRef: 'main',
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
    expect(describeEvent('release', undefined).kind).toBe('other')
  })

  it('reads a comment on an issue, and no issue for a comment on a pull request', () => {
    const payload = {
      action: 'created',
      issue: {
        number: 5,
        body: 'form',
        state: 'open',
        user: { login: 'carol' },
        labels: [{ name: 'access-request' }]
      },
      comment: { id: 77, body: '/extend 2h', user: { login: 'renovate[bot]', type: 'Bot' } },
      changes: { body: { from: 'an edited comment' } }
    }
    const info = describeEvent('issue_comment', payload)
    expect(info.issue).toEqual({
      number: 5,
      body: 'form',
      author: 'carol',
      labels: ['access-request'],
      state: 'open'
    })
    expect(info.comment).toEqual({
      id: 77,
      body: '/extend 2h',
      author: 'renovate[bot]',
      isBot: true
    })
    expect(info.bodyBefore).toBeUndefined()
    const onPull = describeEvent('issue_comment', {
      ...payload,
      issue: { ...payload.issue, pull_request: { url: 'x' } }
    })
    expect(onPull.issue).toBeUndefined()
    expect(onPull.comment).toBeUndefined()
  })
})
