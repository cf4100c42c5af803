import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml'
import type { AccessGroup, AccessRule, AccountSnapshot } from '../model/index.js'
import { SCHEMA_URL } from './json-schema.js'
import { ACCOUNT_ID, compareText, emailKey, isEmailAddress } from './values.js'

export interface RenderAccessFileOptions {
  /** Written as account_id; defaults to the snapshot's account. */
  accountId?: string
}

/** Comment text is one line per entry; a newline inside a Cloudflare value must not end the comment. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ')
}

function comment(lines: string[]): string {
  return lines.map((line) => ` ${oneLine(line)}`).join('\n')
}

function describeRule(rule: AccessRule): string {
  return Object.entries(rule)
    .map(([kind, value]) => {
      if (value === null || typeof value !== 'object') return `${kind} ${String(value)}`
      const fields = Object.entries(value as Record<string, unknown>)
      if (fields.length === 0) return kind
      if (fields.length === 1)
        return `${kind} ${typeof fields[0]![1] === 'string' ? fields[0]![1] : JSON.stringify(fields[0]![1])}`
      return `${kind} ${fields.map(([key, field]) => `${key}=${typeof field === 'string' ? field : JSON.stringify(field)}`).join(' ')}`
    })
    .join(' ')
}

function emailOf(rule: AccessRule): string | undefined {
  const keys = Object.keys(rule)
  if (keys.length !== 1 || keys[0] !== 'email') return undefined
  const value = rule.email
  if (value === null || typeof value !== 'object') return undefined
  const email = (value as Record<string, unknown>).email
  return typeof email === 'string' ? email : undefined
}

interface Entry {
  email: string
  note?: string
}

function membersNode(entries: Entry[]): YAMLSeq {
  const seq = new YAMLSeq()
  if (entries.length === 0) seq.flow = true
  for (const entry of entries.sort(
    (a, b) => compareText(emailKey(a.email), emailKey(b.email)) || compareText(a.email, b.email)
  )) {
    const item = new Scalar(entry.email.trim())
    if (entry.note) item.commentBefore = comment([entry.note])
    seq.items.push(item)
  }
  return seq
}

function emptyOwners(): YAMLSeq {
  const seq = new YAMLSeq()
  seq.flow = true
  return seq
}

/** One group's entry: its email rules become members; every other rule is shown as a comment and left alone. */
function groupPair(group: AccessGroup, sameName: AccessGroup[]): Pair<Scalar, YAMLMap> {
  const notes: string[] = []
  const entries: Entry[] = []
  const seen = new Map<string, string>()
  const unmanaged: string[] = []
  for (const rule of group.include) {
    const email = emailOf(rule)
    if (email === undefined) {
      unmanaged.push(`include ${describeRule(rule)}`)
    } else if (!isEmailAddress(email.trim())) {
      unmanaged.push(`include email ${email} (not an address this file accepts)`)
    } else if (seen.has(emailKey(email))) {
      unmanaged.push(`include email ${email} (same person as ${seen.get(emailKey(email))})`)
    } else {
      seen.set(emailKey(email), email.trim())
      entries.push({ email })
    }
  }
  for (const rule of group.exclude) unmanaged.push(`exclude ${describeRule(rule)}`)
  for (const rule of group.require) unmanaged.push(`require ${describeRule(rule)}`)
  if (unmanaged.length > 0) notes.push(`not managed here: ${unmanaged.join('; ')}`)
  for (const other of sameName) {
    notes.push(
      `another Access group is also named ${JSON.stringify(group.name)} (id ${other.id}); a file manages one group per name, so it is left out`
    )
  }
  const spec = new YAMLMap()
  if (sameName.length > 0) spec.add(new Pair(new Scalar('id'), new Scalar(group.id)))
  spec.add(new Pair(new Scalar('owners'), emptyOwners()))
  spec.add(new Pair(new Scalar('members'), membersNode(entries)))
  const key = new Scalar(group.name)
  if (notes.length > 0) key.commentBefore = comment(notes)
  return new Pair(key, spec)
}

