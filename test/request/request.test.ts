import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import type { DesiredState } from '../../src/model/index.js'
import { addGrantToAccessFile } from '../../src/request/edit-access-file.js'
import { FORM_FIELDS, readRequestForm } from '../../src/request/form.js'
import { renderRequestIssueForm } from '../../src/request/issue-form.js'
import { parse } from 'yaml'
import { checkRequest, type RequestCheck } from '../../src/request/policy.js'
import { expectGolden } from '../report/golden.js'

const TEXT = readFileSync(new URL('../fixtures/request/access.yaml', import.meta.url), 'utf8')
const NOW = new Date('2026-12-02T10:00:00Z')

function desired(text = TEXT): DesiredState {
  const parsed = parseAccessFiles([{ path: 'cloudflare-access.yaml', text }])
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.desired
}

export function formBody(fields: {
  target?: string
  duration?: string
  reason?: string
  email?: string
  onBehalfOf?: string
}): string {
  return [
    '### Group or role',
    '',
    fields.target ?? 'group: Support',
    '',
    '### Duration',
    '',
    fields.duration ?? '4h',
    '',
    '### Reason',
    '',
    fields.reason ?? 'INC-42 customer escalation',
    '',
    '### Your e-mail',
    '',
    fields.email ?? '_No response_',
    '',
    '### On behalf of',
    '',
    fields.onBehalfOf ?? '_No response_'
  ].join('\n')
}

function check(
  body: string,
  requester = 'carol',
  options: { isBot?: boolean; teams?: Record<string, string[]> } = {}
): Promise<RequestCheck> {
  const { form, problems } = readRequestForm(body)
  return checkRequest({
    form,
    formProblems: problems,
    requester,
    requesterIsBot: options.isBot ?? false,
    desired: desired(),
    now: NOW,
    isTeamMember: async (team, login) =>
      (options.teams?.[team] ?? [])
        .map((member) => member.toLowerCase())
        .includes(login.toLowerCase())
  })
}

async function problemsOf(body: string, requester = 'carol', options = {}) {
  const result = await check(body, requester, options)
  if (result.ok) throw new Error('expected a refusal')
  return result.problems
}

describe('readRequestForm', () => {
  it('reads the answers under their headings and treats _No response_ as empty', () => {
    expect(readRequestForm(formBody({ onBehalfOf: 'erin' }))).toEqual({
      form: {
        target: { kind: 'group', name: 'Support' },
        duration: '4h',
        reason: 'INC-42 customer escalation',
        onBehalfOf: 'erin'
      },
      problems: []
    })
  })

  it('names the fields a hand-edited form lost', () => {
    expect(readRequestForm('please give me admin').problems).toEqual([
      'The form has no answer under "### Group or role".',
      'The form has no answer under "### Duration".',
      'The form has no answer under "### Reason".'
    ])
  })
})

