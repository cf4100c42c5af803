/**
 * Edits an access file's text without re-rendering it: the `yaml` package's document API finds the nodes and their
 * source ranges, and only those ranges change, so comments, key order, quoting and flow/padding style everywhere
 * else stay byte for byte as written. The pull request's diff shows only the grant.
 */
import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  stringify,
  type Node,
  type YAMLMap,
  type YAMLSeq
} from 'yaml'
import { emailKey } from '../config/values.js'

export interface GrantEdit {
  kind: 'group' | 'role'
  name: string
  email: string
  expires: string
  reason: string
}

interface Splice {
  from: number
  to: number
  text: string
}

function applySplices(text: string, splices: Splice[]): string {
  let result = text
  for (const splice of [...splices].sort((a, b) => b.from - a.from)) {
    result = result.slice(0, splice.from) + splice.text + result.slice(splice.to)
  }
  return result
}

function entryEmail(item: unknown): string | undefined {
  if (isScalar(item) && typeof item.value === 'string') return item.value
  if (isMap(item)) {
    const email = item.get('email')
    return typeof email === 'string' ? email : undefined
  }
  return undefined
}

/** A scalar as it reads in block context: quoted when plain text would mean something else. */
function scalarText(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd()
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1)
}

/** The end of the line on which the content before `offset` ends (a node's range can run into blank lines). */
function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', text.slice(0, offset).trimEnd().length)
  return end === -1 ? text.length : end
}

function entryLines(edit: GrantEdit, indent: string): string {
  return [
    `${indent}- email: ${scalarText(edit.email)}`,
    `${indent}  expires: ${scalarText(edit.expires)}`,
    `${indent}  reason: ${scalarText(edit.reason)}`
  ].join('\n')
}

function membersOf(text: string, kind: 'group' | 'role', name: string) {
  const doc = parseDocument(text, { keepSourceTokens: false })
  const section = kind === 'group' ? 'groups' : 'roles'
  const spec = doc.getIn([section, name], true)
  const members = isMap(spec) ? spec.get('members', true) : undefined
  if (!isMap(spec) || !isSeq(members)) {
    throw new Error(`The access file has no members list under ${section}.${name}.`)
  }
  return { spec, members: members as YAMLSeq }
}

/**
 * Adds the grant to the group's or role's members, or, when the person is already listed with an end date, sets
 * that entry's expires and reason. A permanent member is left alone (the policy check refuses that request).
 */
export function addGrantToAccessFile(text: string, edit: GrantEdit): string {
  const { spec, members } = membersOf(text, edit.kind, edit.name)
  const key = emailKey(edit.email)
  const existing = members.items.find((item) => {
    const email = entryEmail(item)
    return email !== undefined && emailKey(email) === key
  })
  if (isMap(existing)) return updateEntry(text, existing, edit)
  if (existing) return text
  const seqRange = members.range!
  if (!members.flow) {
    const indent = ' '.repeat(columnOf(text, seqRange[0]))
    const last = members.items.at(-1) as Node
    const at = lineEnd(text, last.range![1])
    return applySplices(text, [{ from: at, to: at, text: `\n${entryLines(edit, indent)}` }])
  }
  // A flow list (`members: []`, `[a@x.com]`) becomes a block list: one entry per line reads best in a diff.
  const specIndent = columnOf(text, (spec.items[0]!.key as Node).range![0])
  const indent = ' '.repeat(specIndent + 2)
  const kept = members.items.map(
    (item) => `${indent}- ${text.slice((item as Node).range![0], (item as Node).range![1])}`
  )
  // A comment after the list (`members: [] # why`) stays on the members: line.
  const end = lineEnd(text, seqRange[1])
  const rest = text.slice(seqRange[1], end).trimEnd()
  let from = seqRange[0]
  while (from > 0 && text[from - 1] === ' ') from -= 1
  return applySplices(text, [
    {
      from,
      to: end,
      text: `${rest}\n${[...kept, entryLines(edit, indent)].join('\n')}`
    }
  ])
}

function updateEntry(text: string, entry: YAMLMap, edit: GrantEdit): string {
  const splices: Splice[] = []
  const firstKey = entry.items[0]!.key as Node
  const indent = ' '.repeat(columnOf(text, firstKey.range![0]))
  const insertAt = lineEnd(text, (entry.items.at(-1)!.value as Node).range![1])
  const additions: string[] = []
  for (const [field, value] of [
    ['expires', edit.expires],
    ['reason', edit.reason]
  ] as const) {
    const node = entry.get(field, true)
    if (isScalar(node) && node.range) {
      splices.push({ from: node.range[0], to: node.range[1], text: scalarText(value) })
    } else {
      additions.push(`\n${indent}${field}: ${scalarText(value)}`)
    }
  }
  if (additions.length > 0) splices.push({ from: insertAt, to: insertAt, text: additions.join('') })
  return applySplices(text, splices)
}
