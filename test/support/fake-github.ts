/**
 * A loopback fake of the GitHub REST endpoints src/github uses, with in-memory state. For unit tests (via
 * createOctokit baseUrl) and for end-to-end runs of the bundle (GITHUB_API_URL=fake.url).
 */
import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeGitHubState, gitBlobSha } from './fake-github-state.js'
import { gitHubContractViolations, skeletonOf } from './github-contract.js'
import type {
  FakeComment,
  FakeIssue,
  FakePullRequest,
  FakeReview,
  FakeToken
} from './fake-github-state.js'

export { FakeGitHubState, gitBlobSha } from './fake-github-state.js'
export type * from './fake-github-state.js'

export interface FakeRequest {
  method: string
  /** Path without the query, decoded. */
  path: string
  query: Record<string, string>
  /** The route's method and path template that answered, e.g. `GET /repos/:owner/:repo/pulls/:number`. */
  route?: string
  /** Login of the token, or undefined when it was missing or unknown. */
  login?: string
  body?: unknown
  status: number
  /** The answer's JSON body (undefined for 204). */
  response?: unknown
}

/** An answer the fake gives instead of routing: GitHub refusing, failing or rate limiting a request. */
export interface FakeGitHubFault {
  /** e.g. 'POST'; any method when absent. */
  method?: string
  /** The decoded path, or a pattern over it. */
  path: string | RegExp
  status: number
  /** The error body's `message`; default the status's usual text. */
  message?: string
  headers?: Record<string, string>
  /** Answer this many matching requests so, then route normally; default every one. */
  times?: number
}

export interface FakeGitHub {
  /** Base URL, e.g. http://127.0.0.1:43123 (no trailing slash). */
  url: string
  state: FakeGitHubState
  /** Every request, in order. */
  requests: FakeRequest[]
  /** Faults answered before routing, first match first; a fault whose `times` ran out is removed. */
  faults: FakeGitHubFault[]
  fail(fault: FakeGitHubFault): void
  /** Requests as `METHOD /path` strings, handy for exact assertions. */
  requestLines(): string[]
  close(): Promise<void>
}

export interface StartFakeGitHubOptions {
  owner?: string
  repo?: string
  /** Registered as the workflow GITHUB_TOKEN (login github-actions[bot]). Default 'ghs_fake_actions_token'. */
  actionsToken?: string
  /**
   * Answers the first request of every route (method and path template) with GitHub's secondary rate limit: this
   * status, a retry-after of this many seconds and GitHub's message. The retry is routed normally.
   */
  secondaryRateLimitFirstCalls?: { status: 403 | 429; retryAfter: number }
  /**
   * close() throws listing every request and answer that breaks GitHub's REST description (github-contract.ts).
   * Default true; only a test of the checker itself turns it off.
   */
  checkContract?: boolean
}

/** GitHub's answer to a secondary rate limit (the request id varies). */
export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:4444.'

export const FAKE_ACTIONS_TOKEN = 'ghs_fake_actions_token'

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** A 422's `errors[]`: what was wrong with which field. */
    readonly errors?: { resource: string; field?: string; code: string; message?: string }[]
  ) {
    super(message)
  }
}

/** GitHub's error body: the message, where the docs are, the status as a string, and a 422's errors. */
function errorBody(status: number, message: string, errors?: HttpError['errors']): unknown {
  return {
    message,
    documentation_url: 'https://docs.github.com/rest',
    status: String(status),
    ...(errors ? { errors } : {})
  }
}

interface Context {
  method: string
  path: string
  query: URLSearchParams
  token: FakeToken
  body: Record<string, unknown>
  origin: string
  state: FakeGitHubState
  /** Set by route(): the matched route's method and template. */
  route?: string
}

interface Reply {
  status?: number
  data: unknown
  headers?: Record<string, string>
}

type Handler = (ctx: Context, params: string[]) => Reply

