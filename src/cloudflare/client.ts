/**
 * A small typed client for the few Cloudflare v4 endpoints this Action uses.
 *
 * Why not the official `cloudflare` npm SDK: its auto-pagination asks for one extra, empty page per
 * list (it stops only on an empty page and ignores total_pages), it obeys any Retry-After without a
 * cap (a real 429 can ask for ~300 s, per request), and it installs about 120 MB. Here every list
 * costs exactly its page count, 429 waits are capped, and short lists are refused.
 */
import { SUPER_ADMIN_ROLE } from '../model/live.js'
import type {
  AccessGroup,
  AccessRule,
  AccountMember,
  AccountRole,
  AccountSnapshot,
  ZeroTrustUser
} from '../model/index.js'
import { readAccessApplications, type ApplicationsRead } from './applications.js'
import { CloudflareApiError, isAlreadyMemberError } from './errors.js'
import { mapConcurrently } from './limits.js'
import { policyManagedReason } from './member-policies.js'
import {
  describeZodError,
  groupSchema,
  memberSchema,
  revokeUserSchema,
  roleSchema,
  tokenVerifySchema,
  userSchema,
  type RawAccessGroup
} from './schemas.js'
import { createTransport, type CloudflareCredentials, type Transport } from './transport.js'
import type { z } from 'zod'

export type { CloudflareCredentials } from './transport.js'
export type { RawAccessGroup } from './schemas.js'

export interface CloudflareClientOptions {
  /** e.g. https://api.cloudflare.com/client/v4 (a trailing slash is tolerated). */
  apiUrl: string
  accountId: string
  credentials: CloudflareCredentials
  /**
   * Requests in flight at most; default 50. The budget, not this, sets the pace: at most `perSecond` requests start in
   * any second and the token's budget is never overrun, so a list's remaining pages all go out after its first.
   */
  concurrency?: number
  /** Requests started per second at most; default 200, Cloudflare's per-IP limit. */
  perSecond?: number
  /** Longest 429 retry-after the client waits for; default 300. A longer one fails with a clear error. */
  maxRetryAfterSeconds?: number
  /** Retries for 5xx, timeouts and connection resets (exponential backoff, full jitter); default 4. */
  maxRetries?: number
  /** Default 30 000. */
  requestTimeoutMs?: number
  /**
   * Client-side request budget; default 1000 per 300 000 ms, below Cloudflare's 1,200 per 5 minutes. Cloudflare's
   * Ratelimit and Ratelimit-Policy headers narrow it when they say less is left. `source` names where it is set.
   */
  budget?: { requests: number; windowMs: number; source?: string }
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Clock for the request budget and HTTP-date retry-after; default Date.now. */
  now?: () => number
  /** Called before each retry with a sentence for the log; never contains a credential. */
  onRetry?: (message: string) => void
  /** Called with each wait on the request budget of 100 ms or more, its length and reason; never a credential. */
  onWait?: (message: string) => void
}

/** The PUT body of an Access group: a full replacement of the group document. */
export interface GroupUpdateBody {
  name: string
  include: AccessRule[]
  exclude: AccessRule[]
  require: AccessRule[]
  is_default?: boolean
}

export interface CloudflareClient {
  /** Call once at start: fails early, with a hint, when the credentials are wrong. */
  verifyCredentials(): Promise<void>
  readAccountSnapshot(): Promise<AccountSnapshot>
  /** Access applications with their policies: what each group opens. Optional context (see applications.ts). */
  readAccessApplications(): Promise<ApplicationsRead>
  /** The group as received, unknown fields included. */
  getGroup(id: string): Promise<RawAccessGroup>
  putGroup(id: string, body: GroupUpdateBody): Promise<RawAccessGroup>
  /** Every Access group, fresh, by list pages: apply's re-read when that is fewer requests than one GET each. */
  listGroups(): Promise<RawAccessGroup[]>
  /** Every account member, fresh, by list pages (as listGroups). */
  listMembers(): Promise<AccountMember[]>
  /** The requests a full list read of the collection costs, as this client's last read of it found; else undefined. */
  listPages(collection: 'groups' | 'members'): number | undefined
  /** One membership, fresh: the executor applies role changes to what the account holds now. */
  getMember(memberId: string): Promise<AccountMember>
  /** Replaces the member's whole role set. */
  setMemberRoles(memberId: string, roleIds: string[]): Promise<void>
  /** Sends an e-mail invitation (the member stays pending until accepted). */
  inviteMember(email: string, roleIds: string[]): Promise<void>
  removeMember(memberId: string): Promise<void>
  /**
   * Ends the person's Access sessions in every application (Cloudflare revokes the tokens issued to the e-mail):
   * removing a rule stops new sign-ins, not a session already open. True when Cloudflare says it revoked them.
   */
  endAccessSessions(email: string): Promise<boolean>
  readonly requestCount: number
}

