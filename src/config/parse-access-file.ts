import { closest, distance } from 'fastest-levenshtein'
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml'
import type { z } from 'zod'
import type { ConfigError } from '../model/index.js'
import { formatPath, Locator, type PathSegment } from './locate.js'
import { accessFileSchema, allowedKeys, describeValue, type AccessFile } from './schema.js'
import { mergeAccessFiles, type ParseResult } from './merge-access-files.js'
import { emailKey, isEmailAddress } from './values.js'

/** Larger files are refused before parsing: no access file needs this much, and YAML parsing is not free. */
export const MAX_FILE_BYTES = 1024 * 1024
/** YAML aliases beyond this count are refused: alias chains can expand a small file exponentially. */
export const MAX_ALIAS_COUNT = 100

export interface AccessFileSource {
  path: string
  text: string
}

/** One file after parsing and validation, kept for merging and for locating entries. */
export interface ParsedAccessFile {
  path: string
  locator?: Locator
  /** The plain data, when the YAML itself could be read and its top level is a mapping. */
  raw?: Record<string, unknown>
  /** The validated file, when it has no errors of its own. */
  data?: AccessFile
  errors: ConfigError[]
}

const MISSING_KEY_HINTS: Record<string, string> = {
  version: 'add `version: 1` at the top of the file.',
  members: 'write `members: []` to mean nobody.',
  email: 'write the address as `email: name@example.com`.'
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  )
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let value = root
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment]
    else if (isRecord(value)) value = value[String(segment)]
    else return undefined
  }
  return value
}

function allowedKeysAt(path: readonly PathSegment[]): string[] {
  const [section, , field] = path
  if (path.length === 0) return allowedKeys.top
  if (path.length === 1 && section === 'settings') return allowedKeys.settings
  if (path.length === 2 && section === 'settings' && path[1] === 'review') return allowedKeys.review
  if (path.length === 2 && section === 'groups') return allowedKeys.group
  if (path.length === 2 && section === 'roles') return allowedKeys.role
  if (path.length === 4 && field === 'members') return allowedKeys.member
  if (path.length === 3 && field === 'requests') return allowedKeys.requests
  return []
}

function didYouMean(key: string, allowed: string[]): string {
  if (allowed.length === 0) return ''
  const lower = key.toLowerCase()
  const exact = allowed.find((name) => name.toLowerCase() === lower)
  if (exact) return ` Did you mean "${exact}"?`
  const nearest = closest(lower, allowed)
  return distance(lower, nearest) <= Math.max(1, Math.floor(nearest.length / 3))
    ? ` Did you mean "${nearest}"?`
    : ''
}

function withPath(path: readonly PathSegment[], sentence: string): string {
  if (path.length === 0) return sentence.charAt(0).toUpperCase() + sentence.slice(1)
  return `${formatPath(path)}: ${sentence}`
}

function issueErrors(
  issue: z.core.$ZodIssue,
  raw: Record<string, unknown>,
  at: Locator
): ConfigError[] {
  const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol')
  if (issue.code === 'invalid_union') {
    // An e-mail or a mapping: when only one shape fits the value's type, its own problems say more than "either ... or".
    const fitting = issue.errors.filter(
      (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0)
    )
    if (fitting.length === 1) {
      return fitting[0]!.flatMap((inner) =>
        issueErrors({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue, raw, at)
      )
    }
  }
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(path)
    const where = path.length === 0 ? ' at the top level' : ''
    return issue.keys.map((key) =>
      at.key(
        [...path, key],
        withPath(
          path,
          `unknown key "${key}"${where}. Allowed keys: ${allowed.join(', ')}.${didYouMean(key, allowed)}`
        )
      )
    )
  }
  const parentValue = valueAt(raw, path.slice(0, -1))
  if (
    path.length > 0 &&
    isRecord(parentValue) &&
    !Object.prototype.hasOwnProperty.call(parentValue, String(path[path.length - 1]))
  ) {
    const parent = path.slice(0, -1)
    const key = String(path[path.length - 1])
    const hint = MISSING_KEY_HINTS[key]
    return [
      at.missing(parent, withPath(parent, `the key "${key}" is missing${hint ? `; ${hint}` : '.'}`))
    ]
  }
  return [at.value(path, withPath(path, issue.message))]
}

