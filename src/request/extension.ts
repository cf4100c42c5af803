/**
 * Extensions: `/extend 4h` in a comment on a granted request issue asks for the grant's end to move later. Pure: the
 * command's reading and the new end; the mode checks who asked and opens the pull request.
 */
import type { Grant, RequestPolicy } from '../model/index.js'
import { describeDuration, DURATION_HINT, parseDuration } from './duration.js'

export const EXTEND_COMMAND = '/extend'

/** The comment's first line when it is an /extend command (its argument, maybe empty); undefined otherwise. */
export function readExtendCommand(comment: string): { duration: string } | undefined {
  const first = comment.replace(/\r\n?/g, '\n').trimStart().split('\n')[0]!.trim()
  const match = /^\/extend(?:\s+(.*))?$/i.exec(first)
  return match ? { duration: (match[1] ?? '').trim() } : undefined
}

export type ExtensionCheck =
  | { ok: true; durationMs: number; previousEnd: string; end: string }
  | { ok: false; problem: string }

/**
 * The grant's new end: its current end plus the duration, to the minute. Refused when the command has no readable
 * duration, the grant has ended (a new request is the way back), or the new end is further from now than the
 * policy's max_duration allows.
 */
export function checkExtension(input: {
  duration: string
  held: Grant
  policy: RequestPolicy
  target: string
  now: Date
}): ExtensionCheck {
  const { held, policy, now } = input
  const durationMs = parseDuration(input.duration)
  if (input.duration === '' || durationMs === undefined) {
    return {
      ok: false,
      problem: `Write the extension as "/extend" and a duration on the comment's first line, such as /extend 4h; ${DURATION_HINT}`
    }
  }
  const endMs = Date.parse(held.expires!)
  const previousEnd = toMinuteInstant(endMs)
  if (endMs <= now.getTime()) {
    return {
      ok: false,
      problem: `The grant ended at ${previousEnd}, so it cannot be extended; open a new request.`
    }
  }
  const end = Math.floor((endMs + durationMs) / 60_000) * 60_000
  if (end - now.getTime() > policy.maxDurationMs) {
    const room = Math.max(0, policy.maxDurationMs - (endMs - now.getTime()))
    return {
      ok: false,
      problem: `Extended by ${describeDuration(durationMs)}, the grant would end ${describeDuration(end - now.getTime())} from now, longer than ${input.target} allows (${policy.maxDuration}, ${describeDuration(policy.maxDurationMs)}); ${room >= 60_000 ? `extend by at most ${describeDuration(room)}` : 'it cannot be extended further now'}.`
    }
  }
  return {
    ok: true,
    durationMs,
    previousEnd,
    end: toMinuteInstant(end)
  }
}

/** As the request writes ends: `2026-12-02T14:00:00Z`, without milliseconds. */
function toMinuteInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}
