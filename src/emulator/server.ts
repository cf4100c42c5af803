import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { authenticate, authScheme, requireScope } from './auth.js'
import { ApiError, failureBody, noRoute, type Reply } from './http.js'
import { matchRoute, type RouteMatch } from './router.js'
import { verifyToken } from './routes/directory.js'
import { stateFromSeed, type AccountSeed } from './seed.js'
import type { EmulatorState } from './state.js'

export interface EmulatorOptions {
  seed: AccountSeed
  /** Default 0: a free port. The emulator always listens on 127.0.0.1. */
  port?: number
  /** Added to every response. */
  latencyMs?: number
  /** Per credential; default 1200 requests per 300_000 ms, like Cloudflare's global limit. */
  rateLimit?: { limit: number; windowMs: number }
  /** What a rate-limited 429 says in retry-after; default: seconds until the window frees a slot. */
  retryAfterSeconds?: number
}

export interface RequestLogEntry {
  method: string
  /** Without query, e.g. /client/v4/accounts/ID/members. */
  path: string
  query: Record<string, string>
  /** Parsed JSON body, or undefined (no body, or a body that is not JSON). */
  body: unknown
  /** 0 when the connection was dropped without an answer. */
  status: number
  /** Parsed JSON body sent; undefined for a dropped connection. */
  response: unknown
  auth: 'token' | 'key' | 'none'
}

export type Fault = { match?: { method?: string; path?: RegExp }; times?: number } & (
  | { kind: 'status'; status: number }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'drop-connection' }
  | { kind: 'mutate'; apply: (state: EmulatorState) => void }
)

export interface Emulator {
  /** e.g. http://127.0.0.1:PORT/client/v4 (no trailing slash). */
  url: string
  /** Live, mutable state: edit it to simulate a dashboard change. */
  state: EmulatorState
  /** Every request, in arrival order. */
  requests: RequestLogEntry[]
  faults: { inject(fault: Fault): void; clear(): void }
  /** Back to the seed (or a new one); clears the request log, faults and rate-limit counters. */
  reset(seed?: AccountSeed): void
  close(): Promise<void>
}

interface ArmedFault {
  fault: Fault
  remaining: number
}

const DEFAULT_RATE_LIMIT = { limit: 1200, windowMs: 300_000 }

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * The log holds a parsed copy of each answer, parsed when first read: most are never read, and parsing every page of
 * a large account cost the benchmark's process as much CPU as the client spent reading them.
 */
function logResponse(entry: RequestLogEntry, text: string): void {
  let parsed: unknown
  let read = false
  Object.defineProperty(entry, 'response', {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!read) {
        parsed = JSON.parse(text) as unknown
        read = true
      }
      return parsed
    },
    set: (value: unknown) => {
      parsed = value
      read = true
    }
  })
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}

