/**
 * Review revocations: the grants an access review revokes, and the access files without them. The edit is made on the
 * text, one sequence item at a time, so comments and layout stay; the result is parsed again and must equal the old
 * desired state minus exactly those grants, or nothing is proposed.
 */
import { isSeq, parseDocument } from 'yaml'
import { findNode } from '../config/locate.js'
import { parseAccessFiles } from '../config/index.js'
import type { DesiredState, Target } from '../model/index.js'
import type { AccessReview } from './access-review.js'
import type { DecisionRecord } from './decisions.js'

export interface Revocation {
  key: string
  email: string
  target: Target
  /** The owner's decision, or undefined when the grant is revoked because nobody decided it by the due date. */
  decision?: DecisionRecord
}

export interface RevocationSet {
  /** Grants the access file holds: the revocations pull request removes them. */
  inFile: Revocation[]
  /** Revoked grants the file does not hold (drift): the next apply of an authoritative group removes them anyway. */
  notInFile: Revocation[]
}

/** What the review revokes: every revoke decision, and every undecided grant once `revokeUndecided` holds. */
export function reviewRevocations(
  review: AccessReview,
  decisions: ReadonlyMap<string, DecisionRecord>,
  revokeUndecided: boolean
): RevocationSet {
  const set: RevocationSet = { inFile: [], notInFile: [] }
  for (const section of review.inventory) {
    for (const item of section.items) {
      const decision = decisions.get(item.key)
      if (decision?.decision === 'keep') continue
      if (!decision && !revokeUndecided) continue
      const revocation: Revocation = { key: item.key, email: item.email, target: section.target }
      if (decision) revocation.decision = decision
      ;(item.inFile ? set.inFile : set.notInFile).push(revocation)
    }
  }
  return set
}

export type FileEdit =
  | { ok: true; files: { path: string; text: string }[] }
  | { ok: false; reason: string }

/**
 * The access files with the revoked grants removed; only files that change are returned. Refuses (ok: false) when
 * a grant cannot be found where the file defines it or the edited files would mean anything else.
 */
export function removeGrants(
  files: readonly { path: string; text: string }[],
  desired: DesiredState,
  revocations: readonly Revocation[]
): FileEdit {
  // Per file, the edits: [start, end) replaced by text, made from the end so earlier offsets stay valid.
  const cuts = new Map<string, { start: number; end: number; text: string }[]>()
  const emptied = new Map<string, number>()
  const removed = new Set<string>()
  for (const revocation of revocations) {
    const section = revocation.target.kind === 'group' ? 'groups' : 'roles'
    const spec =
      revocation.target.kind === 'group'
        ? (desired.groups.find(
            (group) => group.id !== undefined && group.id === revocation.target.id
          ) ?? desired.groups.find((group) => group.name === revocation.target.name))
        : desired.roles.find((role) => role.name === revocation.target.name)
    const email = revocation.email.trim().toLowerCase()
    const index = spec?.members.findIndex((grant) => grant.key === email) ?? -1
    if (!spec || index < 0) {
      return {
        ok: false,
        reason: `${revocation.email} is not in the access file's ${revocation.target.name}.`
      }
    }
    const file = files.find((candidate) => candidate.path === spec.source.file)
    if (!file) return { ok: false, reason: `${spec.source.file} was not read.` }
    const doc = parseDocument(file.text, { uniqueKeys: true })
    const members = findNode(doc, [section, spec.name, 'members'])
    if (members.depth !== 3 || !isSeq(members.node) || members.node.flow) {
      return {
        ok: false,
        reason: `the members of ${spec.name} in ${file.path} are not a block list (one "- " per line); remove ${revocation.email} by hand.`
      }
    }
    const item = members.node.items[index] as { range?: [number, number, number] } | undefined
    if (!item?.range)
      return { ok: false, reason: `${revocation.email} was not found in ${file.path}.` }
    const start = file.text.lastIndexOf('\n', item.range[0] - 1) + 1
    const lineEnd = file.text.indexOf('\n', Math.max(item.range[1] - 1, item.range[0]))
    const end = lineEnd < 0 ? file.text.length : lineEnd + 1
    const edits = [...(cuts.get(file.path) ?? []), { start, end, text: '' }]
    // The last member revoked: the list must still say nobody (`members: []`), or the file would not parse.
    const seqId = `${file.path}\u0000${section}\u0000${spec.name}`
    const left = (emptied.get(seqId) ?? members.node.items.length) - 1
    emptied.set(seqId, left)
    const keyEnd = members.key?.range?.[1]
    if (left === 0 && keyEnd !== undefined) {
      const colon = file.text.indexOf(':', keyEnd)
      edits.push({ start: colon + 1, end: colon + 1, text: ' []' })
    }
    cuts.set(file.path, edits)
    removed.add(`${section}\u0000${spec.name}\u0000${email}`)
  }

  const edited = files.map((file) => {
    const ranges = (cuts.get(file.path) ?? []).sort((a, b) => b.start - a.start)
    let text = file.text
    for (const range of ranges) {
      text = text.slice(0, range.start) + range.text + text.slice(range.end)
    }
    return { path: file.path, text }
  })
  const check = parseAccessFiles(edited)
  if (!check.ok) {
    return {
      ok: false,
      reason: `the edited file would not parse: ${check.errors[0]?.message ?? ''}`
    }
  }
  const expected = withoutSources(desired, (section, name, key) =>
    removed.has(`${section}\u0000${name}\u0000${key}`)
  )
  if (JSON.stringify(withoutSources(check.desired, () => false)) !== JSON.stringify(expected)) {
    return { ok: false, reason: 'the edited file would change more than the revoked grants.' }
  }
  return { ok: true, files: edited.filter((file, index) => file.text !== files[index]!.text) }
}

/** The desired state without source locations (they move when lines are cut), minus the grants `drop` names. */
function withoutSources(
  desired: DesiredState,
  drop: (section: 'groups' | 'roles', name: string, key: string) => boolean
): unknown {
  const strip =
    (section: 'groups' | 'roles') =>
    (spec: DesiredState['groups'][number] | DesiredState['roles'][number]) => ({
      ...spec,
      source: undefined,
      members: spec.members
        .filter((grant) => !drop(section, spec.name, grant.key))
        .map((grant) => ({ ...grant, source: undefined }))
    })
  return {
    ...desired,
    groups: desired.groups.map(strip('groups')),
    roles: desired.roles.map(strip('roles'))
  }
}
