/**
 * Account seed: the file an emulator starts from (JSON, or YAML for .yaml/.yml).
 *
 * ```yaml
 * account_id: 0123456789abcdef0123456789abcdef         # 32 hex
 * credentials:
 *   tokens:                                             # Authorization: Bearer <value>
 *     - value: demo-token-0123456789abcdef0123456789ab  # RFC 6750 token characters; not 37 hex (that is a key)
 *       id: <32 hex, optional>
 *       status: active                                  # active | disabled | expired (default active)
 *       owner: user                                     # user | account (default user)
 *       scopes: [access:read, members:read]             # default: all of TOKEN_SCOPES
 *   keys:                                               # X-Auth-Email + X-Auth-Key (Global API key)
 *     - email: owner@example.com
 *       key: <hex digits; 37 in reality>
 * roles: [{ id?, name, description?, permissions? }]    # permissions keyed {read, edit}; Super Administrator is built in
 * list_super_administrator: true                        # whether GET /roles lists Super Administrator (default true)
 * members: [{ id?, email, status?, roles?: [id or name], policies?, first_name?, last_name?, two_factor? }]
 *                                                       # policies only: roles derived from the account-wide ones
 * groups: [{ id?, name, include, exclude?, require?, is_default?, created_at? }]
 * users: [{ id?, email, name?, last_successful_login?, access_seat?, gateway_seat?, active_device_count? }]
 * ```
 *
 * Missing ids are derived from a hash of the name or e-mail, so every run of the same seed has the same ids.
 */
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { z } from 'zod'
import {
  SUPER_ADMINISTRATOR_ROLE,
  TOKEN_SCOPES,
  findRole,
  hexIdFrom,
  uuidFrom,
  type EmulatorPolicy,
  type EmulatorState
} from './state.js'
import { ruleProblem } from './rules.js'
import { rolesFromPolicies } from './routes/members.js'

const hex32 = z
  .string({ error: 'must be 32 lowercase hex characters (quote it in YAML if it is all digits)' })
  .regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex characters')
const uuid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'must be a lowercase UUID'
  )
const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an e-mail address')
const timestamp = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 timestamp' })
/** Same rule the server applies to Bearer values (see auth.ts). */
const tokenValue = z
  .string()
  .regex(/^[A-Za-z0-9._~+/=-]+$/, 'may only contain letters, digits and -._~+/=')
  .refine(
    (v) => !/^[0-9a-f]{37}$/i.test(v),
    'looks like a Global API key (37 hex); use keys: for it'
  )

const rule = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const problem = ruleProblem(value)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

const accessPolicy = z.object({
  id: uuid.optional(),
  name: z.string().min(1),
  decision: z.enum(['allow', 'deny', 'bypass', 'non_identity']).default('allow'),
  include: z.array(rule).min(1, 'needs at least one include rule'),
  exclude: z.array(rule).default([]),
  require: z.array(rule).default([])
})

const seedSchema = z.object({
  account_id: hex32,
  credentials: z
    .object({
      tokens: z
        .array(
          z.object({
            value: tokenValue,
            id: hex32.optional(),
            status: z.enum(['active', 'disabled', 'expired']).default('active'),
            owner: z.enum(['user', 'account']).default('user'),
            scopes: z.array(z.enum(TOKEN_SCOPES)).optional()
          })
        )
        .default([]),
      keys: z
        .array(
          z.object({
            email,
            key: z.string().regex(/^[0-9a-f]+$/i, 'must be hex digits (a Global API key)')
          })
        )
        .default([])
    })
    .default({ tokens: [], keys: [] }),
  roles: z
    .array(
      z.object({
        id: hex32.optional(),
        name: z.string().min(1),
        description: z.string().optional(),
        permissions: z.record(z.string(), z.unknown()).optional()
      })
    )
    .default([]),
  list_super_administrator: z.boolean().default(true),
  members: z
    .array(
      z.object({
        id: hex32.optional(),
        email,
        status: z.enum(['accepted', 'pending', 'rejected']).default('accepted'),
        roles: z.array(z.string().min(1)).default([]),
        policies: z.array(z.record(z.string(), z.unknown())).default([]),
        first_name: z.string().nullable().optional(),
        last_name: z.string().nullable().optional(),
        two_factor: z.boolean().default(false)
      })
    )
    .default([]),
  groups: z
    .array(
      z.object({
        id: uuid.optional(),
        name: z.string().min(1),
        include: z.array(rule).min(1, 'needs at least one include rule'),
        exclude: z.array(rule).default([]),
        require: z.array(rule).default([]),
        is_default: z.boolean().optional(),
        created_at: timestamp.optional()
      })
    )
    .default([]),
  apps: z
    .array(
      z.object({
        id: uuid.optional(),
        name: z.string().min(1),
        domain: z.string().min(1),
        type: z.string().default('self_hosted'),
        policies: z.array(accessPolicy).default([])
      })
    )
    .default([]),
  access_policies: z.array(accessPolicy).default([]),
  users: z
    .array(
      z.object({
        id: uuid.optional(),
        email,
        name: z.string().optional(),
        last_successful_login: timestamp.nullable().default(null),
        access_seat: z.boolean().default(true),
        gateway_seat: z.boolean().default(false),
        active_device_count: z.number().int().min(0).default(0),
        created_at: timestamp.optional()
      })
    )
    .default([])
})

