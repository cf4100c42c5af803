/**
 * The account of the apply benchmark: a merged pull request of 3,000 changes, as a large organisation's quarterly
 * re-organisation might be. 300 Access groups (Cloudflare's per-account limit) of 25 e-mail rules, each gaining 8
 * people (2,400 changes), and 600 account members, each given one more role (600 changes): 900 writes. Built
 * deterministically from bench/e2e/account.ts's seed, so every run applies the same changes.
 */
import { PAGE_SIZES } from '../../src/cloudflare/client.js'
import type { AccountSeed } from '../../src/emulator/index.js'
import { BENCH_ACCOUNT_ID, benchSeed, type BenchSize } from './account.js'

export const APPLY_SIZE = {
  users: 20_000,
  groups: 300,
  rulesPerGroup: 25,
  members: 600,
  roles: 60,
  /** People added to each group. */
  addsPerGroup: 8
} as const

/** 2,400 group additions and 600 role grants. */
export const APPLY_CHANGES = APPLY_SIZE.groups * APPLY_SIZE.addsPerGroup + APPLY_SIZE.members

const size: BenchSize = {
  name: 'M',
  users: APPLY_SIZE.users,
  groups: APPLY_SIZE.groups,
  rulesPerGroup: APPLY_SIZE.rulesPerGroup,
  members: APPLY_SIZE.members,
  roles: APPLY_SIZE.roles,
  changes: 0
}

const email = (i: number): string => `user${i}@corp.example`
const groupName = (g: number): string => `team-${String(g).padStart(4, '0')}`
const roleName = (r: number): string => `Role ${String(r).padStart(3, '0')}`

export function applySeed(): AccountSeed {
  return benchSeed(size)
}

/**
 * The access file before (base) and after (merged) the pull request. Group g holds users g*25 .. g*25+24 and gains 8
 * from the far end of the directory; member m holds role m % 60 and gains role (m + 1) % 60.
 */
export function applyAccessFile(branch: 'base' | 'merged'): string {
  const lines = ['version: 1', `account_id: ${BENCH_ACCOUNT_ID}`, 'groups:']
  for (let g = 0; g < APPLY_SIZE.groups; g++) {
    lines.push(`  ${groupName(g)}:`, '    owners: [octocat]', '    members:')
    for (let k = 0; k < APPLY_SIZE.rulesPerGroup; k++) {
      lines.push(`      - ${email((g * APPLY_SIZE.rulesPerGroup + k) % APPLY_SIZE.users)}`)
    }
    if (branch === 'merged') {
      for (let k = 0; k < APPLY_SIZE.addsPerGroup; k++) {
        lines.push(`      - ${email(APPLY_SIZE.users - 1 - (g * APPLY_SIZE.addsPerGroup + k))}`)
      }
    }
  }
  lines.push('roles:')
  for (let r = 0; r < APPLY_SIZE.roles; r++) {
    lines.push(`  ${roleName(r)}:`, '    owners: [octocat]', '    members:')
    for (let m = 0; m < APPLY_SIZE.members; m++) {
      const holds = m % APPLY_SIZE.roles === r
      const gains = branch === 'merged' && (m + 1) % APPLY_SIZE.roles === r
      if (holds || gains) lines.push(`      - ${email(m)}`)
    }
  }
  return lines.join('\n') + '\n'
}

const pages = (count: number, perPage: number): number => Math.max(1, Math.ceil(count / perPage))

/**
 * What the apply sends to Cloudflare, by method and path below /client/v4 (ids collapsed to `:id`): the plan's reads
 * (token check, one GET per page at the largest page size; apply does not read the apps), then the re-read of what
 * changes by list pages (1 page of 300 groups, 12 pages of 600 members: 13 requests, not 900 GETs), then one PUT per
 * changed group and member. 36 + 13 + 900 = 949 requests, within the default budget of 1,000 per 5 minutes: no
 * wait, no 429. Re-reading with one GET per object would make it 36 + 900 + 900 = 1,836.
 */
export function applyRequests(): Map<string, number> {
  const account = `/accounts/${BENCH_ACCOUNT_ID}`
  return new Map([
    ['GET /user/tokens/verify', 1],
    // The plan's read and the re-read before the writes.
    [`GET ${account}/access/groups`, 2 * pages(APPLY_SIZE.groups, PAGE_SIZES.groups)],
    [`GET ${account}/access/users`, pages(APPLY_SIZE.users, PAGE_SIZES.users)],
    [`GET ${account}/members`, 2 * pages(APPLY_SIZE.members, PAGE_SIZES.members)],
    [`GET ${account}/roles`, pages(APPLY_SIZE.roles + 1, PAGE_SIZES.roles)],
    [`PUT ${account}/access/groups/:id`, APPLY_SIZE.groups],
    [`PUT ${account}/members/:id`, APPLY_SIZE.members]
  ])
}