export async function startFakeGitHub(options: StartFakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state = new FakeGitHubState(options.owner, options.repo)
  state.addToken(options.actionsToken ?? FAKE_ACTIONS_TOKEN, { login: 'github-actions[bot]' })
  const requests: FakeRequest[] = []
  const faults: FakeGitHubFault[] = []
  const limited = new Set<string>()
  const secondary = options.secondaryRateLimitFirstCalls
  const firstCallOfRoute = (method: string, template: string): Reply | undefined => {
    if (!secondary || limited.has(`${method} ${template}`)) return undefined
    limited.add(`${method} ${template}`)
    return {
      status: secondary.status,
      data: {
        message: SECONDARY_RATE_LIMIT_MESSAGE,
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(secondary.status)
      },
      headers: { 'retry-after': String(secondary.retryAfter) }
    }
  }
  const server = createServer((req, res) => {
    void handle(req, res, state, requests, faults, firstCallOfRoute)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    faults,
    fail: (fault) => faults.push(fault),
    requestLines: () => requests.map((request) => `${request.method} ${request.path}`),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      })
      const violations = options.checkContract === false ? [] : gitHubContractViolations(requests)
      if (violations.length > 0) {
        throw new Error(
          `The GitHub fake saw ${violations.length} exchange(s) outside GitHub's REST description:\n  - ${violations.join('\n  - ')}`
        )
      }
    }
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: FakeGitHubState,
  requests: FakeRequest[],
  faults: FakeGitHubFault[],
  firstCallOfRoute: (method: string, template: string) => Reply | undefined
): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`)
  const method = (req.method ?? 'GET').toUpperCase()
  const path = decodeURIComponent(url.pathname.replace(/\/+$/, '') || '/')
  const raw = await readBody(req)
  const logged: FakeRequest = {
    method,
    path,
    query: Object.fromEntries(url.searchParams),
    status: 0
  }
  if (raw) logged.body = safeJson(raw)
  requests.push(logged)
  let reply: Reply
  try {
    const token = authenticate(req, state)
    logged.login = token.login
    const body = (raw ? safeJson(raw) : {}) as Record<string, unknown>
    const ctx: Context = {
      method,
      path,
      query: url.searchParams,
      token,
      body,
      origin: url.origin,
      state
    }
    try {
      reply = injectedFault(faults, method, path) ?? route(ctx, firstCallOfRoute)
    } finally {
      if (ctx.route) logged.route = ctx.route
    }
  } catch (error) {
    // A bug in the fake shows up as a 500 with its message rather than a hung request.
    const status = error instanceof HttpError ? error.status : 500
    const message = error instanceof Error ? error.message : String(error)
    reply = {
      status,
      data: errorBody(status, message, error instanceof HttpError ? error.errors : undefined)
    }
  }
  logged.status = reply.status ?? 200
  if (logged.status !== 204) logged.response = reply.data
  res.writeHead(logged.status, {
    'content-type': 'application/json; charset=utf-8',
    ...reply.headers
  })
  res.end(reply.status === 204 ? undefined : JSON.stringify(reply.data))
}

function injectedFault(faults: FakeGitHubFault[], method: string, path: string): Reply | undefined {
  const index = faults.findIndex(
    (fault) =>
      (fault.method === undefined || fault.method.toUpperCase() === method) &&
      (typeof fault.path === 'string' ? fault.path === path : fault.path.test(path))
  )
  if (index < 0) return undefined
  const fault = faults[index]!
  if (fault.times !== undefined && --fault.times <= 0) faults.splice(index, 1)
  return {
    status: fault.status,
    data: errorBody(fault.status, fault.message ?? STATUS_CODES[fault.status] ?? 'Error'),
    ...(fault.headers ? { headers: fault.headers } : {})
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function authenticate(req: IncomingMessage, state: FakeGitHubState): FakeToken {
  const header = req.headers.authorization ?? ''
  const match = /^(?:token|bearer)\s+(.+)$/i.exec(header)
  const token = match ? state.tokens.get(match[1]!.trim()) : undefined
  if (!token) throw new HttpError(401, 'Bad credentials')
  return token
}

const ROUTES: [string, RegExp, Handler, string][] = []
function on(method: string, pattern: string, handler: Handler): void {
  const source = pattern.replace(/:(\w+)\*/g, '(.+)').replace(/:(\w+)/g, '([^/]+)')
  ROUTES.push([method, new RegExp(`^${source}$`), handler, pattern])
}

function route(
  ctx: Context,
  firstCallOfRoute: (method: string, template: string) => Reply | undefined
): Reply {
  for (const [method, pattern, handler, template] of ROUTES) {
    const match = pattern.exec(ctx.path)
    if (method === ctx.method && match) {
      ctx.route = `${method} ${template}`
      const limited = firstCallOfRoute(method, template)
      if (limited) return limited
      if (ctx.method !== 'GET' && ctx.token.readOnly && ctx.path !== '/graphql') {
        throw new HttpError(403, 'Resource not accessible by integration')
      }
      return handler(ctx, match.slice(1))
    }
  }
  throw new HttpError(404, 'Not Found')
}

/** Repository routes answer 404 for any repository but the fake's own. */
function repoPath(pattern: string): string {
  return `/repos/:owner/:repo${pattern}`
}
function onRepo(method: string, pattern: string, handler: Handler): void {
  on(method, repoPath(pattern), (ctx, [owner, repo, ...rest]) => {
    if (`${owner}/${repo}`.toLowerCase() !== ctx.state.fullName.toLowerCase()) {
      throw new HttpError(404, 'Not Found')
    }
    return handler(ctx, rest)
  })
}

/** GitHub-style pagination: per_page (default 30, max 100), page, and a Link header. */
function paginate<T>(ctx: Context, items: T[]): Reply {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100)
  const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (n: number, rel: string): string => {
    const query = new URLSearchParams(ctx.query)
    query.set('page', String(n))
    query.set('per_page', String(perPage))
    return `<${ctx.origin}${ctx.path}?${query}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  return {
    data: items.slice((page - 1) * perPage, page * perPage),
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {})
  }
}

/**
 * An answer shaped as GitHub documents `schema` (every required field, see skeletonOf) carrying the fake's values:
 * objects merge, everything else replaces.
 */
function shaped(schema: string, values: Record<string, unknown>): Record<string, unknown> {
  return merge(skeletonOf(schema), values)
}

