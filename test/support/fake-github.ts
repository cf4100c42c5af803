/**
 * A loopback fake of the GitHub REST endpoints src/github uses, with in-memory state. For unit tests (via
 * createOctokit baseUrl) and for end-to-end runs of the bundle (GITHUB_API_URL=fake.url).
 */
import { createServer, STATUS_CODES } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeGitHubState, gitBlobSha } from './fake-github-state.js'
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
}

/** GitHub's answer to a secondary rate limit (the request id varies). */
export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:4444.'

export const FAKE_ACTIONS_TOKEN = 'ghs_fake_actions_token'

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
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
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      })
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
    reply = { status, data: { message } }
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
    data: { message: fault.message ?? STATUS_CODES[fault.status] ?? 'Error' },
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

function user(login: string): Record<string, unknown> {
  return { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }
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
  return { data: { ...user(ctx.token.login), id: 1 } }
})

on('POST', '/graphql', (ctx) => {
  const query = stringField(ctx, 'query') ?? ''
  if (!/viewer\s*\{\s*login\s*\}/.test(query)) {
    return { data: { errors: [{ message: 'The fake only answers `viewer { login }`.' }] } }
  }
  return { data: { data: { viewer: { login: ctx.token.login } } } }
})

onRepo('GET', '', (ctx) => ({
  data: {
    name: ctx.state.repo,
    full_name: ctx.state.fullName,
    default_branch: ctx.state.defaultBranch,
    owner: { login: ctx.state.owner }
  }
}))

// --- comments -------------------------------------------------------------------------------------------------

