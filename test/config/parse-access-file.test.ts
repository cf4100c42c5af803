import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  accessFileSchema,
  parseAccessFiles,
  parseAccessFilesInTurns,
  type ParsedFiles
} from '../../src/config/index.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), 'utf8')

function errorsOf(text: string, file = 'access.yml') {
  const result = parseAccessFiles([{ path: file, text }])
  if (result.ok) throw new Error('expected errors')
  return result.errors
}

describe('parseAccessFiles: a valid file', () => {
  it('builds the desired state with normalised grants, sorted groups and exact sources', () => {
    const result = parseAccessFiles([{ path: 'access.yml', text: fixture('valid.yml') }])
    expect(result).toEqual({
      ok: true,
      desired: {
        accountId: '0123456789abcdef0123456789abcdef',
        settings: { staleAfterDays: 90, maxRemovals: { kind: 'percent', value: 25 } },
        groups: [
          {
            name: 'Contractors',
            mode: 'additive',
            owners: [],
            members: [],
            source: { file: 'access.yml', line: 18, column: 3 }
          },
          {
            name: 'Engineering',
            id: '2f6c1b4e-1111-4222-8333-444455556666',
            mode: 'authoritative',
            owners: ['octocat', '@acme/security'],
            members: [
              {
                email: 'alice@example.com',
                key: 'alice@example.com',
                source: { file: 'access.yml', line: 12, column: 9 }
              },
              {
                email: 'Bob@Example.com',
                key: 'bob@example.com',
                expires: '2026-12-31T00:00:00.000Z',
                reason: 'INC-1234 on-call cover',
                source: { file: 'access.yml', line: 13, column: 9 }
              },
              {
                email: 'carol@example.com',
                key: 'carol@example.com',
                expires: '2026-06-30T16:00:00.000Z',
                source: { file: 'access.yml', line: 16, column: 9 }
              }
            ],
            source: { file: 'access.yml', line: 8, column: 3 }
          }
        ],
        roles: [
          {
            name: 'Administrator Read Only',
            owners: ['octocat'],
            members: [
              {
                email: 'carol@example.com',
                key: 'carol@example.com',
                source: { file: 'access.yml', line: 24, column: 15 }
              }
            ],
            source: { file: 'access.yml', line: 22, column: 3 }
          }
        ],
        files: ['access.yml']
      }
    })
  })

  it('keeps names that YAML would read as null, booleans or numbers as the text written', () => {
    const result = parseAccessFiles([
      {
        path: 'a.yml',
        text: 'version: 1\ngroups:\n  Null: {members: []}\n  true: {members: []}\n  2024: {members: []}\n'
      }
    ])
    expect(result.ok && result.desired.groups.map((group) => group.name)).toEqual([
      '2024',
      'Null',
      'true'
    ])
  })

  it('counts max_removals given as a number, and accepts an expiry that arrives as a Date', () => {
    const result = parseAccessFiles([
      { path: 'a.yml', text: 'version: 1\nsettings:\n  max_removals: 0\n' }
    ])
    expect(result).toEqual({
      ok: true,
      desired: {
        settings: { maxRemovals: { kind: 'count', value: 0 } },
        groups: [],
        roles: [],
        files: ['a.yml']
      }
    })
    const parsed = accessFileSchema.parse({
      version: 1,
      roles: {
        Admin: { members: [{ email: 'a@example.com', expires: new Date('2026-12-31T00:00:00Z') }] }
      }
    })
    expect(parsed.roles?.Admin?.members).toEqual([
      { email: 'a@example.com', expires: new Date('2026-12-31T00:00:00Z') }
    ])
  })
})

