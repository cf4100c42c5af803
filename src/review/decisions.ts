/**
 * Keep and revoke decisions in the access-review issue. The boxes in the issue body are only the way owners say what
 * they decide: anyone who can edit the issue can tick any box. A decision exists once a run has attributed a tick to
 * the edit's sender, checked that the sender owns that group or role and that the grant is not their own, and written
 * it in a decision record: a comment of ours that nobody edited since. The body is re-rendered from those records, so
 * a tick that did not count is undone there.
 */
import * as z from 'zod'
import type { InventoryItem, InventorySection } from './access-review.js'

export type Decision = 'keep' | 'revoke'
export const DECISIONS: readonly Decision[] = ['keep', 'revoke']

/** One tick that counted: who decided what about which grant, and when. */
export interface DecisionRecord {
  /** The grant's certification key (certificationKey). */
  key: string
  decision: Decision
  /** GitHub login of the owner who decided. */
  by: string
  /** RFC 3339. */
  at: string
}

/** A tick that did not count, and why: the body undoes it and says so. */
export interface RefusedTick {
  key: string
  decision: Decision
  by: string
  at: string
  reason: string
}

/** A box newly ticked by an edit. */
export interface Tick {
  key: string
  decision: Decision
}

const BOX_PATTERN =
  /^[ \t]*[-*+][ \t]+\[([ xX])\][^\n]*?<!-- (keep|revoke) (cert:[A-Za-z0-9@._%:-]+) -->[ \t]*\r?$/gm

/** The hidden comment on a decision box. */
export function decisionBoxComment(decision: Decision, key: string): string {
  return `<!-- ${decision} ${key} -->`
}

/**
 * Which boxes are ticked, by `${decision} ${key}`. A box that appears more than once counts as ticked only when every
 * occurrence is ticked: a pasted duplicate line cannot decide on its own.
 */
export function parseDecisionBoxes(body: string): Map<string, boolean> {
  const boxes = new Map<string, boolean>()
  for (const match of body.matchAll(BOX_PATTERN)) {
    const id = `${match[2]} ${match[3]}`
    const checked = match[1] !== ' '
    boxes.set(id, boxes.has(id) ? boxes.get(id)! && checked : checked)
  }
  return boxes
}

/**
 * The boxes an edit ticked. Unticking counts for nothing: a decision changes when the other box is ticked. That way
 * an owner who saves a page loaded before someone else's decision cannot clear it by accident.
 */
export function newTicks(before: string, after: string): Tick[] {
  const old = parseDecisionBoxes(before)
  const ticks: Tick[] = []
  for (const [id, checked] of parseDecisionBoxes(after)) {
    if (!checked || old.get(id) === true) continue
    const [decision, key] = id.split(' ') as [Decision, string]
    ticks.push({ key, decision })
  }
  return ticks
}

/** Ticked boxes in `body` that the decisions do not explain: ticks no run attributed to anyone. */
export function unexplainedTicks(
  body: string,
  decisions: ReadonlyMap<string, DecisionRecord>,
  explained: readonly Tick[] = []
): Tick[] {
  const seen = new Set(explained.map((tick) => `${tick.decision} ${tick.key}`))
  const ticks: Tick[] = []
  for (const [id, checked] of parseDecisionBoxes(body)) {
    if (!checked || seen.has(id)) continue
    const [decision, key] = id.split(' ') as [Decision, string]
    if (decisions.get(key)?.decision !== decision) ticks.push({ key, decision })
  }
  return ticks
}

/** Answers whether `login` belongs to `team` (`@org/team`); 'unknown' when the token cannot read it. */
export type TeamMembership = (team: string, login: string) => Promise<boolean | 'unknown'>

export interface AttributionInput {
  ticks: readonly Tick[]
  sections: readonly InventorySection[]
  /** Login of the edit's sender. */
  sender: string
  /**
   * The sender's e-mail addresses from the access file's people mapping, trimmed and lower-cased; undefined when the
   * mapping does not name the sender, so nobody can tell which grants are theirs.
   */
  senderEmails: ReadonlySet<string> | undefined
  /** When the edit was seen, RFC 3339. */
  at: string
  current: ReadonlyMap<string, DecisionRecord>
  teamMembership: TeamMembership
  /** Says how to let the token read team membership, for refusals that depend on it. */
  teamHint: string
}

export interface Attribution {
  accepted: DecisionRecord[]
  refused: RefusedTick[]
}