describe('checkRequest', () => {
  it('grants the requester their people: e-mail for the duration from now', async () => {
    expect(await check(formBody({}))).toEqual({
      ok: true,
      grant: {
        kind: 'group',
        name: 'Support',
        file: 'cloudflare-access.yaml',
        email: 'carol@example.com',
        granteeLogin: 'carol',
        requester: 'carol',
        forSelf: true,
        durationMs: 4 * 3_600_000,
        expires: '2026-12-02T14:00:00Z',
        reason: 'INC-42 customer escalation'
      }
    })
  })

  it('lets a requester in a team ask, and for_others ask for someone else', async () => {
    const viaTeam = await check(formBody({ email: 'zed@example.com' }), 'zed', {
      teams: { '@acme/oncall': ['zed'] }
    })
    expect(viaTeam).toMatchObject({ ok: true, grant: { email: 'zed@example.com', forSelf: true } })
    const forErin = await check(formBody({ onBehalfOf: '@erin' }), 'dave')
    expect(forErin).toMatchObject({
      ok: true,
      grant: { email: 'erin@example.com', granteeLogin: 'erin', forSelf: false, requester: 'dave' }
    })
  })

  it('refuses each bad request with a sentence that says what to do', async () => {
    expect(await problemsOf(formBody({}), 'renovate[bot]', { isBot: true })).toEqual([
      '@renovate[bot] is a bot; requests are for people. Open the request issue as the person who needs access.'
    ])
    expect(await problemsOf(formBody({ target: 'group: Finance' }))).toEqual([
      'The access file has no group named "Finance"; pick one from the form\'s list (the form may be older than the file).'
    ])
    expect(await problemsOf(formBody({ target: 'Support please' }))).toEqual([
      '"Support please" is not one of the form\'s choices; pick a group or role from the list (the form\'s dropdown lists each as "group: name" or "role: name").'
    ])
    expect(await problemsOf(formBody({ target: 'group: Engineering' }))).toEqual([
      'The group "Engineering" does not accept requests: its entry in the access file has no requests: section. Ask its owners.'
    ])
    expect(await problemsOf(formBody({ duration: '5d' }))).toEqual([
      'The duration 5 days is longer than the group "Support" allows (3d, 3 days).'
    ])
    expect(await problemsOf(formBody({ duration: 'a while' }))).toEqual([
      'The duration "a while" is not one I can read; write a number and a unit, such as 30m, 4h, 3d or 2w (m minutes, h hours, d days, w weeks); parts add up, as in 1d12h.'
    ])
    expect(await problemsOf(formBody({ onBehalfOf: 'erin' }))).toEqual([
      "@carol may not ask on someone else's behalf for this: only requests.for_others may (dave)."
    ])
    expect(await problemsOf(formBody({ onBehalfOf: 'not an address@' }), 'dave')).toEqual([
      '"not an address@" under "On behalf of" is neither a GitHub login nor an e-mail address.'
    ])
    expect(await problemsOf(formBody({}), 'mallory')).toEqual([
      '@mallory may not request the group "Support": only its requests.requesters may (carol, dave, @acme/oncall).',
      'The access file\'s people: has no e-mail for @mallory; write yours under "Your e-mail".'
    ])
    expect(
      await problemsOf(formBody({ email: 'erin@example.com' }), 'zed', {
        teams: { '@acme/oncall': ['zed'] }
      })
    ).toEqual([
      'erin@example.com belongs to @erin in the access file\'s people:; to ask for someone else, use "On behalf of".'
    ])
    expect(await problemsOf(formBody({}), 'dave')).toEqual([
      'The access file\'s people: lists several e-mails for @dave; write the one to use under "Your e-mail".'
    ])
    expect(await problemsOf(formBody({ onBehalfOf: 'alice@example.com' }), 'dave')).toEqual([
      'alice@example.com already holds the group "Support" without an end date; there is nothing to request.'
    ])
  })
})

describe('addGrantToAccessFile', () => {
  it('adds the grant and keeps every comment, the order and the quoting', () => {
    const edited = addGrantToAccessFile(TEXT, {
      kind: 'group',
      name: 'Support',
      email: 'carol@example.com',
      expires: '2026-12-02T14:00:00Z',
      reason: "INC-42: customer's escalation # not a comment"
    })
    expectGolden('request-edit-group.yaml', edited)
    const reparsed = desired(edited)
    expect(reparsed.groups.find((group) => group.name === 'Support')!.members.at(-1)).toMatchObject(
      {
        email: 'carol@example.com',
        expires: '2026-12-02T14:00:00.000Z',
        reason: "INC-42: customer's escalation # not a comment"
      }
    )
  })

  it('turns an empty flow list into a block list and updates an expiring entry in place', () => {
    const role = addGrantToAccessFile(TEXT, {
      kind: 'role',
      name: 'Administrator',
      email: 'carol@example.com',
      expires: '2026-12-02T12:00:00.000Z',
      reason: 'deploy'
    })
    expectGolden('request-edit-role.yaml', role)
    const renewed = addGrantToAccessFile(TEXT, {
      kind: 'group',
      name: 'Support',
      email: 'BOB@example.com',
      expires: '2026-12-04T10:00:00.000Z',
      reason: 'INC-7 cover, extended'
    })
    expect(renewed).toContain(
      'expires: 2026-12-04T10:00:00.000Z\n        reason: INC-7 cover, extended'
    )
    expect(renewed.split('bob@example.com')).toHaveLength(2)
  })
})

describe('renderRequestIssueForm', () => {
  it('lists exactly the groups and roles that accept requests; the shipped example is this render', () => {
    const form = renderRequestIssueForm(desired())!
    expectGolden('request-issue-form.yml', form)
    expect(
      readFileSync(
        new URL('../../examples/ISSUE_TEMPLATE/cloudflare-access-request.yml', import.meta.url),
        'utf8'
      )
    ).toBe(form)
    const parsed = parse(form) as {
      labels: string[]
      body: { id?: string; attributes: { label: string; options?: string[] } }[]
    }
    expect(parsed.labels).toEqual(['access-request'])
    expect(parsed.body.find((field) => field.id === 'target')!.attributes.options).toEqual([
      'group: Support',
      'role: Administrator'
    ])
    // The parser reads the headings GitHub writes from these labels.
    expect(parsed.body.flatMap((field) => (field.id ? [field.attributes.label] : []))).toEqual(
      Object.values(FORM_FIELDS)
    )
    expect(
      renderRequestIssueForm(desired('version: 1\ngroups:\n  A:\n    members: []\n'))
    ).toBeUndefined()
  })
})