describe('parseAccessFiles: errors located for people', () => {
  it('names a bad e-mail address with its path, line and column', () => {
    expect(
      errorsOf(
        'version: 1\ngroups:\n  Engineering:\n    members:\n      - alice@example.com\n      - bob@\n'
      )
    ).toEqual([
      {
        file: 'access.yml',
        line: 6,
        column: 9,
        message: 'groups.Engineering.members[1]: "bob@" is not an e-mail address.'
      }
    ])
  })

  it('names an unknown key, lists the allowed ones and suggests the closest', () => {
    expect(
      errorsOf('version: 1\ngroups:\n  Engineering:\n    memebers: []\n    members: []\n')
    ).toEqual([
      {
        file: 'access.yml',
        line: 4,
        column: 5,
        message:
          'groups.Engineering: unknown key "memebers". Allowed keys: id, mode, owners, members, requests. Did you mean "members"?'
      }
    ])
    expect(errorsOf('version: 1\nGroups: {}\n')).toEqual([
      {
        file: 'access.yml',
        line: 2,
        column: 1,
        message:
          'Unknown key "Groups" at the top level. Allowed keys: version, account_id, settings, people, groups, roles. Did you mean "groups"?'
      }
    ])
  })

  it('refuses id and mode on a role', () => {
    expect(
      errorsOf(
        'version: 1\nroles:\n  Administrator Read Only:\n    mode: additive\n    members: []\n'
      )
    ).toEqual([
      {
        file: 'access.yml',
        line: 4,
        column: 5,
        message:
          'roles["Administrator Read Only"]: unknown key "mode". Allowed keys: owners, members, requests.'
      }
    ])
  })

  it('reports a group or role without members at its name', () => {
    expect(
      errorsOf(
        'version: 1\ngroups:\n  Engineering:\n    owners: [octocat]\nroles:\n  Billing:\n    members:\n'
      )
    ).toEqual([
      {
        file: 'access.yml',
        line: 3,
        column: 3,
        message:
          'groups.Engineering: the key "members" is missing; write `members: []` to mean nobody.'
      },
      {
        file: 'access.yml',
        line: 7,
        column: 5,
        message:
          'roles.Billing.members: must be a list of e-mail addresses (write `members: []` to mean nobody), but it is empty.'
      }
    ])
  })

  it('names a duplicate e-mail (in any letter case) together with the line of the first', () => {
    const text =
      'version: 1\nroles:\n  Admin:\n    members:\n      - carol@example.com\n      - dave@example.com\n      - email: Carol@Example.com\n        reason: twice\n'
    expect(errorsOf(text)).toEqual([
      {
        file: 'access.yml',
        line: 7,
        column: 9,
        message:
          'roles.Admin.members[2]: "Carol@Example.com" is already listed at line 5 (members[0]: "carol@example.com"); list each person once.'
      }
    ])
  })

  it('rejects dates that do not exist and date-times without an offset', () => {
    const text =
      'version: 1\nroles:\n  Admin:\n    members:\n      - email: a@example.com\n        expires: 2026-02-30\n      - email: b@example.com\n        expires: 2026-01-01T10:00:00\n'
    const hint =
      'is not a date; write YYYY-MM-DD (the grant ends at 00:00 UTC that day) or an ISO date-time with an offset such as 2026-12-31T18:00:00+02:00.'
    expect(errorsOf(text)).toEqual([
      {
        file: 'access.yml',
        line: 6,
        column: 18,
        message: `roles.Admin.members[0].expires: the text "2026-02-30" ${hint}`
      },
      {
        file: 'access.yml',
        line: 8,
        column: 18,
        message: `roles.Admin.members[1].expires: the text "2026-01-01T10:00:00" ${hint}`
      }
    ])
  })

  it('reads the review settings, with defaults for the lists', () => {
    const text =
      'version: 1\nsettings:\n  review:\n    due_days: 10\n    on_no_decision: revoke\n    escalate_to: ["@acme/security"]\n'
    const result = parseAccessFiles([{ path: 'access.yml', text }])
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.desired.settings.review).toEqual({
      dueDays: 10,
      onNoDecision: 'revoke',
      escalateTo: ['@acme/security'],
      signoff: []
    })
  })

  it('reads people: logins to e-mails, merged across files, compared in lower case', () => {
    const result = parseAccessFiles([
      { path: 'a.yml', text: 'version: 1\npeople:\n  OctoCat: Octo@Example.com\n' },
      {
        path: 'b.yml',
        text: 'version: 1\npeople:\n  octocat: [octo@work.example]\n  dana: dana@example.com\n'
      }
    ])
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.desired.people).toEqual({
      octocat: ['octo@example.com', 'octo@work.example'],
      dana: ['dana@example.com']
    })
  })

  it('locates mistakes in people', () => {
    const errors = errorsOf(
      'version: 1\npeople:\n  octocat: not-an-email\n  "@acme/team": a@example.com\n'
    )
    expect(errors.map((error) => [error.line, error.message])).toEqual([
      [3, 'people.octocat: "not-an-email" is not an e-mail address.'],
      [4, expect.stringContaining('"@acme/team" is not a GitHub login')]
    ])
  })

  it('locates mistakes in the review settings at their line', () => {
    const text =
      'version: 1\nsettings:\n  review:\n    due_days: 0\n    on_no_decision: delete\n    signoff: [not a login]\n    due_dayz: 3\n'
    expect(errorsOf(text)).toEqual([
      {
        file: 'access.yml',
        line: 4,
        column: 15,
        message: 'settings.review.due_days: must be at least 1 day, but it is 0.'
      },
      {
        file: 'access.yml',
        line: 5,
        column: 21,
        message:
          'settings.review.on_no_decision: must be keep or revoke, but it is the text "delete".'
      },
      {
        file: 'access.yml',
        line: 6,
        column: 15,
        message:
          'settings.review.signoff[0]: "not a login" is not a GitHub login or team; write a login such as octocat or a team such as @acme/security.'
      },
      {
        file: 'access.yml',
        line: 7,
        column: 5,
        message: expect.stringContaining('Did you mean "due_days"?')
      }
    ])
  })

  it('rejects negative and malformed max_removals and a zero stale_after_days', () => {
    const text = 'version: 1\nsettings:\n  max_removals: -3\n  stale_after_days: 0\n'
    expect(errorsOf(text)).toEqual([
      {
        file: 'access.yml',
        line: 3,
        column: 17,
        message:
          'settings.max_removals: -3 is negative; write a number of removals such as 10 (0 allows none) or a percentage such as "25%".'
      },
      {
        file: 'access.yml',
        line: 4,
        column: 21,
        message: 'settings.stale_after_days: must be at least 1 day, but it is 0.'
      }
    ])
    expect(errorsOf('version: 1\nsettings:\n  max_removals: "150%"\n')).toEqual([
      {
        file: 'access.yml',
        line: 3,
        column: 17,
        message:
          'settings.max_removals: "150%" is more than 100%; write a percentage from 0% to 100%.'
      }
    ])
    expect(errorsOf('version: 1\nsettings:\n  max_removals: lots\n')).toEqual([
      {
        file: 'access.yml',
        line: 3,
        column: 17,
        message:
          'settings.max_removals: "lots" is not a removal limit; write a number of removals such as 10 or a percentage such as "25%".'
      }
    ])
  })

  it('asks for quotes around an account id YAML reads as a number', () => {
    expect(errorsOf('version: 1\naccount_id: 1234\n')).toEqual([
      {
        file: 'access.yml',
        line: 2,
        column: 13,
        message:
          'account_id: must be the 32 hexadecimal characters of a Cloudflare account id (in quotes if they are all digits), but it is 1234.'
      }
    ])
  })

  it('explains a member mapping by its own problems and a section of the wrong shape', () => {
    const text =
      'version: 1\ngroups:\n  - Eng\nroles:\n  Admin:\n    members:\n      - expires: 2026-01-01\n      - email: a@example.com\n        reason: [x]\n'
    expect(errorsOf(text)).toEqual([
      {
        file: 'access.yml',
        line: 3,
        column: 3,
        message:
          'groups: must be a mapping from Access group names to their members, but it is a list.'
      },
      {
        file: 'access.yml',
        line: 7,
        column: 9,
        message:
          'roles.Admin.members[0]: the key "email" is missing; write the address as `email: name@example.com`.'
      },
      {
        file: 'access.yml',
        line: 9,
        column: 17,
        message:
          'roles.Admin.members[1].reason: must be text saying why the grant exists, but it is a list.'
      }
    ])
  })

  it('requires version 1', () => {
    expect(errorsOf('# access\ngroups: {}\n')).toEqual([
      {
        file: 'access.yml',
        line: 2,
        column: 1,
        message: 'The key "version" is missing; add `version: 1` at the top of the file.'
      }
    ])
    expect(errorsOf('version: "1"\n')).toEqual([
      {
        file: 'access.yml',
        line: 1,
        column: 10,
        message: 'version: must be 1 (the only access file version), but it is the text "1".'
      }
    ])
  })

  it('reports YAML syntax errors at their position, and duplicate keys by name', () => {
    expect(errorsOf('version: 1\ngroups: [a, b\n')).toEqual([
      {
        file: 'access.yml',
        line: 3,
        column: 1,
        message:
          'YAML error: Flow sequence in block collection must be sufficiently indented and end with a ].'
      }
    ])
    expect(errorsOf('version: 1\ngroups:\n  Eng: {members: []}\n  Eng: {members: []}\n')).toEqual([
      {
        file: 'access.yml',
        line: 4,
        column: 3,
        message:
          'YAML error: the key "Eng" appears twice in the same mapping; write each key once (merge the two entries).'
      }
    ])
    expect(errorsOf('version: 1\n---\nversion: 1\n')).toEqual([
      {
        file: 'access.yml',
        line: 2,
        column: 1,
        message:
          'The file holds more than one YAML document (a second one starts at this `---`); an access file holds one. Put the second document in its own file.'
      }
    ])
  })

  it('refuses alias bombs, oversized files, empty files and a top level that is not a mapping', () => {
    const bomb = [
      'version: 1',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      ''
    ].join('\n')
    expect(errorsOf(bomb)).toEqual([
      {
        file: 'access.yml',
        line: 3,
        column: 8,
        message:
          "The file's YAML aliases (*name) expand to too many copies (more than 100), as in a resource-exhaustion attack; write the entries out instead of repeating aliases."
      }
    ])
    expect(errorsOf(`version: 1\n${'#'.repeat(1024 * 1024)}\n`)).toEqual([
      {
        file: 'access.yml',
        line: 1,
        column: 1,
        message:
          "The file is 1048588 bytes; access files are limited to 1 MiB (1048576 bytes). Split it into several files matched by the config input's glob."
      }
    ])
    expect(errorsOf('# only a comment\n')).toEqual([
      {
        file: 'access.yml',
        line: 1,
        column: 1,
        message:
          'The file is empty; an access file needs at least `version: 1` and a groups: or roles: section.'
      }
    ])
    expect(errorsOf('- version: 1\n')).toEqual([
      {
        file: 'access.yml',
        line: 1,
        column: 1,
        message:
          'The top level of an access file must be a mapping with keys such as version: and groups:, but it is a list.'
      }
    ])
  })

  it('describes a file that is not an access file and never quotes what it holds', () => {
    const secret = 'ghp_fakeSecretToken0123456789abcdef'
    // /proc/self/environ read as YAML is one plain scalar; .git/config is text with brackets and an = sign.
    const environ = `HOME=/home/runner\0GITHUB_TOKEN=${secret}\0PATH=/usr/bin`
    const gitConfig = `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${secret}\n`
    const flow = `{a: 1}} ${secret}\n`
    const duplicate = `${secret}${secret}: 1\n${secret}${secret}: 2\n`
    const messages = [environ, gitConfig, flow, duplicate].flatMap((text) =>
      errorsOf(text).map((error) => error.message)
    )
    for (const message of messages) expect(message).not.toContain(secret)
    expect(errorsOf(environ)).toEqual([
      {
        file: 'access.yml',
        line: 1,
        column: 1,
        message:
          'The top level of an access file must be a mapping with keys such as version: and groups:, but it is plain text (80 bytes on 1 line).'
      }
    ])
    expect(errorsOf(flow)[0]!.message).toBe(
      'YAML error: Unexpected flow-map-end token in YAML stream.'
    )
    expect(errorsOf(duplicate)[0]!.message).toBe(
      'YAML error: the key of 70 characters on this line appears twice in the same mapping; write each key once (merge the two entries).'
    )
    expect(
      errorsOf(`version: 1\ngroups:\n  Eng:\n    members:\n      - ${'x'.repeat(90)}\n`)
    ).toEqual([
      expect.objectContaining({
        line: 5,
        message: `groups.Eng.members[0]: a text of 90 characters is not an e-mail address.`
      })
    ])
  })

  it('reports every problem of a file at once, sorted by line and column', () => {
    const text = [
      'version: 1',
      'account_id: abc123',
      'groups:',
      '  Engineering:',
      '    id: not-a-uuid',
      '    mode: everything',
      '    owners: ["octo cat"]',
      '    members:',
      '      - 42',
      '      - email: x@example.com',
      '        note: hi',
      ''
    ].join('\n')
    expect(errorsOf(text)).toEqual([
      {
        file: 'access.yml',
        line: 2,
        column: 13,
        message:
          'account_id: "abc123" is not a Cloudflare account id; write the 32 hexadecimal characters from the dashboard URL.'
      },
      {
        file: 'access.yml',
        line: 5,
        column: 9,
        message:
          'groups.Engineering.id: the text "not-a-uuid" is not an Access group id; write the group\'s UUID (for example 2f6c1b4e-0000-4000-8000-000000000000) or remove id.'
      },
      {
        file: 'access.yml',
        line: 6,
        column: 11,
        message:
          'groups.Engineering.mode: must be authoritative or additive, but it is the text "everything".'
      },
      {
        file: 'access.yml',
        line: 7,
        column: 14,
        message:
          'groups.Engineering.owners[0]: "octo cat" is not a GitHub login or team; write a login such as octocat or a team such as @acme/security.'
      },
      {
        file: 'access.yml',
        line: 9,
        column: 9,
        message:
          'groups.Engineering.members[0]: must be an e-mail address or a mapping with email (and optionally expires and reason), but it is 42.'
      },
      {
        file: 'access.yml',
        line: 11,
        column: 9,
        message:
          'groups.Engineering.members[1]: unknown key "note". Allowed keys: email, expires, reason.'
      }
    ])
  })
})