function memberEmail(entry: unknown): string | undefined {
  const email = isRecord(entry) ? entry.email : entry
  return typeof email === 'string' && isEmailAddress(email.trim()) ? email.trim() : undefined
}

/** The same person twice in one members list (case-insensitive), which would make the file mean two things. */
function duplicateMemberErrors(raw: Record<string, unknown>, at: Locator): ConfigError[] {
  const errors: ConfigError[] = []
  for (const section of ['groups', 'roles'] as const) {
    const specs = raw[section]
    if (!isRecord(specs)) continue
    for (const [name, spec] of Object.entries(specs)) {
      if (!isRecord(spec) || !Array.isArray(spec.members)) continue
      const list: unknown[] = spec.members
      const seen = new Map<string, number>()
      list.forEach((entry, index) => {
        const email = memberEmail(entry)
        if (email === undefined) return
        const first = seen.get(emailKey(email))
        if (first === undefined) {
          seen.set(emailKey(email), index)
          return
        }
        const path = [section, name, 'members', index]
        const firstError = at.value([section, name, 'members', first], '')
        errors.push(
          at.value(
            path,
            `${formatPath(path)}: ${JSON.stringify(email)} is already listed at line ${firstError.line} (members[${first}]: ${JSON.stringify(memberEmail(list[first]))}); list each person once.`
          )
        )
      })
    }
  }
  return errors
}

function emptyNameErrors(raw: Record<string, unknown>, at: Locator): ConfigError[] {
  const errors: ConfigError[] = []
  for (const section of ['groups', 'roles'] as const) {
    const specs = raw[section]
    if (!isRecord(specs)) continue
    for (const name of Object.keys(specs)) {
      if (name.trim() !== '') continue
      const kind = section === 'groups' ? 'an Access group' : 'an account role'
      errors.push(
        at.key(
          [section, name],
          `${section}: an entry has no name; write the name of ${kind} exactly as in Cloudflare.`
        )
      )
    }
  }
  return errors
}

/**
 * Names are text: a group called `Null`, `true` or `2024` must not become null, a boolean or a number (and the key
 * `Null` must not turn into an empty name). Plain keys keep the text they were written as.
 */
function keepKeysAsWritten(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key
      if (isScalar(key) && typeof key.value !== 'string') {
        key.value = typeof key.source === 'string' ? key.source : String(key.value)
      }
    }
  })
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0]
      return visit.BREAK
    }
  })
  return offset
}

/** A key quoted back in a message: short, one line, so that a file that is not an access file is never echoed. */
function quoteKey(key: string): string {
  const line = key.split('\n', 1)[0]!
  return line.length <= 40 ? JSON.stringify(line) : `of ${line.length} characters on this line`
}

/**
 * The parser's own messages can quote the source (`Unexpected flow-map-end token in YAML stream: "}"`); everything
 * after the first colon is dropped, so the message names the line (in the error's position) and the kind of token.
 */
function yamlErrorMessage(
  error: { code: string; message: string },
  text: string,
  pos: number
): string {
  if (error.code === 'MULTIPLE_DOCS') {
    return 'The file holds more than one YAML document (a second one starts at this `---`); an access file holds one. Put the second document in its own file.'
  }
  if (error.code === 'DUPLICATE_KEY') {
    const key = text.slice(pos).split(/[:\n]/, 1)[0]!.trim()
    return `YAML error: the key ${quoteKey(key)} appears twice in the same mapping; write each key once (merge the two entries).`
  }
  const kind = error.message.split(/:\s|\n/, 1)[0]!.replace(/\.$/, '')
  return `YAML error: ${kind}.`
}

/** What the file holds instead of a mapping, described, never quoted: it may be a file that was never meant to be read. */
function describeTopLevel(raw: unknown, text: string): string {
  if (typeof raw !== 'string') return describeValue(raw)
  const lines = text.replace(/\n$/, '').split('\n').length
  return `plain text (${Buffer.byteLength(text, 'utf8')} bytes on ${lines} line${lines === 1 ? '' : 's'})`
}