/** Page sizes: groups and users accept 1000 (the reported default); members allow 5..50; roles 50. */
export const PAGE_SIZES = { groups: 1000, users: 1000, members: 50, roles: 50 } as const

/** Requests per 5 minutes this Action sends at most by default: below Cloudflare's 1,200, leaving the dashboard room. */
export const DEFAULT_REQUEST_BUDGET = 1000
export const BUDGET_WINDOW_MS = 300_000
/** Cloudflare's limit per client IP. */
export const CLOUDFLARE_REQUESTS_PER_SECOND = 200
const DEFAULT_CONCURRENCY = 50

export function createCloudflareClient(options: CloudflareClientOptions): CloudflareClient {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  const transport = createTransport({
    apiUrl: options.apiUrl,
    credentials: options.credentials,
    concurrency,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 300,
    maxRetries: options.maxRetries ?? 4,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    budget: options.budget ?? { requests: DEFAULT_REQUEST_BUDGET, windowMs: BUDGET_WINDOW_MS },
    perSecond: options.perSecond ?? CLOUDFLARE_REQUESTS_PER_SECOND,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    onRetry: options.onRetry,
    onWait: options.onWait
  })
  const account = `/accounts/${encodeURIComponent(options.accountId)}`
  const credentials = options.credentials
  /** Pages of the last full read of each collection: what re-reading it by list costs. */
  const pagesOf: Partial<Record<'groups' | 'members', number>> = {}
  const readGroups = () =>
    listAll(
      transport,
      `${account}/access/groups`,
      PAGE_SIZES.groups,
      groupSchema,
      'Access groups',
      concurrency,
      (pages) => (pagesOf.groups = pages)
    )
  const readMembers = () =>
    listAll(
      transport,
      `${account}/members`,
      PAGE_SIZES.members,
      memberSchema,
      'account members',
      concurrency,
      (pages) => (pagesOf.members = pages)
    )

  const readAccountSnapshot = async (): Promise<AccountSnapshot> => {
    // The four lists are independent; the transport bounds how many requests run at once.
    const [groups, members, roles, users] = await Promise.all([
      readGroups(),
      readMembers(),
      listAll(
        transport,
        `${account}/roles`,
        PAGE_SIZES.roles,
        roleSchema,
        'account roles',
        concurrency
      ),
      listAll(
        transport,
        `${account}/access/users`,
        PAGE_SIZES.users,
        userSchema,
        'Zero Trust users',
        concurrency
      )
    ])
    const snapshotRoles: AccountRole[] = roles.map((r) => ({
      id: r.id,
      name: r.name,
      ...(r.description ? { description: r.description } : {})
    }))
    if (!snapshotRoles.some((r) => r.id === SUPER_ADMIN_ROLE.id))
      snapshotRoles.push({ ...SUPER_ADMIN_ROLE })
    return {
      accountId: options.accountId,
      groups: groups.map(toAccessGroup),
      members: members.map((member) => toAccountMember(member, options.accountId)),
      roles: snapshotRoles,
      users: users.map(toZeroTrustUser),
      ...(credentials.kind === 'key' ? { credentialEmail: credentials.email } : {})
    }
  }

  const verifyCredentials = async (): Promise<void> => {
    if (credentials.kind === 'key') {
      // No verify endpoint for Global API keys: the cheapest read that the snapshot needs anyway.
      await transport.request({
        method: 'GET',
        path: `${account}/members`,
        query: { page: 1, per_page: 5 }
      })
      return
    }
    // One request in the common case: an account-owned token says so by its prefix (cfat_) and goes straight to the
    // account endpoint; any other token tries the user endpoint, where an account-owned token without the prefix is
    // answered 401 or 403 (both are reported), and then the account endpoint.
    const accountPath = `${account}/tokens/verify`
    let path = isAccountOwnedToken(credentials.token) ? accountPath : '/user/tokens/verify'
    let response
    try {
      response = await transport.request({ method: 'GET', path })
    } catch (error) {
      const refused =
        error instanceof CloudflareApiError && (error.status === 401 || error.status === 403)
      if (!refused || path === accountPath) throw error
      path = accountPath
      response = await transport.request({ method: 'GET', path })
    }
    const token = parseResult(tokenVerifySchema, response.result, 'GET', path, 'result')
    if (token.status !== 'active') {
      throw new CloudflareApiError(`the API token is ${token.status}, not active.`, {
        method: 'GET',
        path,
        status: response.status,
        hint: 'Create a new token (or re-enable this one) and update the secret.'
      })
    }
  }

  const getGroup = async (id: string): Promise<RawAccessGroup> => {
    const path = `${account}/access/groups/${encodeURIComponent(id)}`
    const response = await transport.request({ method: 'GET', path })
    return parseResult(groupSchema, response.result, 'GET', path, 'result')
  }

  const putGroup = async (id: string, body: GroupUpdateBody): Promise<RawAccessGroup> => {
    const path = `${account}/access/groups/${encodeURIComponent(id)}`
    const response = await transport.request({ method: 'PUT', path, body })
    return parseResult(groupSchema, response.result, 'PUT', path, 'result')
  }

  const getMember = async (memberId: string): Promise<AccountMember> => {
    const path = `${account}/members/${encodeURIComponent(memberId)}`
    const response = await transport.request({ method: 'GET', path })
    return toAccountMember(
      parseResult(memberSchema, response.result, 'GET', path, 'result'),
      options.accountId
    )
  }

  const setMemberRoles = async (memberId: string, roleIds: string[]): Promise<void> => {
    const path = `${account}/members/${encodeURIComponent(memberId)}`
    // PUT takes role objects and replaces the whole set; never send status (it can void the change).
    await transport.request({ method: 'PUT', path, body: { roles: roleIds.map((id) => ({ id })) } })
  }

  const inviteMember = async (email: string, roleIds: string[]): Promise<void> => {
    try {
      // POST takes role ids as strings; no status, so Cloudflare sends an invitation (pending).
      await transport.request({
        method: 'POST',
        path: `${account}/members`,
        body: { email, roles: roleIds }
      })
    } catch (error) {
      // A retried invite whose first attempt reached Cloudflare finds the member already there.
      if (isAlreadyMemberError(error) && error.attempts > 1) return
      throw error
    }
  }

  const removeMember = async (memberId: string): Promise<void> => {
    await transport.request({
      method: 'DELETE',
      path: `${account}/members/${encodeURIComponent(memberId)}`
    })
  }

  const endAccessSessions = async (email: string): Promise<boolean> => {
    const path = `${account}/access/organizations/revoke_user`
    const response = await transport.request({ method: 'POST', path, body: { email } })
    return parseResult(revokeUserSchema, response.result, 'POST', path, 'result')
  }

  return {
    verifyCredentials,
    readAccountSnapshot,
    readAccessApplications: () =>
      readAccessApplications(
        (path, perPage, schema, what) =>
          listAll(transport, path, perPage, schema, what, concurrency),
        account
      ),
    getGroup,
    putGroup,
    listGroups: readGroups,
    listMembers: async () =>
      (await readMembers()).map((member) => toAccountMember(member, options.accountId)),
    listPages: (collection) => pagesOf[collection],
    getMember,
    setMemberRoles,
    inviteMember,
    removeMember,
    endAccessSessions,
    get requestCount() {
      return transport.requestCount
    }
  }
}

