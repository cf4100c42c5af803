/**
 * The accounts of the end-to-end benchmark (issue 14's S, M and L): an emulator seed and the access file of a pull
 * request against it, with the file on the base branch. Built as text and plain objects, deterministically, so every
 * run plans the same changes.
 */
import { APPLICATION_PAGE_SIZES } from '../../src/cloudflare/applications.js'
import { PAGE_SIZES } from '../../src/cloudflare/client.js'
import type { AccountSeed } from '../../src/emulator/index.js'

export interface BenchSize {
  name: 'S' | 'M' | 'L'
  users: number
  groups: number
  /** E-mail rules in each group's include. */
  rulesPerGroup: number
  members: number
  roles: number
  /** Groups whose pull request adds one person: the plan's changes. */
  changes: number
}

export const SIZES: readonly BenchSize[] = [
  { name: 'S', users: 2_000, groups: 50, rulesPerGroup: 25, members: 100, roles: 30, changes: 42 },
  {
    name: 'M',
    users: 20_000,
    groups: 400,
    rulesPerGroup: 25,
    members: 600,
    roles: 60,
    changes: 340
  },
  {
    name: 'L',
    users: 50_000,
    groups: 2_000,
    rulesPerGroup: 25,
    members: 5_000,
    roles: 100,
    changes: 1_700
  }
]

export const BENCH_ACCOUNT_ID = 'be0c4a11be0c4a11be0c4a11be0c4a11'
export const BENCH_TOKEN = 'bench-token-0123456789abcdef0123456789'

const email = (i: number): string => `user${i}@corp.example`
const groupName = (g: number): string => `team-${String(g).padStart(4, '0')}`
const roleName = (r: number): string => `Role ${String(r).padStart(3, '0')}`
const hex32 = (prefix: string, i: number): string => prefix + String(i).padStart(30, '0')

/** Group g holds users g*rules .. g*rules+rules-1 (modulo the directory); member m holds role m % roles. */
function groupMembers(size: BenchSize, g: number): number[] {
  return Array.from(
    { length: size.rulesPerGroup },
    (_, k) => (g * size.rulesPerGroup + k) % size.users
  )
}

export function benchSeed(size: BenchSize): AccountSeed {
  return {
    account_id: BENCH_ACCOUNT_ID,
    credentials: { tokens: [{ value: BENCH_TOKEN, id: 'be0c70ce'.repeat(4) }] },
    roles: Array.from({ length: size.roles }, (_, r) => ({
      id: hex32('a0', r + 1),
      name: roleName(r)
    })),
    members: Array.from({ length: size.members }, (_, m) => ({
      id: hex32('b0', m + 1),
      email: email(m),
      roles: [hex32('a0', (m % size.roles) + 1)]
    })),
    groups: Array.from({ length: size.groups }, (_, g) => ({
      name: groupName(g),
      include: groupMembers(size, g).map((u) => ({ email: { email: email(u) } }))
    })),
    users: Array.from({ length: size.users }, (_, u) => ({
      email: email(u),
      last_successful_login: '2026-11-20T09:00:00Z'
    }))
  }
}

/** Groups per access file: the Action caps a file at 1 MiB, so L is split like a large organisation would split it. */
const GROUPS_PER_FILE = 500

/**
 * The access files, by path: every group and role as Cloudflare holds it, and on the head branch one more person in
 * each of the first `changes` groups (someone from the far end of the directory). Matched by `access/*.yaml`.
 */
export function benchAccessFiles(size: BenchSize, branch: 'base' | 'head'): Map<string, string> {
  const files = new Map<string, string>()
  const header = ['version: 1', `account_id: ${BENCH_ACCOUNT_ID}`]
  for (let first = 0; first < size.groups; first += GROUPS_PER_FILE) {
    const lines = [...header, 'groups:']
    for (let g = first; g < Math.min(size.groups, first + GROUPS_PER_FILE); g++) {
      lines.push(`  ${groupName(g)}:`, '    owners: [octocat]', '    members:')
      for (const u of groupMembers(size, g)) lines.push(`      - ${email(u)}`)
      if (branch === 'head' && g < size.changes) {
        lines.push(`      - ${email(size.users - 1 - g)}`)
      }
    }
    files.set(
      `access/groups-${String(first / GROUPS_PER_FILE + 1).padStart(2, '0')}.yaml`,
      lines.join('\n') + '\n'
    )
  }
  const lines = [...header, 'roles:']
  for (let r = 0; r < size.roles; r++) {
    lines.push(`  ${roleName(r)}:`, '    owners: [octocat]', '    members:')
    for (let m = r; m < size.members; m += size.roles) lines.push(`      - ${email(m)}`)
  }
  files.set('access/roles.yaml', lines.join('\n') + '\n')
  return files
}

/**
 * The requests a pull request's plan of this account sends to Cloudflare, by method and path (below the account):
 * the token check and one GET per page at the largest page size of each list, the account's (empty) apps list
 * included. The fewest any client can send, so the benchmark's minimum and the test suite's exact count.
 */
export function planRequests(size: BenchSize): Map<string, number> {
  const pages = (count: number, perPage: number): number => Math.max(1, Math.ceil(count / perPage))
  const account = `/accounts/${BENCH_ACCOUNT_ID}`
  return new Map([
    ['GET /user/tokens/verify', 1],
    [`GET ${account}/access/groups`, pages(size.groups, PAGE_SIZES.groups)],
    [`GET ${account}/access/users`, pages(size.users, PAGE_SIZES.users)],
    [`GET ${account}/members`, pages(size.members, PAGE_SIZES.members)],
    // Cloudflare lists Super Administrator among the account's roles (API-NOTES correction 4), and so does the emulator.
    [`GET ${account}/roles`, pages(size.roles + 1, PAGE_SIZES.roles)],
    [`GET ${account}/access/apps`, pages(0, APPLICATION_PAGE_SIZES.apps)]
  ])
}