/** Decides which of an edit's ticks count. Pure apart from the team lookups, which come in as a callback. */
export async function attributeTicks(input: AttributionInput): Promise<Attribution> {
  const { sender, at } = input
  const grants = new Map<string, { item: InventoryItem; section: InventorySection }>()
  for (const section of input.sections) {
    for (const item of section.items) grants.set(item.key, { item, section })
  }
  const byKey = new Map<string, Decision[]>()
  for (const tick of input.ticks)
    byKey.set(tick.key, [...(byKey.get(tick.key) ?? []), tick.decision])

  const ownership = new Map<InventorySection, Promise<true | string>>()
  const ownerCheck = (section: InventorySection): Promise<true | string> => {
    let check = ownership.get(section)
    if (!check) {
      check = isOwner(section, sender, input.teamMembership, input.teamHint)
      ownership.set(section, check)
    }
    return check
  }

  const accepted: DecisionRecord[] = []
  const refused: RefusedTick[] = []
  for (const [key, decisions] of byKey) {
    const refuse = (decision: Decision, reason: string) =>
      refused.push({ key, decision, by: sender, at, reason })
    const grant = grants.get(key)
    if (!grant) {
      for (const decision of decisions) refuse(decision, 'this grant is no longer in the review.')
      continue
    }
    if (decisions.length > 1) {
      for (const decision of decisions) refuse(decision, 'keep and revoke were both ticked.')
      continue
    }
    const decision = decisions[0]!
    const owner = await ownerCheck(grant.section)
    if (owner !== true) {
      refuse(decision, owner)
      continue
    }
    if (input.senderEmails === undefined) {
      refuse(
        decision,
        `the access file's people mapping does not list ${sender}, so the review cannot tell which grants are theirs.`
      )
      continue
    }
    if (input.senderEmails.has(grant.item.email.trim().toLowerCase())) {
      refuse(decision, 'it is their own grant; another owner decides it.')
      continue
    }
    if (input.current.get(key)?.decision === decision) continue
    accepted.push({ key, decision, by: sender, at })
  }
  return { accepted, refused }
}

async function isOwner(
  section: InventorySection,
  login: string,
  teamMembership: TeamMembership,
  teamHint: string
): Promise<true | string> {
  const norm = (value: string) => value.trim().replace(/^@/, '').toLowerCase()
  const unreadable: string[] = []
  for (const owner of section.owners) {
    if (!owner.includes('/')) {
      if (norm(owner) === norm(login)) return true
      continue
    }
    const member = await teamMembership(owner, login)
    if (member === true) return true
    if (member === 'unknown') unreadable.push(owner)
  }
  const what = `${section.target.kind === 'group' ? 'Access group' : 'Account role'} ${section.target.name}`
  if (section.owners.length === 0)
    return `${what} lists no owners, so nobody can decide its grants.`
  if (unreadable.length > 0) {
    return `${login} is not an owner of ${what} that the Action can see: the membership of ${unreadable.join(', ')} could not be read (${teamHint}).`
  }
  return `${login} is not an owner of ${what}.`
}

// --- decision records ---------------------------------------------------------------------------------------------

export const DECISION_RECORD_PREFIX = '<!-- cloudflare-access-as-code:review-decisions:'
const PAYLOAD_PATTERN = /<!-- review-record (\{.*?\}) -->/s

const decisionSchema = z.enum(['keep', 'revoke'])
const recordPayloadSchema = z.object({
  decisions: z.array(
    z.object({ key: z.string(), decision: decisionSchema, by: z.string(), at: z.string() })
  ),
  refused: z.array(
    z.object({
      key: z.string(),
      decision: decisionSchema,
      by: z.string(),
      at: z.string(),
      reason: z.string()
    })
  )
})

export function decisionRecordMarker(periodKey: string): string {
  return `${DECISION_RECORD_PREFIX}${periodKey} -->`
}

/** The machine-readable part of a decision comment. `<` and `>` are escaped so it can never close its comment. */
export function decisionRecordPayload(attribution: Attribution): string {
  const json = JSON.stringify({ decisions: attribution.accepted, refused: attribution.refused })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
  return `<!-- review-record ${json} -->`
}

export interface RecordComment {
  id: number
  author: string
  body: string
  createdAt: string
  updatedAt: string
}

export interface DecisionLedger {
  /** Latest decision per grant key. */
  decisions: Map<string, DecisionRecord>
  /** Every record that counted, oldest first. */
  log: DecisionRecord[]
  refused: RefusedTick[]
  /** Comments that carry the record marker but were not written by us or were edited since: ignored. */
  ignored: number[]
}

/**
 * Folds this period's decision comments, oldest first, into the decisions they record. Only comments we wrote and
 * nobody edited count: anyone with write access can edit a comment, and an edited record proves nothing.
 */
export function readDecisionLedger(
  comments: readonly RecordComment[],
  self: (login: string) => boolean,
  periodKey: string
): DecisionLedger {
  const marker = decisionRecordMarker(periodKey)
  const ledger: DecisionLedger = { decisions: new Map(), log: [], refused: [], ignored: [] }
  const ordered = [...comments].sort((a, b) =>
    a.createdAt === b.createdAt ? a.id - b.id : a.createdAt < b.createdAt ? -1 : 1
  )
  for (const comment of ordered) {
    if (!comment.body.includes(marker)) continue
    const payload = PAYLOAD_PATTERN.exec(comment.body)?.[1]
    const parsed = payload === undefined ? undefined : safeParse(payload)
    if (!self(comment.author) || comment.updatedAt !== comment.createdAt || !parsed) {
      ledger.ignored.push(comment.id)
      continue
    }
    for (const record of parsed.decisions) {
      ledger.decisions.set(record.key, record)
      ledger.log.push(record)
    }
    ledger.refused.push(...parsed.refused)
  }
  return ledger
}

function safeParse(json: string): z.infer<typeof recordPayloadSchema> | undefined {
  try {
    const result = recordPayloadSchema.safeParse(JSON.parse(json))
    return result.success ? result.data : undefined
  } catch {
    return undefined
  }
}