/** What a seed file or an inline seed object may contain (optional fields may be left out). */
export type AccountSeed = z.input<typeof seedSchema>
type ParsedSeed = z.output<typeof seedSchema>

/** Timestamp given to seeded objects that do not say when they were created: fixed for reproducible output. */
const SEEDED_AT = '2025-01-06T09:00:00Z'

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 10)
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)'
      return `  - ${where}: ${issue.message}`
    })
    .join('\n')
}

/** Validates a seed object and applies its defaults; throws a readable error naming each bad field. */
export function parseAccountSeed(data: unknown, source = 'account seed'): ParsedSeed {
  const parsed = seedSchema.safeParse(data)
  if (!parsed.success) {
    throw new Error(
      `${source} is not a valid account seed:\n${describeIssues(parsed.error.issues)}\n` +
        'See examples/sample-account.yaml for the format.'
    )
  }
  const seed = parsed.data
  const problems: string[] = []
  const roleNames = new Set<string>()
  for (const [i, role] of seed.roles.entries()) {
    if (roleNames.has(role.name)) problems.push(`roles.${i}.name: "${role.name}" is listed twice`)
    if (role.id === SUPER_ADMINISTRATOR_ROLE.id || role.name === SUPER_ADMINISTRATOR_ROLE.name) {
      problems.push(
        `roles.${i}: Super Administrator is built in (list_super_administrator says whether GET /roles lists it); remove it from roles`
      )
    }
    roleNames.add(role.name)
  }
  const emails = new Set<string>()
  for (const [i, member] of seed.members.entries()) {
    const key = member.email.toLowerCase()
    if (emails.has(key)) problems.push(`members.${i}.email: ${member.email} is a member twice`)
    emails.add(key)
    for (const [j, ref] of member.roles.entries()) {
      const known =
        ref === SUPER_ADMINISTRATOR_ROLE.id ||
        ref === SUPER_ADMINISTRATOR_ROLE.name ||
        seed.roles.some((r) => r.name === ref || r.id === ref)
      if (!known) {
        problems.push(
          `members.${i}.roles.${j}: no role "${ref}" in roles (use a role id or exact name)`
        )
      }
    }
  }
  const firstUse = new Map<string, string>()
  const unique = (what: string, value: string | undefined, where: string): void => {
    if (value === undefined) return
    const earlier = firstUse.get(`${what}:${value}`)
    if (earlier) problems.push(`${where}: this ${what} is already used by ${earlier}`)
    else firstUse.set(`${what}:${value}`, where)
  }
  seed.groups.forEach((g, i) => unique('group id', g.id, `groups.${i}.id`))
  seed.members.forEach((m, i) => unique('member id', m.id, `members.${i}.id`))
  seed.credentials.tokens.forEach((t, i) =>
    unique('token value', t.value, `credentials.tokens.${i}.value`)
  )
  if (problems.length > 0) {
    throw new Error(
      `${source} is not a valid account seed:\n${problems.map((p) => `  - ${p}`).join('\n')}`
    )
  }
  return seed
}