function merge(base: Record<string, unknown>, values: Record<string, unknown>) {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue
    const current = base[key]
    base[key] =
      isPlainObject(current) && isPlainObject(value) ? merge({ ...current }, value) : value
  }
  return base
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A stable account id per login, as GitHub's ids are stable per account. */
function accountId(login: string): number {
  let hash = 7
  for (const char of login.toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007
  return 1_000 + hash
}

function user(login: string, schema = 'simple-user'): Record<string, unknown> {
  const id = accountId(login)
  return shaped(schema, {
    login,
    id,
    node_id: `U_${id}`,
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
    // What GitHub says the account is: bots are `Bot` accounts, whatever their name.
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false
  })
}

/** How GitHub relates an author to this repository: its owner, a collaborator with push access, or nobody. */
function authorAssociation(ctx: Context, login: string): string {
  if (login.toLowerCase() === ctx.state.owner.toLowerCase()) return 'OWNER'
  const role = ctx.state.permissions.get(login.toLowerCase())
  return role === 'admin' || role === 'maintain' || role === 'write' ? 'COLLABORATOR' : 'NONE'
}

function stringField(ctx: Context, name: string, required = true): string | undefined {
  const value = ctx.body[name]
  if (typeof value === 'string') return value
  if (required) throw new HttpError(422, `Invalid request.\n\n"${name}" wasn't supplied.`)
  return undefined
}

// --- identity -------------------------------------------------------------------------------------------------

on('GET', '/user', (ctx) => {
  if (ctx.token.kind !== 'user') throw new HttpError(403, 'Resource not accessible by integration')
  return { data: { ...user(ctx.token.login, 'public-user'), user_view_type: 'public' } }
})

on('POST', '/graphql', (ctx) => {
  const query = stringField(ctx, 'query') ?? ''
  if (!/viewer\s*\{\s*login\s*\}/.test(query)) {
    return { data: { errors: [{ message: 'The fake only answers `viewer { login }`.' }] } }
  }
  return { data: { data: { viewer: { login: ctx.token.login } } } }
})

/** The repository as GitHub describes it (`repository` in pull requests, `full-repository` on its own). */
function repositoryJson(ctx: Context, fullName: string, schema = 'repository') {
  const [owner, name] = fullName.split('/') as [string, string]
  return shaped(schema, {
    id: accountId(fullName),
    node_id: `R_${accountId(fullName)}`,
    name,
    full_name: fullName,
    owner: user(owner),
    default_branch: ctx.state.defaultBranch,
    url: `https://api.github.com/repos/${fullName}`,
    html_url: `https://github.com/${fullName}`
  })
}

onRepo('GET', '', (ctx) => ({ data: repositoryJson(ctx, ctx.state.fullName, 'full-repository') }))

// --- comments -------------------------------------------------------------------------------------------------

function commentJson(ctx: Context, comment: FakeComment): Record<string, unknown> {
  return shaped('issue-comment', {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${ctx.origin}/repos/${ctx.state.fullName}/issues/comments/${comment.id}`,
    issue_url: `${ctx.origin}/repos/${ctx.state.fullName}/issues/${comment.issueNumber}`,
    author_association: authorAssociation(ctx, comment.author),
    body: comment.body,
    user: user(comment.author),
    html_url: `${ctx.origin}/${ctx.state.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt
  })
}

function issueExists(ctx: Context, number: number): boolean {
  return (
    ctx.state.issues.some((issue) => issue.number === number) ||
    ctx.state.pulls.some((pull) => pull.number === number)
  )
}

onRepo('GET', '/issues/:number/comments', (ctx, [number]) => {
  const items = ctx.state.commentsOn(Number(number)).map((comment) => commentJson(ctx, comment))
  return paginate(ctx, items)
})

/** GitHub's limit on issue and comment bodies, in characters; over it the answer is a 422 naming the field. */
export const FAKE_BODY_LIMIT = 65_536

function checkBodyLength(resource: 'Issue' | 'IssueComment' | 'PullRequest', body: string): void {
  if ([...body].length > FAKE_BODY_LIMIT) {
    throw new HttpError(422, 'Validation Failed', [
      {
        resource,
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${FAKE_BODY_LIMIT} characters)`
      }
    ])
  }
}

onRepo('POST', '/issues/:number/comments', (ctx, [number]) => {
  if (!issueExists(ctx, Number(number))) throw new HttpError(404, 'Not Found')
  const body = stringField(ctx, 'body')!
  checkBodyLength('IssueComment', body)
  const comment = ctx.state.addComment(Number(number), ctx.token.login, body)
  return { status: 201, data: commentJson(ctx, comment) }
})

onRepo('PATCH', '/issues/comments/:id', (ctx, [id]) => {
  const comment = ctx.state.comments.find((candidate) => candidate.id === Number(id))
  if (!comment) throw new HttpError(404, 'Not Found')
  // The product only ever edits its own comments; an edit of somebody else's is refused loudly.
  const account = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '')
  if (account(comment.author) !== account(ctx.token.login)) {
    throw new HttpError(403, 'Resource not accessible by integration')
  }
  const body = stringField(ctx, 'body')!
  checkBodyLength('IssueComment', body)
  comment.body = body
  comment.updatedAt = ctx.state.tick()
  return { data: commentJson(ctx, comment) }
})

// --- issues and labels ----------------------------------------------------------------------------------------

function labelJson(ctx: Context, name: string): Record<string, unknown> {
  const label = ctx.state.labels.get(name.toLowerCase())
  return shaped('label', {
    id: accountId(`label/${name.toLowerCase()}`),
    node_id: `LA_${accountId(`label/${name.toLowerCase()}`)}`,
    url: `${ctx.origin}/repos/${ctx.state.fullName}/labels/${encodeURIComponent(name)}`,
    name: label?.name ?? name,
    color: label?.color ?? 'ededed',
    description: null,
    default: false
  })
}

function issueJson(ctx: Context, issue: FakeIssue): Record<string, unknown> {
  const api = `${ctx.origin}/repos/${ctx.state.fullName}/issues/${issue.number}`
  return shaped('issue', {
    id: issue.number + 100_000,
    node_id: `I_${issue.number + 100_000}`,
    url: api,
    repository_url: `${ctx.origin}/repos/${ctx.state.fullName}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    user: user(issue.author),
    author_association: authorAssociation(ctx, issue.author),
    labels: issue.labels.map((name) => labelJson(ctx, name)),
    comments: ctx.state.commentsOn(issue.number).length,
    html_url: `${ctx.origin}/${ctx.state.fullName}/issues/${issue.number}`,
    created_at: issue.createdAt,
    updated_at: issue.createdAt
  })
}

onRepo('GET', '/issues', (ctx) => {
  const wanted = (ctx.query.get('labels') ?? '')
    .split(',')
    .map((label) => label.trim().toLowerCase())
    .filter(Boolean)
  const stateFilter = ctx.query.get('state') ?? 'open'
  const asIssues: (Record<string, unknown> & { created_at: string })[] = [
    ...ctx.state.issues.map(
      (issue) => issueJson(ctx, issue) as Record<string, unknown> & { created_at: string }
    ),
    ...ctx.state.pulls.map((pull) => ({
      ...(issueJson(ctx, {
        number: pull.number,
        title: pull.title,
        body: pull.body,
        state: pull.state,
        author: pull.author,
        labels: pull.labels,
        createdAt: pull.createdAt
      }) as Record<string, unknown> & { created_at: string }),
      pull_request: {
        url: `${ctx.origin}/repos/${ctx.state.fullName}/pulls/${pull.number}`,
        html_url: `${ctx.origin}/${ctx.state.fullName}/pull/${pull.number}`,
        diff_url: `${ctx.origin}/${ctx.state.fullName}/pull/${pull.number}.diff`,
        patch_url: `${ctx.origin}/${ctx.state.fullName}/pull/${pull.number}.patch`,
        merged_at: pull.mergedAt
      }
    }))
  ]
  const selected = asIssues.filter((issue) => {
    const labels = (issue.labels as { name: string }[]).map((label) => label.name.toLowerCase())
    return (
      (stateFilter === 'all' || issue.state === stateFilter) &&
      wanted.every((label) => labels.includes(label))
    )
  })
  const ascending = ctx.query.get('direction') === 'asc'
  selected.sort((a, b) =>
    a.created_at === b.created_at ? 0 : a.created_at < b.created_at === ascending ? -1 : 1
  )
  return paginate(ctx, selected)
})

onRepo('POST', '/issues', (ctx) => {
  const title = stringField(ctx, 'title')!
  const labels = Array.isArray(ctx.body.labels) ? (ctx.body.labels as string[]) : []
  // Like GitHub for tokens without push access: unknown labels are dropped silently.
  const known = labels.filter((label) => ctx.state.labels.has(label.toLowerCase()))
  const issue = ctx.state.addIssue({
    title,
    body: stringField(ctx, 'body', false) ?? '',
    author: ctx.token.login,
    labels: known
  })
  return { status: 201, data: issueJson(ctx, issue) }
})

onRepo('GET', '/issues/:number', (ctx, [number]) => {
  const issue = ctx.state.issues.find((candidate) => candidate.number === Number(number))
  if (!issue) throw new HttpError(404, 'Not Found')
  return { data: issueJson(ctx, issue) }
})

onRepo('PATCH', '/issues/:number', (ctx, [number]) => {
  const issue = ctx.state.issues.find((candidate) => candidate.number === Number(number))
  if (!issue) throw new HttpError(404, 'Not Found')
  const title = stringField(ctx, 'title', false)
  const body = stringField(ctx, 'body', false)
  const state = stringField(ctx, 'state', false)
  if (state !== undefined && state !== 'open' && state !== 'closed') {
    throw new HttpError(422, 'Validation Failed', [
      {
        resource: 'Issue',
        code: 'invalid',
        field: 'state',
        message: `state is not included in the list`
      }
    ])
  }
  if (body !== undefined) checkBodyLength('Issue', body)
  if (title !== undefined) issue.title = title
  if (body !== undefined) issue.body = body
  if (state !== undefined) issue.state = state
  return { data: issueJson(ctx, issue) }
})

onRepo('GET', '/labels/:name', (ctx, [name]) => {
  const label = ctx.state.labels.get(name!.toLowerCase())
  if (!label) throw new HttpError(404, 'Not Found')
  return { data: labelJson(ctx, label.name) }
})

onRepo('POST', '/labels', (ctx) => {
  const name = stringField(ctx, 'name')!
  if (ctx.state.labels.has(name.toLowerCase())) {
    throw new HttpError(422, 'Validation Failed', [
      { resource: 'Label', code: 'already_exists', field: 'name' }
    ])
  }
  ctx.state.addLabel(name, stringField(ctx, 'color', false))
  return { status: 201, data: labelJson(ctx, name) }
})

// --- pull requests and reviews --------------------------------------------------------------------------------

/** A pull request as the lists answer it (`pull-request-simple`), or as GET and POST do (`pull-request`). */
function pullJson(
  ctx: Context,
  pull: FakePullRequest,
  schema: 'pull-request' | 'pull-request-simple' = 'pull-request-simple'
): Record<string, unknown> {
  const api = `${ctx.origin}/repos/${ctx.state.fullName}/pulls/${pull.number}`
  const branch = (ref: string, sha: string, fullName: string | null) => ({
    label: `${(fullName ?? 'unknown/unknown').split('/')[0]}:${ref}`,
    ref,
    sha,
    // A deleted fork's head has no repository.
    repo: fullName === null ? null : repositoryJson(ctx, fullName),
    user: user((fullName ?? ctx.state.fullName).split('/')[0]!)
  })
  return shaped(schema, {
    id: pull.number + 200_000,
    node_id: `PR_${pull.number + 200_000}`,
    url: api,
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    locked: false,
    user: user(pull.author),
    author_association: authorAssociation(ctx, pull.author),
    labels: pull.labels.map((name) => labelJson(ctx, name)),
    html_url: `${ctx.origin}/${ctx.state.fullName}/pull/${pull.number}`,
    base: branch(pull.baseRef, pull.baseSha, ctx.state.fullName),
    head: branch(pull.headRef, pull.headSha, pull.headRepo),
    merged_at: pull.mergedAt,
    closed_at: pull.state === 'closed' ? (pull.mergedAt ?? pull.createdAt) : null,
    merge_commit_sha: pull.mergeCommitSha,
    created_at: pull.createdAt,
    updated_at: pull.createdAt,
    ...(schema === 'pull-request'
      ? { merged: pull.mergedAt !== null, commits: pull.commits.length }
      : {})
  })
}

function findPull(ctx: Context, number: string | undefined): FakePullRequest {
  const pull = ctx.state.pulls.find((candidate) => candidate.number === Number(number))
  if (!pull) throw new HttpError(404, 'Not Found')
  return pull
}

onRepo('GET', '/commits/:sha/pulls', (ctx, [sha]) => {
  const numbers = ctx.state.commitPulls.get(sha!) ?? []
  const pulls = numbers.map((number) => pullJson(ctx, findPull(ctx, String(number))))
  return paginate(ctx, pulls)
})

onRepo('GET', '/pulls', (ctx) => {
  const head = ctx.query.get('head')
  const base = ctx.query.get('base')
  const stateFilter = ctx.query.get('state') ?? 'open'
  const pulls = ctx.state.pulls.filter(
    (pull) =>
      (stateFilter === 'all' || pull.state === stateFilter) &&
      (!base || pull.baseRef === base) &&
      (!head || `${(pull.headRepo ?? '').split('/')[0]}:${pull.headRef}` === head)
  )
  return paginate(
    ctx,
    pulls.map((pull) => pullJson(ctx, pull))
  )
})

onRepo('POST', '/pulls', (ctx) => {
  const head = stringField(ctx, 'head')!
  const base = stringField(ctx, 'base')!
  const headSha = ctx.state.branches.get(head)
  const baseSha = ctx.state.branches.get(base)
  if (!headSha || !baseSha)
    throw new HttpError(422, 'Validation Failed', [
      { resource: 'PullRequest', code: 'invalid', field: headSha ? 'base' : 'head' }
    ])
  if (ctx.token.kind === 'actions' && !ctx.state.actionsMayCreatePullRequests) {
    // The repository setting "Allow GitHub Actions to create and approve pull requests" is off (GitHub's default).
    throw new HttpError(403, 'GitHub Actions is not permitted to create or approve pull requests.')
  }
  if (
    ctx.state.pulls.some(
      (pull) => pull.state === 'open' && pull.headRef === head && pull.baseRef === base
    )
  ) {
    throw new HttpError(422, 'Validation Failed', [
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${ctx.state.owner}:${head}.`
      }
    ])
  }
  const pullBody = stringField(ctx, 'body', false) ?? ''
  checkBodyLength('PullRequest', pullBody)
  const pull = ctx.state.addPullRequest({
    title: stringField(ctx, 'title')!,
    body: pullBody,
    author: ctx.token.login,
    baseRef: base,
    baseSha,
    headRef: head,
    headSha
  })
  return { status: 201, data: pullJson(ctx, pull, 'pull-request') }
})

onRepo('GET', '/pulls/:number', (ctx, [number]) => ({
  data: pullJson(ctx, findPull(ctx, number), 'pull-request')
}))

onRepo('GET', '/pulls/:number/reviews', (ctx, [number]) => {
  findPull(ctx, number)
  const reviews = ctx.state.reviews
    .filter((review) => review.pullNumber === Number(number))
    .map((review: FakeReview) =>
      shaped('pull-request-review', {
        id: review.id,
        node_id: `PRR_${review.id}`,
        user: user(review.user),
        author_association: authorAssociation(ctx, review.user),
        state: review.state,
        commit_id: review.commitId,
        submitted_at: review.submittedAt,
        body: '',
        html_url: `${ctx.origin}/${ctx.state.fullName}/pull/${number}#pullrequestreview-${review.id}`,
        pull_request_url: `${ctx.origin}/repos/${ctx.state.fullName}/pulls/${number}`,
        _links: {
          html: {
            href: `${ctx.origin}/${ctx.state.fullName}/pull/${number}#pullrequestreview-${review.id}`
          },
          pull_request: { href: `${ctx.origin}/repos/${ctx.state.fullName}/pulls/${number}` }
        }
      })
    )
  return paginate(ctx, reviews)
})

onRepo('GET', '/pulls/:number/commits', (ctx, [number]) => {
  const pull = findPull(ctx, number)
  const person = (login: string | null) => ({
    name: login ?? 'Someone',
    email: `${login ?? 'someone'}@users.example.com`,
    date: pull.createdAt
  })
  const commits = pull.commits.map((commit, index) => {
    const sha =
      index === pull.commits.length - 1 ? pull.headSha : gitBlobSha(`${pull.number}/${index}`)
    return shaped('commit', {
      sha,
      node_id: `C_${sha.slice(0, 12)}`,
      url: `${ctx.origin}/repos/${ctx.state.fullName}/commits/${sha}`,
      html_url: `${ctx.origin}/${ctx.state.fullName}/commit/${sha}`,
      comments_url: `${ctx.origin}/repos/${ctx.state.fullName}/commits/${sha}/comments`,
      commit: {
        url: `${ctx.origin}/repos/${ctx.state.fullName}/git/commits/${sha}`,
        author: person(commit.author),
        committer: person(commit.committer),
        message: `Commit ${index + 1}`,
        comment_count: 0,
        tree: {
          sha: gitBlobSha(`tree/${sha}`),
          url: `${ctx.origin}/repos/${ctx.state.fullName}/git/trees/${sha}`
        }
      },
      author: commit.author === null ? null : user(commit.author),
      committer: commit.committer === null ? null : user(commit.committer),
      parents: []
    })
  })
  return paginate(ctx, commits)
})

// The files a pull request changes, as GitHub lists them: the difference between its base and head commits (here
// their stored files), each path once, sorted, 100 a page by default.
onRepo('GET', '/pulls/:number/files', (ctx, [number]) => {
  const pull = findPull(ctx, number)
  const before = ctx.state.filesAt(pull.baseSha) ?? new Map<string, string>()
  const after = ctx.state.filesAt(pull.headSha) ?? new Map<string, string>()
  const entries = [...new Set([...before.keys(), ...after.keys()])]
    .sort()
    .filter((path) => before.get(path) !== after.get(path))
    .map((filename) => {
      const text = after.get(filename) ?? before.get(filename) ?? ''
      const lines = text.split('\n').length
      const status = !before.has(filename) ? 'added' : !after.has(filename) ? 'removed' : 'modified'
      return shaped('diff-entry', {
        sha: gitBlobSha(text),
        filename,
        status,
        additions: status === 'removed' ? 0 : lines,
        deletions: status === 'added' ? 0 : lines,
        changes: lines,
        blob_url: `${ctx.origin}/${ctx.state.fullName}/blob/${pull.headSha}/${filename}`,
        raw_url: `${ctx.origin}/${ctx.state.fullName}/raw/${pull.headSha}/${filename}`,
        contents_url: `${ctx.origin}/repos/${ctx.state.fullName}/contents/${filename}?ref=${pull.headSha}`
      })
    })
  return paginate(ctx, entries)
})

// Two commits compared (`base...head`, three dots): GitHub lists the files that differ between them (here their stored
// files; the fake keeps no history, so no commits are listed), on the first page only and at most 300 for the whole
// comparison, which the fake's stored commits never reach. An unknown commit is a 404.
onRepo('GET', '/compare/:basehead', (ctx, [basehead]) => {
  const [base, head, extra] = basehead!.split('...')
  if (!base || !head || extra !== undefined) throw new HttpError(404, 'Not Found')
  const before = ctx.state.filesAt(base)
  const after = ctx.state.filesAt(head)
  if (!before || !after) throw new HttpError(404, 'Not Found')
  const baseSha = ctx.state.resolveRef(base)!
  const headSha = ctx.state.resolveRef(head)!
  const files = [...new Set([...before.keys(), ...after.keys()])]
    .sort()
    .filter((path) => before.get(path) !== after.get(path))
    .map((filename) => {
      const text = after.get(filename) ?? before.get(filename) ?? ''
      const lines = text.split('\n').length
      const status = !before.has(filename) ? 'added' : !after.has(filename) ? 'removed' : 'modified'
      return shaped('diff-entry', {
        sha: gitBlobSha(text),
        filename,
        status,
        additions: status === 'removed' ? 0 : lines,
        deletions: status === 'added' ? 0 : lines,
        changes: lines,
        blob_url: `${ctx.origin}/${ctx.state.fullName}/blob/${headSha}/${filename}`,
        raw_url: `${ctx.origin}/${ctx.state.fullName}/raw/${headSha}/${filename}`,
        contents_url: `${ctx.origin}/repos/${ctx.state.fullName}/contents/${filename}?ref=${headSha}`
      })
    })
    .slice(0, 300)
  const commit = (sha: string) =>
    shaped('commit', {
      sha,
      node_id: `C_${sha}`,
      url: `${ctx.origin}/repos/${ctx.state.fullName}/commits/${sha}`,
      html_url: `https://github.com/${ctx.state.fullName}/commit/${sha}`,
      comments_url: `${ctx.origin}/repos/${ctx.state.fullName}/commits/${sha}/comments`,
      parents: []
    })
  const page = `https://github.com/${ctx.state.fullName}/compare/${baseSha}...${headSha}`
  return {
    data: shaped('commit-comparison', {
      url: `${ctx.origin}/repos/${ctx.state.fullName}/compare/${baseSha}...${headSha}`,
      html_url: page,
      permalink_url: page,
      diff_url: `${page}.diff`,
      patch_url: `${page}.patch`,
      base_commit: commit(baseSha),
      merge_base_commit: commit(baseSha),
      status: baseSha === headSha ? 'identical' : 'ahead',
      ahead_by: baseSha === headSha ? 0 : 1,
      behind_by: 0,
      total_commits: baseSha === headSha ? 0 : 1,
      commits: [],
      files
    })
  }
})

// GitHub folds maintain into write and triage into read in `permission`; `role_name` keeps them apart.
const LEGACY_PERMISSION = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read'
}

onRepo('GET', '/collaborators/:username/permission', (ctx, [username]) => {
  const role = ctx.state.permissions.get(username!.toLowerCase()) ?? 'read'
  const flags = {
    pull: true,
    triage: role !== 'read',
    push: role === 'write' || role === 'maintain' || role === 'admin',
    maintain: role === 'maintain' || role === 'admin',
    admin: role === 'admin'
  }
  return {
    data: shaped('repository-collaborator-permission', {
      permission: LEGACY_PERMISSION[role],
      role_name: role,
      user: { ...user(username!, 'collaborator'), permissions: flags, role_name: role }
    })
  }
})

on('GET', '/users/:username', (ctx, [username]) => ({
  data: {
    ...user(username!, 'public-user'),
    user_view_type: 'public',
    email: ctx.state.publicEmails.get(username!.toLowerCase()) ?? null
  }
}))

// Reading it needs administration access: the workflow GITHUB_TOKEN never has it.
onRepo('GET', '/actions/permissions/workflow', (ctx) => {
  if (ctx.token.kind === 'actions') {
    throw new HttpError(403, 'Resource not accessible by integration')
  }
  return {
    data: {
      default_workflow_permissions: 'read',
      can_approve_pull_request_reviews: ctx.state.actionsMayCreatePullRequests
    }
  }
})

// --- teams ----------------------------------------------------------------------------------------------------

function readableTeam(ctx: Context, org: string, slug: string): Map<string, 'active' | 'pending'> {
  if (!ctx.token.canReadTeams) throw new HttpError(403, 'Resource not accessible by integration')
  const team = ctx.state.teams.get(`${org}/${slug}`.toLowerCase())
  if (!team) throw new HttpError(404, 'Not Found')
  return team
}

on('GET', '/orgs/:org/teams/:slug', (ctx, [org, slug]) => {
  readableTeam(ctx, org!, slug!)
  const id = accountId(`team/${org}/${slug}`)
  return {
    data: shaped('team-full', {
      id,
      node_id: `T_${id}`,
      slug,
      name: slug,
      url: `${ctx.origin}/orgs/${org}/teams/${slug}`,
      html_url: `https://github.com/orgs/${org}/teams/${slug}`,
      organization: shaped('team-organization', {
        login: org,
        id: accountId(org!),
        node_id: `O_${accountId(org!)}`,
        url: `${ctx.origin}/orgs/${org}`
      })
    })
  }
})

on('GET', '/orgs/:org/teams/:slug/memberships/:login', (ctx, [org, slug, login]) => {
  const state = readableTeam(ctx, org!, slug!).get(login!.toLowerCase())
  if (!state) throw new HttpError(404, 'Not Found')
  return {
    data: shaped('team-membership', {
      state,
      role: 'member',
      url: `${ctx.origin}/orgs/${org}/teams/${slug}/memberships/${login}`
    })
  }
})

// --- git data and contents ------------------------------------------------------------------------------------

function refJson(ctx: Context, ref: string, sha: string): Record<string, unknown> {
  return shaped('git-ref', {
    ref,
    node_id: `REF_${accountId(ref)}`,
    url: `${ctx.origin}/repos/${ctx.state.fullName}/git/${ref}`,
    object: {
      type: 'commit',
      sha,
      url: `${ctx.origin}/repos/${ctx.state.fullName}/git/commits/${sha}`
    }
  })
}

function filesAt(ctx: Context, ref: string): Map<string, string> {
  const files = ctx.state.filesAt(ref)
  if (!files) throw new HttpError(404, 'No commit found for the ref ' + ref)
  return files
}

/** Where a contents entry lives, as every contents answer names it. */
function entryLinks(ctx: Context, path: string, sha: string, type: 'file' | 'dir') {
  const api = `${ctx.origin}/repos/${ctx.state.fullName}/contents/${path}`
  const git = `${ctx.origin}/repos/${ctx.state.fullName}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`
  const html = `${ctx.origin}/${ctx.state.fullName}/${type === 'file' ? 'blob' : 'tree'}/${ctx.state.defaultBranch}/${path}`
  return {
    url: api,
    git_url: git,
    html_url: html,
    download_url: type === 'file' ? `${ctx.origin}/raw/${ctx.state.fullName}/${path}` : null,
    _links: { self: api, git, html }
  }
}

function fileJson(ctx: Context, path: string, text: string): Record<string, unknown> {
  const sha = gitBlobSha(text)
  return shaped('content-file', {
    type: 'file',
    name: path.split('/').pop(),
    path,
    sha,
    size: Buffer.byteLength(text),
    ...entryLinks(ctx, path, sha, 'file'),
    encoding: 'base64',
    content: Buffer.from(text, 'utf8')
      .toString('base64')
      .replace(/(.{60})/g, '$1\n')
  })
}

onRepo('GET', '/contents/:path*', (ctx, [path]) => {
  const files = filesAt(ctx, ctx.query.get('ref') ?? ctx.state.defaultBranch)
  const text = files.get(path!)
  if (text !== undefined) return { data: fileJson(ctx, path!, text) }
  const prefix = `${path}/`
  const children = new Map<string, Record<string, unknown>>()
  for (const [file, content] of files) {
    if (!file.startsWith(prefix)) continue
    const [name, ...rest] = file.slice(prefix.length).split('/')
    const sha = rest.length === 0 ? gitBlobSha(content) : gitBlobSha(prefix + name)
    const type = rest.length === 0 ? 'file' : 'dir'
    children.set(name!, {
      type,
      name,
      path: prefix + name,
      sha,
      size: rest.length === 0 ? Buffer.byteLength(content) : 0,
      ...entryLinks(ctx, prefix + name, sha, type)
    })
  }
  if (children.size === 0) throw new HttpError(404, 'Not Found')
  return { data: [...children.values()] }
})

onRepo('PUT', '/contents/:path*', (ctx, [path]) => {
  const branch = stringField(ctx, 'branch', false) ?? ctx.state.defaultBranch
  const content = Buffer.from(stringField(ctx, 'content')!, 'base64').toString('utf8')
  stringField(ctx, 'message')
  const files = filesAt(ctx, branch)
  const existing = files.get(path!)
  const sha = stringField(ctx, 'sha', false)
  if (existing !== undefined && sha === undefined) {
    throw new HttpError(422, `Invalid request.\n\n"sha" wasn't supplied.`)
  }
  if (existing !== undefined && sha !== gitBlobSha(existing)) {
    throw new HttpError(409, `${path} does not match ${sha}`)
  }
  const commit = ctx.state.commitFile(branch, path!, content)
  const { content: _, encoding: __, ...entry } = fileJson(ctx, path!, content)
  return {
    status: existing === undefined ? 201 : 200,
    data: shaped('file-commit', {
      content: entry,
      commit: {
        sha: commit,
        node_id: `C_${commit.slice(0, 12)}`,
        url: `${ctx.origin}/repos/${ctx.state.fullName}/git/commits/${commit}`,
        html_url: `${ctx.origin}/${ctx.state.fullName}/commit/${commit}`,
        message: stringField(ctx, 'message')
      }
    })
  }
})

onRepo('GET', '/git/trees/:ref', (ctx, [ref]) => {
  const files = filesAt(ctx, ref!)
  const entries = new Map<string, Record<string, unknown>>()
  for (const [path, text] of files) {
    const parts = path.split('/')
    for (let depth = 1; depth < parts.length; depth += 1) {
      const dir = parts.slice(0, depth).join('/')
      entries.set(dir, {
        path: dir,
        mode: '040000',
        type: 'tree',
        sha: gitBlobSha(dir),
        url: `${ctx.origin}/repos/${ctx.state.fullName}/git/trees/${gitBlobSha(dir)}`
      })
    }
    entries.set(path, {
      path,
      mode: '100644',
      type: 'blob',
      sha: gitBlobSha(text),
      size: Buffer.byteLength(text),
      url: `${ctx.origin}/repos/${ctx.state.fullName}/git/blobs/${gitBlobSha(text)}`
    })
  }
  const recursive = ctx.query.has('recursive')
  const tree = [...entries.values()].filter(
    (entry) => recursive || !String(entry.path).includes('/')
  )
  const sha = ctx.state.resolveRef(ref!)
  return {
    data: shaped('git-tree', {
      sha,
      url: `${ctx.origin}/repos/${ctx.state.fullName}/git/trees/${sha}`,
      tree,
      truncated: false
    })
  }
})

onRepo('GET', '/git/blobs/:sha', (ctx, [sha]) => {
  const text = ctx.state.blobs.get(sha!)
  if (text === undefined) throw new HttpError(404, 'Not Found')
  return {
    data: shaped('blob', {
      sha,
      node_id: `B_${sha!.slice(0, 12)}`,
      url: `${ctx.origin}/repos/${ctx.state.fullName}/git/blobs/${sha}`,
      size: Buffer.byteLength(text),
      encoding: 'base64',
      content: Buffer.from(text, 'utf8').toString('base64')
    })
  }
})

onRepo('GET', '/git/ref/:ref*', (ctx, [ref]) => {
  const name = ref!.replace(/^heads\//, '')
  const sha = ref!.startsWith('heads/') ? ctx.state.branches.get(name) : undefined
  if (!sha) throw new HttpError(404, 'Not Found')
  return { data: refJson(ctx, `refs/heads/${name}`, sha) }
})

onRepo('PATCH', '/git/refs/:ref*', (ctx, [ref]) => {
  const name = ref!.replace(/^heads\//, '')
  const sha = stringField(ctx, 'sha')!
  if (!ref!.startsWith('heads/') || !ctx.state.branches.has(name)) {
    throw new HttpError(422, 'Reference does not exist')
  }
  if (!ctx.state.commits.has(sha)) throw new HttpError(422, 'Object does not exist')
  if (ctx.body.force !== true) throw new HttpError(422, 'Update is not a fast forward')
  ctx.state.setBranch(name, sha)
  return { data: refJson(ctx, `refs/heads/${name}`, sha) }
})

onRepo('POST', '/git/refs', (ctx) => {
  const ref = stringField(ctx, 'ref')!
  const sha = stringField(ctx, 'sha')!
  if (!ref.startsWith('refs/heads/'))
    throw new HttpError(422, 'Reference name must start with refs/heads/')
  const name = ref.slice('refs/heads/'.length)
  if (ctx.state.branches.has(name)) throw new HttpError(422, 'Reference already exists')
  if (!ctx.state.commits.has(sha)) throw new HttpError(422, 'Object does not exist')
  ctx.state.setBranch(name, sha)
  return { status: 201, data: refJson(ctx, ref, sha) }
})