describe('parseAccessFiles: merging several files', () => {
  const base =
    'version: 1\naccount_id: 0123456789abcdef0123456789abcdef\nsettings:\n  max_removals: 5\ngroups:\n  Engineering:\n    members: [alice@example.com]\n'

  it('unions groups and roles from all files, sorted by name, keeping the files in the order read', () => {
    const result = parseAccessFiles([
      { path: 'b/teams.yml', text: base },
      {
        path: 'a/roles.yml',
        text: 'version: 1\nroles:\n  Billing:\n    members: []\ngroups:\n  Design:\n    members: []\n'
      }
    ])
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.desired.files).toEqual(['b/teams.yml', 'a/roles.yml'])
    expect(result.desired.groups.map((group) => [group.name, group.source.file])).toEqual([
      ['Design', 'a/roles.yml'],
      ['Engineering', 'b/teams.yml']
    ])
    expect(result.desired.roles.map((role) => role.name)).toEqual(['Billing'])
    expect(result.desired.settings).toEqual({ maxRemovals: { kind: 'count', value: 5 } })
    expect(result.desired.accountId).toBe('0123456789abcdef0123456789abcdef')
  })

  it('names both files when a group is defined twice, the account differs or settings repeat', () => {
    const other =
      'version: 1\naccount_id: ffffffffffffffffffffffffffffffff\nsettings:\n  stale_after_days: 30\ngroups:\n  Engineering:\n    members: []\n'
    const result = parseAccessFiles([
      { path: 'one.yml', text: base },
      { path: 'two.yml', text: other }
    ])
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: 'two.yml',
          line: 2,
          column: 13,
          message:
            'account_id: "ffffffffffffffffffffffffffffffff" differs from "0123456789abcdef0123456789abcdef" in one.yml at line 2; all access files must name the same Cloudflare account.'
        },
        {
          file: 'two.yml',
          line: 3,
          column: 1,
          message: 'settings: already given in one.yml at line 3; put settings in one file only.'
        },
        {
          file: 'two.yml',
          line: 6,
          column: 3,
          message:
            'groups.Engineering is also defined in one.yml at line 6; define each group in one file only.'
        }
      ]
    })
  })

  it('reports errors of every file together, sorted by file name', () => {
    const result = parseAccessFiles([
      { path: 'z.yml', text: 'version: 1\nroles:\n  Admin:\n    members: [nobody]\n' },
      { path: 'a.yml', text: 'version: 3\n' }
    ])
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: 'a.yml',
          line: 1,
          column: 10,
          message: 'version: must be 1 (the only access file version), but it is 3.'
        },
        {
          file: 'z.yml',
          line: 4,
          column: 15,
          message: 'roles.Admin.members[0]: "nobody" is not an e-mail address.'
        }
      ]
    })
  })
})