/** Reads a seed file: YAML for .yaml/.yml, JSON otherwise. */
export function loadAccountSeed(file: string): AccountSeed {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)
    throw new Error(`Cannot read account seed ${file}: ${reason}.`)
  }
  const ext = extname(file).toLowerCase()
  let data: unknown
  try {
    data = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text)
  } catch (error) {
    const kind = ext === '.yaml' || ext === '.yml' ? 'YAML' : 'JSON'
    throw new Error(`Account seed ${file} is not valid ${kind}: ${(error as Error).message}`)
  }
  return parseAccountSeed(data, file)
}

/** Builds fresh, independent live state from a seed (the seed object is never shared with the state). */
export function stateFromSeed(input: AccountSeed): EmulatorState {
  const seed = parseAccountSeed(structuredClone(input))
  const state: EmulatorState = {
    accountId: seed.account_id,
    groups: [],
    members: [],
    roles: seed.roles.map((r) => ({
      id: r.id ?? hexIdFrom(`role:${r.name}`),
      name: r.name,
      description: r.description ?? '',
      permissions: r.permissions ?? {}
    })),
    listSuperAdministrator: seed.list_super_administrator,
    users: [],
    accessPolicies: seed.access_policies.map((p) => ({
      id: p.id ?? uuidFrom(`policy:${p.name}`),
      name: p.name,
      decision: p.decision,
      include: p.include,
      exclude: p.exclude,
      require: p.require,
      reusable: true
    })),
    apps: seed.apps.map((a) => ({
      id: a.id ?? uuidFrom(`app:${a.domain}`),
      name: a.name,
      domain: a.domain,
      type: a.type,
      policies: a.policies.map((p) => ({
        id: p.id ?? uuidFrom(`app-policy:${a.domain}:${p.name}`),
        name: p.name,
        decision: p.decision,
        include: p.include,
        exclude: p.exclude,
        require: p.require,
        reusable: false
      }))
    })),
    credentials: {
      tokens: seed.credentials.tokens.map((t) => ({
        value: t.value,
        id: t.id ?? hexIdFrom(`token:${t.value}`),
        status: t.status,
        owner: t.owner,
        scopes: t.scopes ? [...t.scopes] : [...TOKEN_SCOPES]
      })),
      keys: seed.credentials.keys.map((k) => ({ email: k.email, key: k.key }))
    },
    sessionRevocations: [],
    sequence: 0
  }
  const groupNameCount = new Map<string, number>()
  for (const g of seed.groups) {
    // Two groups may share a name; the occurrence number keeps their derived ids apart.
    const n = (groupNameCount.get(g.name) ?? 0) + 1
    groupNameCount.set(g.name, n)
    const createdAt = g.created_at ?? SEEDED_AT
    state.groups.push({
      id: g.id ?? uuidFrom(`group:${g.name}:${n}`),
      name: g.name,
      include: g.include,
      exclude: g.exclude,
      require: g.require,
      ...(g.is_default === undefined ? {} : { is_default: g.is_default }),
      created_at: createdAt,
      updated_at: createdAt
    })
  }
  for (const m of seed.members) {
    const policies = m.policies as EmulatorPolicy[]
    state.members.push({
      id: m.id ?? hexIdFrom(`member:${m.email.toLowerCase()}`),
      status: m.status,
      user: {
        id: hexIdFrom(`user:${m.email.toLowerCase()}`),
        email: m.email,
        first_name: m.first_name ?? null,
        last_name: m.last_name ?? null,
        two_factor_authentication_enabled: m.two_factor
      },
      // Like a member created with policies: Cloudflare answers with the roles its account-wide policies amount to.
      roles:
        m.roles.length > 0 || policies.length === 0
          ? m.roles.map((ref) => findRole(state, ref)?.id ?? ref)
          : rolesFromPolicies(state, policies),
      policies
    })
  }
  for (const u of seed.users) {
    const id = u.id ?? uuidFrom(`zt-user:${u.email.toLowerCase()}`)
    const createdAt = u.created_at ?? SEEDED_AT
    state.users.push({
      id,
      uid: id,
      email: u.email,
      name: u.name ?? u.email.split('@')[0] ?? u.email,
      access_seat: u.access_seat,
      gateway_seat: u.gateway_seat,
      seat_uid: uuidFrom(`seat:${u.email.toLowerCase()}`),
      active_device_count: u.active_device_count,
      last_successful_login: u.last_successful_login,
      created_at: createdAt,
      updated_at: u.last_successful_login ?? createdAt
    })
  }
  return state
}
