import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import type { DesiredState } from '../../src/model/index.js'
import { checkRequestIssue, requestNeedsGitHubToken } from '../../src/modes/request-check.js'

const TEXT = readFileSync(new URL('../fixtures/request/access.yaml', import.meta.url), 'utf8')
const NOW = new Date('2026-12-02T10:00:00Z')

function desired(): DesiredState {
  const parsed = parseAccessFiles([{ path: 'cloudflare-access.yaml', text: TEXT }])
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.desired
}

/** The issue form's Markdown, as GitHub writes it. */
function formBody(fields: { duration?: string; email?: string }): string {
  return [
    '### Group or role',
    'group: Support',
    '### Duration',
    fields.duration ?? '4h',
    '### Reason',
    'INC-42 customer escalation',
    '### Your e-mail',
    fields.email ?? '_No response_',
    '### On behalf of',
    '_No response_'
  ].join('\n\n')
}

/** A GitHub port that knows one team and records every team lookup it is asked. */
function teams(members: Record<string, string[]>) {
  const asked: string[] = []
  return {
    asked,
    isTeamMember: async (org: string, slug: string, login: string) => {
      asked.push(`${org}/${slug} ${login}`)
      return (members[`${org}/${slug}`] ?? []).includes(login)
    }
  }
}

describe('checkRequestIssue (request and /extend alike)', () => {
  it('looks a requesters team up through the GitHub port, by org and slug', async () => {
    const github = teams({ 'acme/oncall': ['frank'] })
    const checked = await checkRequestIssue({
      github,
      issue: { body: formBody({ email: 'frank@example.com' }), author: 'frank' },
      desired: desired(),
      now: NOW
    })
    expect(checked.ok).toBe(true)
    expect(github.asked).toEqual(['acme/oncall frank'])
  })

  it('takes the requester from the issue author, and lets /extend set the duration it judges itself', async () => {
    const github = teams({})
    const checked = await checkRequestIssue({
      github,
      issue: { body: formBody({ duration: '30d' }), author: 'carol' },
      desired: desired(),
      now: NOW,
      form: { duration: '1m' }
    })
    expect(checked.ok && checked.grant.requester).toBe('carol')
    expect(checked.ok && checked.grant.durationMs).toBe(60_000)

    const refused = await checkRequestIssue({
      github,
      issue: { body: formBody({}), author: 'mallory' },
      desired: desired(),
      now: NOW
    })
    expect(refused.ok).toBe(false)
  })

  it('without a GitHub token both refuse with the same failure', () => {
    expect(requestNeedsGitHubToken()).toEqual({
      outputs: {},
      failure:
        'request needs the github-token input (issues: write, contents: write, pull-requests: write) to open the pull request.'
    })
  })
})