/** Parses and validates one access file on its own; cross-file checks happen when merging. */
export function parseAccessFile(file: AccessFileSource): ParsedAccessFile {
  const bytes = Buffer.byteLength(file.text, 'utf8')
  if (bytes > MAX_FILE_BYTES) {
    return {
      path: file.path,
      errors: [
        {
          file: file.path,
          line: 1,
          column: 1,
          message: `The file is ${bytes} bytes; access files are limited to 1 MiB (${MAX_FILE_BYTES} bytes). Split it into several files matched by the config input's glob.`
        }
      ]
    }
  }
  const lines = new LineCounter()
  const doc = parseDocument(file.text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true
  })
  const at = new Locator(file.path, doc, lines)
  if (doc.errors.length > 0) {
    return {
      path: file.path,
      locator: at,
      errors: doc.errors.map((error) =>
        at.error(error.pos[0], yamlErrorMessage(error, file.text, error.pos[0]))
      )
    }
  }
  if (doc.contents === null) {
    return {
      path: file.path,
      locator: at,
      errors: [
        at.error(
          0,
          'The file is empty; an access file needs at least `version: 1` and a groups: or roles: section.'
        )
      ]
    }
  }
  keepKeysAsWritten(doc)
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error
    return {
      path: file.path,
      locator: at,
      errors: [
        at.error(
          firstAliasOffset(doc) ?? 0,
          `The file's YAML aliases (*name) expand to too many copies (more than ${MAX_ALIAS_COUNT}), as in a resource-exhaustion attack; write the entries out instead of repeating aliases.`
        )
      ]
    }
  }
  if (!isRecord(raw)) {
    return {
      path: file.path,
      locator: at,
      errors: [
        at.error(
          at.documentStart(),
          `The top level of an access file must be a mapping with keys such as version: and groups:, but it is ${describeTopLevel(raw, file.text)}.`
        )
      ]
    }
  }
  const result = accessFileSchema.safeParse(raw)
  const errors = [
    ...(result.success ? [] : result.error.issues.flatMap((issue) => issueErrors(issue, raw, at))),
    ...duplicateMemberErrors(raw, at),
    ...emptyNameErrors(raw, at)
  ]
  return {
    path: file.path,
    locator: at,
    raw,
    data: result.success && errors.length === 0 ? result.data : undefined,
    errors
  }
}

/**
 * Files parsed earlier in a run, by path, with the text each was parsed from. Passed to both parses of a pull
 * request's plan, a file the base branch holds as the pull request does is parsed once (most pull requests change
 * one file of several). A parsed file is never changed afterwards, so sharing it is safe.
 */
export type ParsedFiles = Map<string, { text: string; parsed: ParsedAccessFile }>

function parseOnce(file: AccessFileSource, earlier: ParsedFiles | undefined): ParsedAccessFile {
  const known = earlier?.get(file.path)
  if (known && known.text === file.text) return known.parsed
  const parsed = parseAccessFile(file)
  earlier?.set(file.path, { text: file.text, parsed })
  return parsed
}

/**
 * Parses, validates and merges access files into the desired state. Reports every problem in every file at once,
 * sorted by file, line and column, so one run shows everything to fix.
 */
export function parseAccessFiles(
  files: readonly AccessFileSource[],
  earlier?: ParsedFiles
): ParseResult {
  return mergeAccessFiles(files.map((file) => parseOnce(file, earlier)))
}

/**
 * parseAccessFiles, one file per turn of the event loop: requests in flight meanwhile (the Cloudflare reads) are
 * sent and answered between files instead of waiting for the whole parse. Same result.
 */
export async function parseAccessFilesInTurns(
  files: readonly AccessFileSource[],
  earlier?: ParsedFiles
): Promise<ParseResult> {
  const parsed: ParsedAccessFile[] = []
  for (const file of files) {
    await new Promise((next) => setImmediate(next))
    parsed.push(parseOnce(file, earlier))
  }
  return mergeAccessFiles(parsed)
}