function commentJson(ctx: Context, comment: FakeComment): Record<string, unknown> {
  return {
    id: comment.id,
    body: comment.body,
    user: user(comment.author),
    html_url: `${ctx.origin}/${ctx.state.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt
  }
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

onRepo('POST', '/issues/:number/comments', (ctx, [number]) => {
  if (!issueExists(ctx, Number(number))) throw new HttpError(404, 'Not Found')
  const body = stringField(ctx, 'body')!
  if (body.length > 65_536) {
    throw new HttpError(422, 'Validation Failed: Body is too long (maximum is 65536 characters)')
  }
  const comment = ctx.state.addComment(Number(number), ctx.token.login, body)
  return { status: 201, data: commentJson(ctx, comment) }
})

onRepo('PATCH', '/issues/comments/:id', (ctx, [id]) => {
  const comment = ctx.state.comments.find((candidate) => candidate.id === Number(id))
  if (!comment) throw new HttpError(404, 'Not Found')
  comment.body = stringField(ctx, 'body')!
  comment.updatedAt = ctx.state.tick()
  return { data: commentJson(ctx, comment) }
})

// --- issues and labels ----------------------------------------------------------------------------------------

function issueJson(ctx: Context, issue: FakeIssue): Record<string, unknown> {
  return {
    id: issue.number + 100_000,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    user: user(issue.author),
    labels: issue.labels.map((name) => ({ name })),
    html_url: `${ctx.origin}/${ctx.state.fullName}/issues/${issue.number}`,
    created_at: issue.createdAt
  }
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
      pull_request: { url: `${ctx.origin}/${ctx.state.fullName}/pull/${pull.number}` }
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
  if (title !== undefined) issue.title = title
  if (body !== undefined) issue.body = body
  if (state === 'open' || state === 'closed') issue.state = state
  return { data: issueJson(ctx, issue) }
})

onRepo('GET', '/labels/:name', (ctx, [name]) => {
  const label = ctx.state.labels.get(name!.toLowerCase())
  if (!label) throw new HttpError(404, 'Not Found')
  return { data: label }
})

onRepo('POST', '/labels', (ctx) => {
  const name = stringField(ctx, 'name')!
  if (ctx.state.labels.has(name.toLowerCase())) {
    throw new HttpError(422, 'Validation Failed: already_exists')
  }
  return { status: 201, data: ctx.state.addLabel(name, stringField(ctx, 'color', false)) }
})

// --- pull requests and reviews --------------------------------------------------------------------------------

function pullJson(ctx: Context, pull: FakePullRequest): Record<string, unknown> {
  const repo = (fullName: string | null) =>
    fullName === null ? null : { full_name: fullName, name: fullName.split('/')[1] }
  return {
    id: pull.number + 200_000,
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    user: user(pull.author),
    html_url: `${ctx.origin}/${ctx.state.fullName}/pull/${pull.number}`,
    base: { ref: pull.baseRef, sha: pull.baseSha, repo: repo(ctx.state.fullName) },
    head: { ref: pull.headRef, sha: pull.headSha, repo: repo(pull.headRepo) },
    merged_at: pull.mergedAt,
    merged: pull.mergedAt !== null,
    merge_commit_sha: pull.mergeCommitSha,
    created_at: pull.createdAt
  }
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
    throw new HttpError(422, 'Validation Failed: head or base does not exist')
  if (
    ctx.state.pulls.some(
      (pull) => pull.state === 'open' && pull.headRef === head && pull.baseRef === base
    )
  ) {
    throw new HttpError(
      422,
      `Validation Failed: A pull request already exists for ${ctx.state.owner}:${head}.`
    )
  }
  const pull = ctx.state.addPullRequest({
    title: stringField(ctx, 'title')!,
    body: stringField(ctx, 'body', false) ?? '',
    author: ctx.token.login,
    baseRef: base,
    baseSha,
    headRef: head,
    headSha
  })
  return { status: 201, data: pullJson(ctx, pull) }
})

onRepo('GET', '/pulls/:number', (ctx, [number]) => ({ data: pullJson(ctx, findPull(ctx, number)) }))

onRepo('GET', '/pulls/:number/reviews', (ctx, [number]) => {
  findPull(ctx, number)
  const reviews = ctx.state.reviews
    .filter((review) => review.pullNumber === Number(number))
    .map((review: FakeReview) => ({
      id: review.id,
      user: user(review.user),
      state: review.state,
      commit_id: review.commitId,
      submitted_at: review.submittedAt,
      body: ''
    }))
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
    return {
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
    }
  })
  return paginate(ctx, commits)
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
  return {
    data: {
      permission: LEGACY_PERMISSION[role],
      role_name: role,
      user: { ...user(username!), permissions: { [role]: true }, role_name: role }
    }
  }
})

on('GET', '/users/:username', (ctx, [username]) => ({
  data: { ...user(username!), email: ctx.state.publicEmails.get(username!.toLowerCase()) ?? null }
}))

// --- teams ----------------------------------------------------------------------------------------------------

function readableTeam(ctx: Context, org: string, slug: string): Map<string, 'active' | 'pending'> {
  if (!ctx.token.canReadTeams) throw new HttpError(403, 'Resource not accessible by integration')
  const team = ctx.state.teams.get(`${org}/${slug}`.toLowerCase())
  if (!team) throw new HttpError(404, 'Not Found')
  return team
}

on('GET', '/orgs/:org/teams/:slug', (ctx, [org, slug]) => {
  readableTeam(ctx, org!, slug!)
  return { data: { slug, name: slug, organization: { login: org } } }
})

on('GET', '/orgs/:org/teams/:slug/memberships/:login', (ctx, [org, slug, login]) => {
  const state = readableTeam(ctx, org!, slug!).get(login!.toLowerCase())
  if (!state) throw new HttpError(404, 'Not Found')
  return { data: { state, role: 'member' } }
})

// --- git data and contents ------------------------------------------------------------------------------------

function filesAt(ctx: Context, ref: string): Map<string, string> {
  const files = ctx.state.filesAt(ref)
  if (!files) throw new HttpError(404, 'No commit found for the ref ' + ref)
  return files
}

function fileJson(path: string, text: string): Record<string, unknown> {
  return {
    type: 'file',
    name: path.split('/').pop(),
    path,
    sha: gitBlobSha(text),
    size: Buffer.byteLength(text),
    encoding: 'base64',
    content: Buffer.from(text, 'utf8')
      .toString('base64')
      .replace(/(.{60})/g, '$1\n')
  }
}

onRepo('GET', '/contents/:path*', (ctx, [path]) => {
  const files = filesAt(ctx, ctx.query.get('ref') ?? ctx.state.defaultBranch)
  const text = files.get(path!)
  if (text !== undefined) return { data: fileJson(path!, text) }
  const prefix = `${path}/`
  const children = new Map<string, Record<string, unknown>>()
  for (const [file, content] of files) {
    if (!file.startsWith(prefix)) continue
    const [name, ...rest] = file.slice(prefix.length).split('/')
    children.set(
      name!,
      rest.length === 0
        ? { ...fileJson(file, content), content: undefined, encoding: undefined }
        : { type: 'dir', name, path: prefix + name, sha: gitBlobSha(prefix + name) }
    )
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
  return {
    status: existing === undefined ? 201 : 200,
    data: { content: fileJson(path!, content), commit: { sha: commit } }
  }
})

onRepo('GET', '/git/trees/:ref', (ctx, [ref]) => {
  const files = filesAt(ctx, ref!)
  const entries = new Map<string, Record<string, unknown>>()
  for (const [path, text] of files) {
    const parts = path.split('/')
    for (let depth = 1; depth < parts.length; depth += 1) {
      const dir = parts.slice(0, depth).join('/')
      entries.set(dir, { path: dir, mode: '040000', type: 'tree', sha: gitBlobSha(dir) })
    }
    entries.set(path, {
      path,
      mode: '100644',
      type: 'blob',
      sha: gitBlobSha(text),
      size: Buffer.byteLength(text)
    })
  }
  const recursive = ctx.query.has('recursive')
  const tree = [...entries.values()].filter(
    (entry) => recursive || !String(entry.path).includes('/')
  )
  return { data: { sha: ctx.state.resolveRef(ref!), tree, truncated: false } }
})

onRepo('GET', '/git/blobs/:sha', (ctx, [sha]) => {
  const text = ctx.state.blobs.get(sha!)
  if (text === undefined) throw new HttpError(404, 'Not Found')
  return {
    data: {
      sha,
      size: Buffer.byteLength(text),
      encoding: 'base64',
      content: Buffer.from(text, 'utf8').toString('base64')
    }
  }
})

onRepo('GET', '/git/ref/:ref*', (ctx, [ref]) => {
  const name = ref!.replace(/^heads\//, '')
  const sha = ref!.startsWith('heads/') ? ctx.state.branches.get(name) : undefined
  if (!sha) throw new HttpError(404, 'Not Found')
  return { data: { ref: `refs/heads/${name}`, object: { sha, type: 'commit' } } }
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
  return { data: { ref: `refs/heads/${name}`, object: { sha, type: 'commit' } } }
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
  return { status: 201, data: { ref, object: { sha, type: 'commit' } } }
})
