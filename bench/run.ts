/**
 * Plan engine benchmark: a large account (50,000 Zero Trust users, 2,000 Access groups with 200,000
 * e-mail memberships, a few hundred account members) against an access file that changes about 1%.
 * Prints the median and p95 wall time of planChanges. Run with `npm run bench`.
 */
import { performance } from 'node:perf_hooks'
import { planChanges } from '../src/diff/index.js'
import type {
  AccessGroup,
  AccountMember,
  AccountRole,
  AccountSnapshot,
  DesiredState,
  Grant,
  GroupSpec,
  RoleSpec,
  ZeroTrustUser
} from '../src/model/index.js'
import { SUPER_ADMIN_ROLE } from '../src/model/index.js'
import { seededRandom } from '../test/fixtures/diff/shuffle.js'

const USERS = 50_000
const GROUPS = 2_000
const MEMBERSHIPS_PER_GROUP = 100
const ACCOUNT_MEMBERS = 300
const ROLES = 20
const RUNS = 15
const WARMUP = 3
const NOW = new Date('2025-06-01T12:00:00.000Z')

const random = seededRandom(42)
const pick = (n: number): number => Math.floor(random() * n)
const email = (i: number): string => `user${i}@corp.example`
const source = (line: number) => ({ file: 'access/large.yaml', line, column: 7 })
const asGrant = (address: string, line: number, expires?: string): Grant => ({
  email: address,
  key: address.toLowerCase(),
  source: source(line),
  ...(expires === undefined ? {} : { expires })
})

function buildAccount(): { live: AccountSnapshot; desired: DesiredState } {
  const users: ZeroTrustUser[] = Array.from({ length: USERS }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    email: email(i),
    lastSuccessfulLogin: '2025-05-01T00:00:00Z',
    accessSeat: true,
    gatewaySeat: false
  }))

  const groups: AccessGroup[] = []
  const groupSpecs: GroupSpec[] = []
  let line = 1
  for (let g = 0; g < GROUPS; g++) {
    const emails = new Set<number>()
    while (emails.size < MEMBERSHIPS_PER_GROUP) emails.add(pick(USERS))
    const live = [...emails]
    groups.push({
      id: `10000000-0000-4000-8000-${String(g).padStart(12, '0')}`,
      name: `team-${String(g).padStart(4, '0')}`,
      include: [{ ip: { ip: '10.0.0.0/8' } }, ...live.map((i) => ({ email: { email: email(i) } }))],
      exclude: [],
      require: g % 10 === 0 ? [{ auth_method: { auth_method: 'mfa' } }] : []
    })
    // About 1% of memberships change: one drift removal, one addition, one expiry per group.
    const members: Grant[] = []
    live.forEach((i, n) => {
      if (n === 0) return
      if (n === 1) members.push(asGrant(email(i), line++, '2025-05-01'))
      else if (n === 2) members.push(asGrant(email(i).toUpperCase(), line++))
      else if (n === 3) members.push(asGrant(email(i), line++, '2025-06-10'))
      else members.push(asGrant(email(i), line++))
    })
    members.push(asGrant(email(pick(USERS)), line++))
    groupSpecs.push({
      name: groups[g].name,
      mode: g % 4 === 0 ? 'additive' : 'authoritative',
      owners: [],
      members,
      source: source(line++)
    })
  }

  const roles: AccountRole[] = Array.from({ length: ROLES }, (_, r) => ({
    id: `${String(r).padStart(2, '0')}`.repeat(16),
    name: `Role ${String(r).padStart(2, '0')}`
  }))
  roles.push(SUPER_ADMIN_ROLE)
  const members: AccountMember[] = Array.from({ length: ACCOUNT_MEMBERS }, (_, m) => {
    const held = new Set([pick(ROLES), pick(ROLES)])
    return {
      id: `${String(m).padStart(4, '0')}`.repeat(8),
      email: email(m),
      status: 'accepted',
      roles: [...held].map((r) => ({ id: roles[r].id, name: roles[r].name })),
      usesPolicies: m % 50 === 49
    }
  })
  members[0].roles.push({ id: SUPER_ADMIN_ROLE.id, name: SUPER_ADMIN_ROLE.name })

  // The file manages the first 15 roles; about 5% of holdings change and a few people are invited.
  const roleSpecs: RoleSpec[] = roles.slice(0, 15).map((role) => ({
    name: role.name,
    owners: [],
    members: members
      .filter((m) => m.roles.some((r) => r.id === role.id) && pick(20) !== 0)
      .map((m) => asGrant(m.email, line++)),
    source: source(line++)
  }))
  for (let n = 0; n < 30; n++) {
    roleSpecs[pick(15)].members.push(asGrant(email(ACCOUNT_MEMBERS + pick(1000)), line++))
  }
  roleSpecs.push({
    name: SUPER_ADMIN_ROLE.name,
    owners: [],
    members: [asGrant(email(0), line++)],
    source: source(line++)
  })

  return {
    live: { accountId: 'f'.repeat(32), groups, members, roles, users },
    desired: {
      settings: {},
      groups: groupSpecs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      roles: roleSpecs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      files: ['access/large.yaml']
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

const { live, desired } = buildAccount()
const options = { now: NOW, expiryWarningDays: 14, allowMassRemoval: true, allowLockout: false }
const memberships = live.groups.reduce((n, g) => n + g.include.length - 1, 0)
console.log(
  `account: ${live.users.length} users, ${live.groups.length} groups, ${memberships} group ` +
    `memberships, ${live.members.length} members, ${live.roles.length} roles`
)

let plan = planChanges(desired, live, options)
for (let i = 1; i < WARMUP; i++) plan = planChanges(desired, live, options)
const times: number[] = []
for (let i = 0; i < RUNS; i++) {
  const start = performance.now()
  plan = planChanges(desired, live, options)
  times.push(performance.now() - start)
}
times.sort((a, b) => a - b)

console.log(
  `plan: ${plan.changes.length} changes (${plan.stats.additions} additions, ${plan.stats.removals} ` +
    `removals) in ${plan.operations.length} operations, ${plan.findings.length} findings, ` +
    `${plan.expiring.length} expiring`
)
console.log(
  `planChanges over ${RUNS} runs: median ${percentile(times, 50).toFixed(1)} ms, ` +
    `p95 ${percentile(times, 95).toFixed(1)} ms`
)