/** Cloudflare's new tokens carry their owner in a prefix: cfat_ account-owned, cfut_ user-owned (older ones none). */
export function isAccountOwnedToken(token: string): boolean {
  return token.startsWith('cfat_')
}

/**
 * Reads every page of a list: the first page, then the remaining ones concurrently, never a page
 * past the last. A list shorter than Cloudflare's own total is refused: to the planner it would
 * look like people to remove.
 */
async function listAll<S extends z.ZodType>(
  transport: Transport,
  path: string,
  perPage: number,
  schema: S,
  what: string,
  concurrency: number,
  onPages?: (pages: number) => void
): Promise<z.infer<S>[]> {
  const readPage = async (page: number) => {
    const response = await transport.request({
      method: 'GET',
      path,
      query: { page, per_page: perPage }
    })
    if (!Array.isArray(response.result)) {
      throw new CloudflareApiError(
        `expected a list in result, got ${describeType(response.result)}.`,
        {
          method: 'GET',
          path,
          status: response.status
        }
      )
    }
    const items = response.result.map((item, index) =>
      parseResult(schema, item, 'GET', path, `result[${index}] (page ${page})`)
    )
    return { items, info: response.resultInfo }
  }

  const first = await readPage(1)
  const info = first.info
  const pageSize = info?.per_page && info.per_page > 0 ? info.per_page : perPage
  if (info?.total_pages === undefined && info?.total_count === undefined) {
    // Nothing to page by or check against. A part-filled page is the whole list; a full one may be followed by pages
    // whose people would look absent, so it is refused rather than guessed at.
    if (first.items.length < pageSize) {
      onPages?.(1)
      return first.items
    }
    throw new CloudflareApiError(
      `Cloudflare returned a full first page of ${first.items.length} ${what} without a total, so it cannot be told whether more pages follow; refusing to plan from a possibly partial list.`,
      {
        method: 'GET',
        path,
        hint: 'Check that the API URL points at the Cloudflare v4 API; if it does, please report this with the message above.'
      }
    )
  }
  const totalPages = info.total_pages ?? Math.ceil((info.total_count ?? 0) / pageSize)
  onPages?.(Math.max(1, totalPages))
  const rest = await mapConcurrently(
    Array.from({ length: Math.max(0, totalPages - 1) }, (_, i) => i + 2),
    concurrency,
    async (page) => (await readPage(page)).items
  )
  const items = [first.items, ...rest].flat()

  if (info.total_count !== undefined) {
    const ids = new Set(items.map((item) => (item as { id: string }).id))
    if (items.length !== info.total_count || ids.size !== items.length) {
      const distinct = ids.size
      throw new CloudflareApiError(
        `Cloudflare returned ${distinct} of ${info.total_count} ${what}; refusing to plan from a partial list.`,
        {
          method: 'GET',
          path,
          hint: 'A short list would look like access to remove. Re-run; if it persists, the list may be changing while it is read (wait for other automation to finish) or Cloudflare may be paging inconsistently.'
        }
      )
    }
  }
  return items
}