function emailRuleCount(group: AccessGroup): number {
  return group.include.filter((rule) => emailOf(rule) !== undefined).length
}

function groupsNode(groups: readonly AccessGroup[]): YAMLMap | undefined {
  const byName = new Map<string, AccessGroup[]>()
  for (const group of groups) byName.set(group.name, [...(byName.get(group.name) ?? []), group])
  const names = [...byName.keys()].sort(compareText)
  if (names.length === 0) return undefined
  const map = new YAMLMap()
  for (const name of names) {
    // Several groups with one name: the file can key only one of them, pinned by id. The one with the most email
    // rules is the likeliest to be managed by membership; the lowest id breaks ties so the output stays stable.
    const [first, ...others] = byName
      .get(name)!
      .sort((a, b) => emailRuleCount(b) - emailRuleCount(a) || compareText(a.id, b.id))
    map.add(groupPair(first!, others))
  }
  return map
}

function rolesNode(snapshot: AccountSnapshot): YAMLMap | undefined {
  const roleNames = new Map(snapshot.roles.map((role) => [role.id, role.name]))
  const holders = new Map<string, Map<string, Entry>>()
  for (const member of snapshot.members) {
    if (member.usesPolicies || !isEmailAddress(member.email.trim())) continue
    for (const role of member.roles) {
      const name = roleNames.get(role.id) ?? role.name
      const entries = holders.get(name) ?? new Map<string, Entry>()
      const entry: Entry = { email: member.email }
      if (member.status !== 'accepted') entry.note = `${member.status} invitation`
      if (!entries.has(emailKey(member.email))) entries.set(emailKey(member.email), entry)
      holders.set(name, entries)
    }
  }
  if (holders.size === 0) return undefined
  const map = new YAMLMap()
  for (const name of [...holders.keys()].sort(compareText)) {
    const spec = new YAMLMap()
    spec.add(new Pair(new Scalar('owners'), emptyOwners()))
    spec.add(new Pair(new Scalar('members'), membersNode([...holders.get(name)!.values()])))
    map.add(new Pair(new Scalar(name), spec))
  }
  return map
}

/**
 * Writes a version 1 access file that says what the account holds today, as the starting point for managing it in git.
 * Everything the file cannot express (non-email rules, policy-managed members) is written as comments so reviewers
 * see it. The output parses without errors and is the same for the same snapshot.
 */
export function renderAccessFile(
  snapshot: AccountSnapshot,
  options: RenderAccessFileOptions = {}
): string {
  const accountId = options.accountId ?? snapshot.accountId
  const header = [
    `yaml-language-server: $schema=${SCHEMA_URL}`,
    `Exported from Cloudflare account ${accountId}. Fill in owners: the GitHub users or @org/teams who approve changes.`
  ]
  const policyMembers = snapshot.members
    .filter((member) => member.usesPolicies)
    .map((member) => member.email.trim())
    .sort(compareText)
  if (policyMembers.length > 0) {
    header.push(
      `Members whose access comes from permission policies are not listed and never changed here: ${policyMembers.join(', ')}`
    )
  }
  const doc = new Document(new YAMLMap())
  doc.commentBefore = comment(header)
  const root = doc.contents as YAMLMap
  root.add(new Pair(new Scalar('version'), new Scalar(1)))
  if (ACCOUNT_ID.test(accountId))
    root.add(new Pair(new Scalar('account_id'), new Scalar(accountId)))
  const groups = groupsNode(snapshot.groups)
  if (groups) root.add(new Pair(new Scalar('groups'), groups))
  const roles = rolesNode(snapshot)
  if (roles) root.add(new Pair(new Scalar('roles'), roles))
  return doc.toString({ lineWidth: 0 })
}