describe('parseAccessFilesInTurns', () => {
  it('gives what parseAccessFiles gives, valid or not, across files', async () => {
    const valid = [
      { path: 'access/a.yml', text: fixture('valid.yml') },
      { path: 'access/b.yml', text: 'version: 1\nroles:\n  Admin:\n    members: [b@example.com]\n' }
    ]
    const invalid = [
      ...valid,
      { path: 'access/c.yml', text: 'version: 1\ngroups:\n  Engineering:\n    members: [x]\n' }
    ]
    for (const files of [valid, invalid, []]) {
      expect(await parseAccessFilesInTurns(files)).toEqual(parseAccessFiles(files))
    }
    expect((await parseAccessFilesInTurns(valid)).ok).toBe(true)
    expect((await parseAccessFilesInTurns(invalid)).ok).toBe(false)
  })
})

describe('parseAccessFiles with files parsed earlier', () => {
  it('parses a file again only when its text differs, and gives what a fresh parse gives', async () => {
    const roles = {
      path: 'access/roles.yml',
      text: 'version: 1\nroles:\n  Admin:\n    members: [b@example.com]\n'
    }
    const head = [{ path: 'access/groups.yml', text: fixture('valid.yml') }, roles]
    const base = [
      { path: 'access/groups.yml', text: 'version: 1\ngroups:\n  Engineering:\n    members: []\n' },
      roles
    ]
    const earlier: ParsedFiles = new Map()
    expect(parseAccessFiles(head, earlier)).toEqual(parseAccessFiles(head))
    const rolesParsed = earlier.get(roles.path)!.parsed
    expect(await parseAccessFilesInTurns(base, earlier)).toEqual(parseAccessFiles(base))
    expect(earlier.get(roles.path)!.parsed).toBe(rolesParsed)
    expect(earlier.get('access/groups.yml')!.text).toBe(base[0]!.text)
  })
})