function faultMatches(fault: Fault, method: string, path: string): boolean {
  const match = fault.match
  if (!match) return true
  if (match.method && match.method.toUpperCase() !== method) return false
  if (match.path) {
    match.path.lastIndex = 0
    if (!match.path.test(path)) return false
  }
  return true
}

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout'
}

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? `Injected failure (HTTP ${status})`
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  let seed = options.seed
  const state = stateFromSeed(seed)
  const requests: RequestLogEntry[] = []
  let faults: ArmedFault[] = []
  const rate = options.rateLimit ?? DEFAULT_RATE_LIMIT
  /** Request times per credential, oldest first: a sliding window over rate.windowMs. */
  const hits = new Map<string, number[]>()
  /** Credentials that went over the limit, and when their block ends. */
  const blockedUntil = new Map<string, number>()
  const sockets = new Set<Socket>()

  /**
   * The faults this request triggers, in injection order: every matching mutate, then at most one fault that
   * answers (status, rate-limit, drop-connection). Only those are used up; later answering faults wait their turn.
   */
  function takeFaults(method: string, path: string): Fault[] {
    const taken: Fault[] = []
    for (const armed of faults) {
      if (armed.remaining <= 0 || !faultMatches(armed.fault, method, path)) continue
      armed.remaining -= 1
      taken.push(armed.fault)
      if (armed.fault.kind !== 'mutate') break
    }
    faults = faults.filter((a) => a.remaining > 0)
    return taken
  }

  /**
   * Counts the request. Going over the limit blocks the credential for a whole window (API-NOTES correction 8:
   * "blocks all calls for the next five minutes", not a sliding window); every answer in the block is a 429
   * with Retry-After, and carries the Ratelimit headers like any other answer.
   */
  function checkRateLimit(rateKey: string): { remaining: number; resetSeconds: number } {
    const now = Date.now()
    const until = blockedUntil.get(rateKey)
    if (until !== undefined && until <= now) {
      blockedUntil.delete(rateKey)
      hits.delete(rateKey)
    }
    const times = (hits.get(rateKey) ?? []).filter((t) => t > now - rate.windowMs)
    hits.set(rateKey, times)
    if (blockedUntil.has(rateKey) || times.length >= rate.limit) {
      const end = blockedUntil.get(rateKey) ?? now + rate.windowMs
      blockedUntil.set(rateKey, end)
      const left = Math.max(1, Math.ceil((end - now) / 1000))
      throw new ApiError(
        429,
        [{ code: 971, message: 'Please wait and consider throttling your request speed' }],
        {
          ...rateHeaders({ remaining: 0, resetSeconds: left }),
          'retry-after': String(options.retryAfterSeconds ?? left)
        }
      )
    }
    times.push(now)
    const oldest = times[0] ?? now
    return {
      remaining: rate.limit - times.length,
      resetSeconds: Math.max(0, Math.ceil((oldest + rate.windowMs - now) / 1000))
    }
  }

  function serve(
    req: IncomingMessage,
    match: RouteMatch | undefined,
    path: string,
    query: Record<string, string>,
    body: unknown,
    bodyError: boolean
  ): Reply {
    if (!match) throw noRoute(path)
    const { route, params } = match
    const accountId = params['account_id']
    if (route.handler === 'verify-user-token' || route.handler === 'verify-account-token') {
      const accountScoped = route.handler === 'verify-account-token'
      if (accountScoped) checkAccount(accountId, path)
      const reply = verifyToken(state, req.headers, accountScoped)
      // Verification counts against the token's limit like any other call.
      const { result } = reply.body as { result: { id: string } }
      return { ...reply, headers: rateHeaders(checkRateLimit(`token:${result.id}`)) }
    }
    const credential = authenticate(req.headers, state)
    const headers = rateHeaders(checkRateLimit(credential.rateKey))
    checkAccount(accountId, path)
    if (route.scope) requireScope(credential, route.scope)
    if (bodyError) {
      throw new ApiError(400, [{ code: 6007, message: 'Malformed JSON in request body' }], headers)
    }
    try {
      const reply = route.handler({
        state,
        params,
        query,
        body,
        path,
        credential,
        now: () => new Date()
      })
      return { ...reply, headers: { ...headers, ...reply.headers } }
    } catch (error) {
      if (error instanceof ApiError) {
        throw new ApiError(error.status, error.errors, { ...headers, ...error.headers })
      }
      throw error
    }
  }

  function rateHeaders(limit: { remaining: number; resetSeconds: number }): Record<string, string> {
    return {
      ratelimit: `"default";r=${limit.remaining};t=${limit.resetSeconds}`,
      'ratelimit-policy': `"default";q=${rate.limit};w=${Math.ceil(rate.windowMs / 1000)}`
    }
  }

  function checkAccount(accountId: string | undefined, path: string): void {
    if (accountId === undefined) return
    if (!/^[0-9a-f]{32}$/.test(accountId)) throw noRoute(path)
    if (accountId !== state.accountId) {
      throw new ApiError(403, [
        { code: 9109, message: 'Unauthorized to access requested resource' }
      ])
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const query: Record<string, string> = {}
    for (const [k, v] of url.searchParams) query[k] = v
    const raw = await readBody(req)
    let body: unknown
    let bodyError = false
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw)
      } catch {
        bodyError = true
      }
    }
    const entry: RequestLogEntry = {
      method,
      path,
      query,
      body,
      status: 0,
      response: undefined,
      auth: authScheme(req.headers)
    }
    requests.push(entry)

    let reply: Reply | undefined
    for (const fault of takeFaults(method, path)) {
      if (fault.kind === 'mutate') {
        try {
          fault.apply(state)
        } catch (error) {
          reply = {
            status: 500,
            body: failureBody([{ code: 10001, message: `Mutate fault threw: ${String(error)}` }])
          }
          break
        }
        continue
      }
      if (fault.kind === 'drop-connection') {
        await delay(options.latencyMs ?? 0)
        req.socket.destroy()
        return
      }
      if (fault.kind === 'status') {
        reply = {
          status: fault.status,
          body: failureBody([{ code: 10001, message: statusText(fault.status) }])
        }
      } else {
        reply = {
          status: 429,
          body: failureBody([
            { code: 971, message: 'Please wait and consider throttling your request speed' }
          ]),
          headers: { 'retry-after': String(fault.retryAfterSeconds) }
        }
      }
      break
    }
    if (!reply) {
      try {
        reply = serve(req, matchRoute(method, path), path, query, body, bodyError)
      } catch (error) {
        if (!(error instanceof ApiError)) {
          reply = {
            status: 500,
            body: failureBody([{ code: 10001, message: `Emulator bug: ${String(error)}` }])
          }
        } else {
          reply = { status: error.status, body: failureBody(error.errors), headers: error.headers }
        }
      }
    }
    // Serialized as it is served, so a write arriving during the latency cannot change an answer already given.
    const text = JSON.stringify(reply.body)
    await delay(options.latencyMs ?? 0)
    logResponse(entry, text)
    entry.status = reply.status
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...reply.headers
    })
    res.end(text)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify(failureBody([{ code: 10001, message: String(error) }])))
      }
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/client/v4`,
    state,
    requests,
    faults: {
      inject(fault: Fault) {
        faults.push({ fault, remaining: fault.times ?? 1 })
      },
      clear() {
        faults = []
      }
    },
    reset(newSeed?: AccountSeed) {
      if (newSeed) seed = newSeed
      const fresh = stateFromSeed(seed)
      // Keep the same objects so references handed out earlier (emulator.state, .requests) stay live.
      Object.assign(state, fresh)
      requests.length = 0
      faults = []
      hits.clear()
      blockedUntil.clear()
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy()
        server.close((error) => (error ? reject(error) : resolve()))
      })
    }
  }
}
