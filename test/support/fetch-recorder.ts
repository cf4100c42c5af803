/**
 * Records what the client hands to `fetch`, as emulator-style log entries, so tests that answer with nock can still
 * check every request the client sends against the OpenAPI subset. nock replies are hand-written fixtures, so only
 * the requests are checked, never the responses.
 */
import { afterEach, beforeEach } from 'vitest'
import type { RequestLogEntry } from '../../src/emulator/index.js'
import { checkRequestAgainstContract } from './openapi-contract.js'

export interface FetchRecorder {
  entries: RequestLogEntry[]
  /** Throws listing every request that breaks the contract. */
  assertRequestsMatchContract(): void
  restore(): void
}

export function recordFetchRequests(): FetchRecorder {
  const original = globalThis.fetch
  const entries: RequestLogEntry[] = []
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    const text = typeof init?.body === 'string' ? init.body : undefined
    const entry: RequestLogEntry = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text === undefined ? undefined : JSON.parse(text),
      status: 0,
      response: undefined,
      auth: 'none'
    }
    entries.push(entry)
    const response = await original(input, init)
    entry.status = response.status
    return response
  }
  return {
    entries,
    assertRequestsMatchContract() {
      const problems = entries.flatMap((entry) =>
        checkRequestAgainstContract(entry).map(
          (violation) => `${entry.method} ${entry.path}: ${JSON.stringify(violation)}`
        )
      )
      if (problems.length > 0) {
        throw new Error(`Requests outside the OpenAPI subset:\n  - ${problems.join('\n  - ')}`)
      }
    },
    restore() {
      globalThis.fetch = original
    }
  }
}

/** Registers hooks so every request each test of the calling file makes is checked against the contract. */
export function checkEveryRequestAgainstContract(): void {
  let recorder: FetchRecorder
  beforeEach(() => {
    recorder = recordFetchRequests()
  })
  afterEach(() => {
    recorder.restore()
    recorder.assertRequestsMatchContract()
  })
}