function parseResult<S extends z.ZodType>(
  schema: S,
  value: unknown,
  method: string,
  path: string,
  where: string
): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    throw new CloudflareApiError(`unexpected answer: ${describeZodError(parsed.error, where)}.`, {
      method,
      path,
      hint: 'The Cloudflare API may have changed, or the API URL points at something else. Please report this with the message above.'
    })
  }
  return parsed.data
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : typeof value
}

function toAccessGroup(group: RawAccessGroup): AccessGroup {
  return {
    id: group.id,
    name: group.name,
    include: group.include,
    exclude: group.exclude ?? [],
    require: group.require ?? []
  }
}

function toAccountMember(member: z.infer<typeof memberSchema>, accountId: string): AccountMember {
  const roles = (member.roles ?? []).map((r) => ({ id: r.id, name: r.name }))
  const policyReason = policyManagedReason(
    member.policies ?? [],
    roles.map((r) => r.name),
    accountId
  )
  return {
    id: member.id,
    // The schema guarantees one of the two.
    email: (member.user?.email ?? member.email) as string,
    status: member.status,
    roles,
    usesPolicies: policyReason !== undefined,
    ...(policyReason ? { policyReason } : {})
  }
}

function toZeroTrustUser(user: z.infer<typeof userSchema>): ZeroTrustUser {
  return {
    id: user.id,
    email: user.email,
    ...(user.name ? { name: user.name } : {}),
    lastSuccessfulLogin: user.last_successful_login ?? null,
    accessSeat: user.access_seat ?? false,
    gatewaySeat: user.gateway_seat ?? false
  }
}
