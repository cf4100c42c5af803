/**
 * The event payload file, checked before anything reads it. @actions/github parses GITHUB_EVENT_PATH while it is
 * being loaded and throws a bare SyntaxError (quoting the file) on one that is not JSON, before run() could set a
 * single output. main.ts imports this module first: an unreadable file is described here and hidden from
 * @actions/github, and run() fails with the description, setting every output as always.
 */
import { readFileSync } from 'node:fs'
import type { EventInfo } from '../github/index.js'

/** What is wrong with the event file, without quoting it; undefined when it is a JSON object (or absent). */
export function describeEventFile(path: string | undefined): string | undefined {
  if (!path) return undefined
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    // @actions/github says so itself and goes on with an empty payload.
    return undefined
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return `The event payload (GITHUB_EVENT_PATH, ${Buffer.byteLength(text)} bytes) is not valid JSON, so the event cannot be read and nothing was done. GitHub writes this file for every run: check that no earlier step overwrote it.`
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `The event payload (GITHUB_EVENT_PATH) is JSON but not an object, so the event cannot be read and nothing was done. GitHub writes this file for every run: check that no earlier step overwrote it.`
  }
  return undefined
}

/**
 * Fields GitHub always sends for the events the modes act on; a payload without them is not from GitHub (or was
 * cut), and acting on a guess could comment on the wrong pull request or apply the wrong commit.
 */
export function missingEventFields(event: EventInfo): string | undefined {
  const missing: string[] = []
  switch (event.kind) {
    case 'pull_request':
    case 'pull_request_target':
      if (event.pullNumber === undefined) missing.push('pull_request.number')
      if (!event.headSha) missing.push('pull_request.head.sha')
      if (!event.baseSha) missing.push('pull_request.base.sha')
      break
    case 'push':
      if (!event.ref) missing.push('ref')
      if (!event.sha) missing.push('after')
      break
    case 'issues':
      if (!event.issue) missing.push('issue.number')
      break
    default:
      break
  }
  if (missing.length === 0) return undefined
  return `The ${event.name} event payload has no ${missing.join(', ')}, which GitHub always sends; nothing was done. Check that no earlier step overwrote GITHUB_EVENT_PATH.`
}

/** Checked once, when main.ts loads, before @actions/github does. */
export const eventFileProblem = describeEventFile(process.env.GITHUB_EVENT_PATH)
if (eventFileProblem) delete process.env.GITHUB_EVENT_PATH
