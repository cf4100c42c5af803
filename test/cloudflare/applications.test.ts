import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCloudflareClient } from '../../src/cloudflare/index.js'
import { readAccessApplications, type ListReader } from '../../src/cloudflare/applications.js'
import { applicationsOpenedBy, mapGroupsToApplications } from '../../src/diff/applications.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import {
  ACCOUNT_ID,
  CONTRACTORS_ID,
  ENGINEERING_ID,
  READ_ONLY_TOKEN,
  TOKEN,
  testSeed
} from '../emulator/support.js'

const OUTER_ID = '33333333-3333-4333-8333-333333333333'

let emulator: Emulator
beforeAll(async () => {
  const seed = testSeed()
  seed.groups!.push({
    id: OUTER_ID,
    name: 'Staff',
    include: [{ group: { id: ENGINEERING_ID } }]
  })
  seed.apps = [
    {
      name: 'Grafana',
      domain: 'grafana.example.com',
      policies: [
        { name: 'staff', include: [{ group: { id: OUTER_ID } }] },
        { name: 'no contractors', decision: 'deny', include: [{ group: { id: CONTRACTORS_ID } }] }
      ]
    },
    {
      name: 'SSH bastion',
      domain: 'ssh-bastion.example.com',
      policies: [
        {
          name: 'engineers with mfa',
          include: [{ everyone: {} }],
          require: [{ group: { id: ENGINEERING_ID } }]
        }
      ]
    }
  ]
  emulator = await startEmulator({ seed })
})
afterAll(async () => {
  await emulator.close()
})

const client = (token: string) =>
  createCloudflareClient({
    apiUrl: emulator.url,
    accountId: ACCOUNT_ID,
    credentials: { kind: 'token', token },
    sleep: async () => undefined
  })

describe('reading what each group opens', () => {
  it('reads every application with its policies in one request at per_page 1000', async () => {
    emulator.requests.length = 0
    const api = client(TOKEN)
    const read = await api.readAccessApplications()
    expect(api.requestCount).toBe(1)
    expect(emulator.requests.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', `/client/v4/accounts/${ACCOUNT_ID}/access/apps`, { page: '1', per_page: '1000' }]
    ])
    expect(read.status).toBe('read')
    if (read.status !== 'read') return
    expect(read.applications.map((a) => [a.name, a.policies.map((p) => p.decision)])).toEqual([
      ['grafana.example.com', ['allow', 'deny']],
      ['ssh-bastion.example.com', ['allow']]
    ])

    const snapshot = await api.readAccountSnapshot()
    const uses = mapGroupsToApplications(read.applications, snapshot.groups)
    // Engineering opens Grafana through Staff, which includes it, and is required for the bastion.
    expect(uses.get(ENGINEERING_ID)?.map((u) => [u.application.name, u.role, u.via])).toEqual([
      ['grafana.example.com', 'include', 'Staff'],
      ['ssh-bastion.example.com', 'require', undefined]
    ])
    expect(applicationsOpenedBy(uses.get(ENGINEERING_ID))).toEqual(['grafana.example.com'])
    expect(applicationsOpenedBy(uses.get(OUTER_ID))).toEqual(['grafana.example.com'])
    // A deny policy's include does not open anything.
    expect(uses.get(CONTRACTORS_ID)?.map((u) => u.policy.decision)).toEqual(['deny'])
    expect(applicationsOpenedBy(uses.get(CONTRACTORS_ID))).toEqual([])
  })

  it('without the apps permission answers which permission would add it, after one request', async () => {
    const api = client(READ_ONLY_TOKEN)
    await expect(api.readAccessApplications()).resolves.toEqual({
      status: 'forbidden',
      permission: 'Access: Apps and Policies Read'
    })
    expect(api.requestCount).toBe(1)
  })
})

describe('readAccessApplications', () => {
  it('reads reusable policies only when an app lists a policy without its rules', async () => {
    const calls: string[] = []
    const lists: Record<string, unknown[]> = {
      '/a/access/apps': [
        { id: 'app-1', name: 'Wiki', domain: 'wiki.example.com', policies: [{ id: 'p-1' }] }
      ],
      '/a/access/policies': [
        { id: 'p-1', name: 'staff', decision: 'allow', include: [{ group: { id: 'g-1' } }] }
      ]
    }
    const list: ListReader = async (path, perPage, schema) => {
      calls.push(`${path} ${perPage}`)
      return (lists[path] ?? []).map((item) => schema.parse(item))
    }
    const read = await readAccessApplications(list, '/a')
    expect(calls).toEqual(['/a/access/apps 1000', '/a/access/policies 1000'])
    expect(read).toEqual({
      status: 'read',
      applications: [
        {
          id: 'app-1',
          name: 'wiki.example.com',
          domain: 'wiki.example.com',
          policies: [
            {
              id: 'p-1',
              name: 'staff',
              decision: 'allow',
              include: [{ group: { id: 'g-1' } }],
              exclude: [],
              require: []
            }
          ]
        }
      ]
    })
  })
})

describe('the OpenAPI contract', () => {
  it('knows the applications and policies lists are newer than the 2024 cut, and nothing else', async () => {
    emulator.requests.length = 0
    await client(TOKEN).readAccessApplications()
    expect(() => assertContract(emulator.requests)).not.toThrow()
  })
})
