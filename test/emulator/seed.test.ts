import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  findGroupsByName,
  loadAccountSeed,
  startEmulator,
  stateFromSeed,
  type AccountSeed
} from '../../src/emulator/index.js'
import { ACCOUNT_ID, ENGINEERING_ID, account, call, testSeed } from './support.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'emulator-seed-'))
})

function write(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('loadAccountSeed', () => {
  it('reads YAML and JSON into the same state', () => {
    const yamlFile = write(
      'a.yaml',
      [
        `account_id: ${ACCOUNT_ID}`,
        'roles: [{ name: DNS }]',
        'members: [{ email: a@example.com, roles: [DNS] }]',
        'groups: [{ name: G, include: [{ email: { email: a@example.com } }] }]'
      ].join('\n')
    )
    const jsonFile = write(
      'a.json',
      JSON.stringify({
        account_id: ACCOUNT_ID,
        roles: [{ name: 'DNS' }],
        members: [{ email: 'a@example.com', roles: ['DNS'] }],
        groups: [{ name: 'G', include: [{ email: { email: 'a@example.com' } }] }]
      })
    )
    expect(stateFromSeed(loadAccountSeed(yamlFile))).toEqual(
      stateFromSeed(loadAccountSeed(jsonFile))
    )
  })

  it('loads the sample account', () => {
    const state = stateFromSeed(loadAccountSeed('examples/sample-account.yaml'))
    expect(state.accountId).toBe('def0b17f603285ef4336f6e3e3dcd43c')
    expect(state.roles.map((r) => r.name)).toEqual([
      'Administrator',
      'Administrator Read Only',
      'Billing',
      'DNS',
      'Cloudflare Zero Trust',
      'Cloudflare Zero Trust Read Only',
      'Audit Logs Viewer',
      'Cloudflare Access'
    ])
    expect(findGroupsByName(state, 'Legacy VPN')).toHaveLength(2)
    expect(state.members.filter((m) => m.status === 'pending').map((m) => m.user.email)).toEqual([
      'frank@example.com'
    ])
    expect(state.users.filter((u) => u.last_successful_login === null)).toHaveLength(2)
    expect(state.credentials.tokens[0]?.value).toBe('demo-token-0123456789abcdef0123456789ab')
  })

  it('names a missing file', () => {
    expect(() => loadAccountSeed(join(dir, 'missing.yaml'))).toThrow(
      `Cannot read account seed ${join(dir, 'missing.yaml')}: no such file.`
    )
  })

  it('names the file and the syntax problem', () => {
    const file = write('broken.json', '{"account_id": ')
    expect(() => loadAccountSeed(file)).toThrow(
      new RegExp(`^Account seed ${file} is not valid JSON: `)
    )
    const yamlFile = write('broken.yaml', 'groups: [\n')
    expect(() => loadAccountSeed(yamlFile)).toThrow(/is not valid YAML: /)
  })

  it('names each bad field', () => {
    const file = write(
      'bad.yaml',
      [
        'account_id: 1234',
        'credentials: { tokens: [{ value: "has space" }] }',
        'groups: [{ name: G, include: [{ email: { email: a@example.com }, ip: { ip: 10.0.0.1/32 } }] }]',
        'members: [{ email: nobody }]'
      ].join('\n')
    )
    expect(() => loadAccountSeed(file)).toThrow(
      `${file} is not a valid account seed:\n` +
        '  - account_id: must be 32 lowercase hex characters (quote it in YAML if it is all digits)\n' +
        '  - credentials.tokens.0.value: may only contain letters, digits and -._~+/=\n' +
        '  - members.0.email: must be an e-mail address\n' +
        '  - groups.0.include.0: each rule must have exactly one key (the rule kind), got 2 (email, ip); put each condition in its own array element\n' +
        'See examples/sample-account.yaml for the format.'
    )
  })

  it('names unknown roles, duplicate members and a listed Super Administrator', () => {
    const seed: AccountSeed = {
      account_id: ACCOUNT_ID,
      roles: [{ name: 'Super Administrator - All Privileges' }],
      members: [
        { email: 'a@example.com', roles: ['Ghost'] },
        { email: 'A@example.com', roles: [] }
      ]
    }
    expect(() => stateFromSeed(seed)).toThrow(
      'account seed is not a valid account seed:\n' +
        '  - roles.0: Super Administrator is built in (list_super_administrator says whether GET /roles lists it); remove it from roles\n' +
        '  - members.0.roles.0: no role "Ghost" in roles (use a role id or exact name)\n' +
        '  - members.1.email: A@example.com is a member twice'
    )
  })

  it('names duplicate ids and token values', () => {
    const seed: AccountSeed = {
      account_id: ACCOUNT_ID,
      credentials: { tokens: [{ value: 'same-token' }, { value: 'same-token' }] },
      groups: [
        { id: ENGINEERING_ID, name: 'A', include: [{ everyone: {} }] },
        { id: ENGINEERING_ID, name: 'B', include: [{ everyone: {} }] }
      ]
    }
    expect(() => stateFromSeed(seed)).toThrow(
      'account seed is not a valid account seed:\n' +
        '  - groups.1.id: this group id is already used by groups.0.id\n' +
        '  - credentials.tokens.1.value: this token value is already used by credentials.tokens.0.value'
    )
  })

  it('derives the same ids on every run and different ids for same-named groups', () => {
    const seed: AccountSeed = {
      account_id: ACCOUNT_ID,
      groups: [
        { name: 'Twin', include: [{ everyone: {} }] },
        { name: 'Twin', include: [{ everyone: {} }] }
      ],
      members: [{ email: 'a@example.com', roles: [] }]
    }
    const first = stateFromSeed(seed)
    const second = stateFromSeed(seed)
    expect(second).toEqual(first)
    expect(first.groups[0]?.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    )
    expect(first.groups[0]?.id).not.toBe(first.groups[1]?.id)
    expect(first.members[0]?.id).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('reset', () => {
  it('restores the seed, keeps the same state object and clears the log and faults', async () => {
    const emulator = await startEmulator({ seed: testSeed() })
    try {
      const state = emulator.state
      await call(emulator, 'DELETE', account(`/access/groups/${ENGINEERING_ID}`))
      emulator.faults.inject({ kind: 'status', status: 500, times: 10 })
      emulator.state.members.length = 0
      emulator.reset()
      expect(emulator.state).toBe(state)
      expect(emulator.requests).toEqual([])
      expect(emulator.state.groups).toHaveLength(4)
      expect(emulator.state.members).toHaveLength(5)
      expect(
        (await call(emulator, 'GET', account(`/access/groups/${ENGINEERING_ID}`))).status
      ).toBe(200)
    } finally {
      await emulator.close()
    }
  })

  it('switches to a new seed when given one', async () => {
    const emulator = await startEmulator({ seed: testSeed() })
    try {
      emulator.reset({ ...testSeed(), groups: [] })
      expect(emulator.state.groups).toEqual([])
      expect((await call(emulator, 'GET', account('/access/groups'))).json.result).toEqual([])
    } finally {
      await emulator.close()
    }
  })

  it('never shares objects with the seed', async () => {
    const seed = testSeed()
    const emulator = await startEmulator({ seed })
    try {
      emulator.state.groups[0]?.include.push({ everyone: {} })
      expect(seed.groups?.[0]?.include).toHaveLength(3)
      emulator.reset()
      expect(emulator.state.groups[0]?.include).toHaveLength(3)
    } finally {
      await emulator.close()
    }
  })
})
