import type { Credential } from '../auth.js'
import type { EmulatorState } from '../state.js'

export interface RouteContext {
  state: EmulatorState
  /** Path parameters by name (account_id, group_id, member_id, role_id). */
  params: Record<string, string>
  query: Record<string, string>
  /** Parsed JSON body, or undefined when the request had none. */
  body: unknown
  /** Full request path without query, for error messages. */
  path: string
  credential: Credential
  now: () => Date
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
