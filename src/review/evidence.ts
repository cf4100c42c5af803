/**
 * The evidence record of an access review: the population read, every grant with its decision, the revocations and
 * the exceptions, as one JSON document (with a JSON Schema) and a CSV of the grants. Pure: the caller supplies the
 * account snapshot, the decisions and the clock.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { AccountSnapshot } from '../model/index.js'
import type { AccessReview } from './access-review.js'
import { parseCertificationKey } from './certifications.js'
import type { DecisionRecord } from './decisions.js'
import type { ReviewPeriod } from './period.js'

/** What the snapshot is read from: the Cloudflare API listings behind readAccountSnapshot. */
export const POPULATION_ENDPOINTS: readonly string[] = [
  'GET /accounts/{account_id}/access/groups',
  'GET /accounts/{account_id}/access/users',
  'GET /accounts/{account_id}/members',
  'GET /accounts/{account_id}/roles'
]

const instant = z.string().meta({ format: 'date-time' })
const day = z.string().meta({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const target = z.strictObject({
  kind: z.enum(['group', 'role']),
  id: z.string().optional(),
  name: z.string()
})

export const evidenceRecordSchema = z
  .strictObject({
    version: z.literal(1),
    period: z.strictObject({ key: z.string(), title: z.string(), start: day, end: day, due: day }),
    onNoDecision: z.enum(['keep', 'revoke']),
    generatedAt: instant,
    population: z
      .strictObject({
        accountId: z.string(),
        readAt: instant,
        endpoints: z.array(z.string()),
        counts: z.strictObject({
          accessGroups: z.int().nonnegative(),
          accountMembers: z.int().nonnegative(),
          roles: z.int().nonnegative(),
          zeroTrustUsers: z.int().nonnegative(),
          managedGroupsAndRoles: z.int().nonnegative(),
          grants: z.int().nonnegative()
        }),
        sha256: z.string().meta({
          pattern: '^[0-9a-f]{64}$',
          description: 'SHA-256 of the listings as read (the parsed account snapshot as JSON).'
        })
      })
      .meta({ description: 'What was reviewed: the account as read, and when.' }),
    totals: z.strictObject({
      kept: z.int().nonnegative(),
      revoked: z.int().nonnegative(),
      removed: z.int().nonnegative(),
      undecided: z.int().nonnegative(),
      exceptions: z.int().nonnegative()
    }),
    grants: z.array(
      z.strictObject({
        key: z.string(),
        target,
        email: z.string(),
        inFile: z.boolean(),
        lastLogin: instant.nullable(),
        expires: instant.optional(),
        reason: z.string().optional(),
        decision: z.enum(['keep', 'revoke']).nullable(),
        decidedBy: z.string().nullable(),
        decidedAt: instant.nullable(),
        outcome: z
          .enum(['kept', 'revoked', 'removed', 'undecided', 'exception', 'revoked-no-decision'])
          .meta({
            description:
              'revoked: decided, still in Cloudflare; removed: revoked and no longer in Cloudflare (carried out); exception: undecided after the due date and kept (on_no_decision: keep); revoked-no-decision: undecided after it and revoked (on_no_decision: revoke).'
          })
      })
    ),
    revocations: z.strictObject({
      pullRequest: z.strictObject({ number: z.int(), url: z.string() }).nullable(),
      grants: z.array(z.string()).meta({ description: 'Keys of the grants it removes.' }),
      merged: z
        .strictObject({ number: z.int(), url: z.string(), mergeCommit: z.string().nullable() })
        .nullable()
        .meta({ description: 'The revocations pull request as merged into the default branch.' }),
      apply: z
        .strictObject({
          run: z.string().nullable().meta({ description: 'The apply workflow run.' }),
          verdict: z.string().meta({ description: "The apply comment's result line." }),
          commentId: z.int(),
          commentUpdatedAt: instant,
          edited: z
            .boolean()
            .meta({ description: 'The apply comment was edited after it was written.' })
        })
        .nullable()
        .meta({
          description:
            'What the apply of the merged revocations pull request reported, from its apply comment.'
        }),
      results: z
        .array(
          z.strictObject({
            key: z.string(),
            result: z.enum(['removed', 'still-present']).meta({
              description:
                'removed: absent from the account when it was read (population.readAt); still-present: not carried out.'
            })
          })
        )
        .meta({ description: 'Per revoked grant, whether the account still holds it.' })
    }),
    exceptions: z
      .array(z.string())
      .meta({ description: 'Keys of the grants kept without a decision.' })
  })
  .meta({
    title: 'Cloudflare Access as Code: access review evidence record',
    description:
      'One periodic user access review: the population, every grant with its decision, decider and time, the revocations and the exceptions.'
  })

export type EvidenceRecord = z.infer<typeof evidenceRecordSchema>

export interface EvidenceInput {
  review: AccessReview
  snapshot: AccountSnapshot
  period: ReviewPeriod
  due: { date: string; daysLeft: number; onNoDecision: 'keep' | 'revoke' }
  decisions: ReadonlyMap<string, DecisionRecord>
  pullRequest?: { number: number; url: string }
  /** The revocations pull request, once merged. */
  merged?: { number: number; url: string; mergeCommitSha: string | null }
  /** What the apply of the merged revocations pull request reported. */
  apply?: EvidenceRecord['revocations']['apply']
  /** When the account was read, RFC 3339. */
  readAt: string
}

export function buildEvidenceRecord(input: EvidenceInput): EvidenceRecord {
  const { review, snapshot, due, decisions } = input
  const overdue = due.daysLeft < 0
  const grants: EvidenceRecord['grants'] = []
  for (const section of review.inventory) {
    for (const item of section.items) {
      const decision = decisions.get(item.key)
      const outcome: EvidenceRecord['grants'][number]['outcome'] = decision
        ? decision.decision === 'keep'
          ? 'kept'
          : 'revoked'
        : !overdue
          ? 'undecided'
          : due.onNoDecision === 'revoke'
            ? 'revoked-no-decision'
            : 'exception'
      const grant: EvidenceRecord['grants'][number] = {
        key: item.key,
        target: { kind: section.target.kind, id: section.target.id, name: section.target.name },
        email: item.email,
        inFile: item.inFile,
        lastLogin: item.lastLogin,
        decision: decision?.decision ?? null,
        decidedBy: decision?.by ?? null,
        decidedAt: decision?.at ?? null,
        outcome
      }
      if (item.expires) grant.expires = item.expires
      if (item.reason) grant.reason = item.reason
      grants.push(grant)
    }
  }
  const inAccount = grants.length
  // Revoked grants that apply has removed are no longer in the account, so not in the inventory: the record keeps them.
  const seen = new Set(grants.map((grant) => grant.key))
  for (const decision of decisions.values()) {
    if (decision.decision !== 'revoke' || seen.has(decision.key)) continue
    const parts = parseCertificationKey(decision.key)
    if (!parts) continue
    grants.push({
      key: decision.key,
      target: { kind: parts.kind, name: parts.name },
      email: parts.email,
      inFile: false,
      lastLogin: null,
      decision: 'revoke',
      decidedBy: decision.by,
      decidedAt: decision.at,
      outcome: 'removed'
    })
  }
  const count = (outcome: string) => grants.filter((grant) => grant.outcome === outcome).length
  const revoked = grants.filter((grant) =>
    ['revoked', 'removed', 'revoked-no-decision'].includes(grant.outcome)
  )
  return {
    version: 1,
    period: {
      key: input.period.key,
      title: input.period.title,
      start: input.period.start,
      end: input.period.end,
      due: due.date
    },
    onNoDecision: due.onNoDecision,
    generatedAt: review.generatedAt,
    population: {
      accountId: snapshot.accountId,
      readAt: input.readAt,
      endpoints: [...POPULATION_ENDPOINTS],
      counts: {
        accessGroups: snapshot.groups.length,
        accountMembers: snapshot.members.length,
        roles: snapshot.roles.length,
        zeroTrustUsers: snapshot.users.length,
        managedGroupsAndRoles: review.inventory.length,
        grants: inAccount
      },
      sha256: createHash('sha256').update(JSON.stringify(snapshot)).digest('hex')
    },
    totals: {
      kept: count('kept'),
      revoked: count('revoked') + count('removed') + count('revoked-no-decision'),
      removed: count('removed'),
      undecided: count('undecided'),
      exceptions: count('exception')
    },
    grants,
    revocations: {
      pullRequest: input.pullRequest ?? null,
      grants: revoked.map((grant) => grant.key),
      merged: input.merged
        ? {
            number: input.merged.number,
            url: input.merged.url,
            mergeCommit: input.merged.mergeCommitSha
          }
        : null,
      apply: input.apply ?? null,
      results: revoked.map((grant) => ({
        key: grant.key,
        result: grant.outcome === 'removed' ? ('removed' as const) : ('still-present' as const)
      }))
    },
    exceptions: grants.filter((grant) => grant.outcome === 'exception').map((grant) => grant.key)
  }
}

const CSV_COLUMNS = [
  'kind',
  'name',
  'email',
  'in_file',
  'last_login',
  'expires',
  'reason',
  'decision',
  'decided_by',
  'decided_at',
  'outcome'
] as const

/** The grants as CSV (RFC 4180), one row each. Cells that a spreadsheet would run as a formula are quoted with a `'`. */
export function evidenceCsv(record: EvidenceRecord): string {
  const rows = record.grants.map((grant) => [
    grant.target.kind,
    grant.target.name,
    grant.email,
    String(grant.inFile),
    grant.lastLogin ?? '',
    grant.expires ?? '',
    grant.reason ?? '',
    grant.decision ?? '',
    grant.decidedBy ?? '',
    grant.decidedAt ?? '',
    grant.outcome
  ])
  return [CSV_COLUMNS, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** The record's JSON Schema, generated from the same zod schema the tests validate with. */
export function evidenceRecordJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(evidenceRecordSchema, { target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >
}

/** Complete: every grant in the account decided (or past the due date, under the policy) and every revocation carried out. */
export function isReviewComplete(record: EvidenceRecord): boolean {
  return record.grants.every((grant) => ['kept', 'removed', 'exception'].includes(grant.outcome))
}

/** The committed schema file's exact text. */
export function renderEvidenceRecordJsonSchema(): string {
  return `${JSON.stringify(evidenceRecordJsonSchema(), null, 2)}\n`
}
