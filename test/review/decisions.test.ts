import { describe, expect, it } from 'vitest'
import type { InventorySection } from '../../src/review/access-review.js'
import { certificationKey } from '../../src/review/certifications.js'
import {
  attributeTicks,
  decisionBoxComment,
  decisionRecordMarker,
  decisionRecordPayload,
  newTicks,
  parseDecisionBoxes,
  readDecisionLedger,
  unexplainedTicks,
  type AttributionInput,
  type DecisionRecord
} from '../../src/review/decisions.js'

const ALICE = certificationKey('group', 'Engineering', 'alice@example.com')
const BOB = certificationKey('group', 'Engineering', 'bob@example.com')
const CAROL = certificationKey('role', 'Administrator', 'carol@example.com')
const AT = '2026-12-02T10:00:00.000Z'

function box(decision: 'keep' | 'revoke', key: string, ticked: boolean): string {
  return `  - [${ticked ? 'x' : ' '}] ${decision} ${decisionBoxComment(decision, key)}`
}

function body(ticks: Record<string, boolean>): string {
  return Object.entries(ticks)
    .map(([id, ticked]) => {
      const [decision, key] = id.split(' ') as ['keep' | 'revoke', string]
      return box(decision, key, ticked)
    })
    .join('\n')
}

function item(key: string, email: string) {
  return { key, email, inFile: true, hasZeroTrustUser: true, lastLogin: null, daysSinceLogin: null }
}

const SECTIONS: InventorySection[] = [
  {
    target: { kind: 'group', id: 'g1', name: 'Engineering' },
    owners: ['octocat', '@acme/security'],
    items: [item(ALICE, 'alice@example.com'), item(BOB, 'Bob@Example.com')]
  },
  {
    target: { kind: 'role', id: 'r1', name: 'Administrator' },
    owners: ['octocat'],
    items: [item(CAROL, 'carol@example.com')]
  }
]

function input(overrides: Partial<AttributionInput>): AttributionInput {
  return {
    ticks: [],
    sections: SECTIONS,
    sender: 'octocat',
    senderEmails: new Set(['octo@example.com']),
    at: AT,
    current: new Map(),
    teamMembership: async () => false,
    teamHint: 'members: read',
    ...overrides
  }
}

describe('decision boxes', () => {
  it('reads ticked and unticked boxes; a duplicated box counts only when every copy is ticked', () => {
    const text = [
      box('keep', ALICE, true),
      box('revoke', ALICE, false),
      box('keep', BOB, true),
      box('keep', BOB, false)
    ].join('\n')
    expect(parseDecisionBoxes(text)).toEqual(
      new Map([
        [`keep ${ALICE}`, true],
        [`revoke ${ALICE}`, false],
        [`keep ${BOB}`, false]
      ])
    )
  })

  it('round-trips keys with encoded names, in CRLF bodies and any list marker', () => {
    const key = certificationKey('group', 'Ops: EU | "24/7"', 'Zoë@Example.com')
    const text = [
      `* [X] keep ${decisionBoxComment('keep', key)}`,
      '- [x] not a box we wrote',
      `<!-- keep ${ALICE} -->`
    ].join('\r\n')
    expect(parseDecisionBoxes(text)).toEqual(new Map([[`keep ${key}`, true]]))
  })

  it('an edit counts only the boxes it ticked; unticking counts for nothing', () => {
    const before = body({
      [`keep ${ALICE}`]: true,
      [`revoke ${ALICE}`]: false,
      [`keep ${BOB}`]: false
    })
    const after = body({
      [`keep ${ALICE}`]: false,
      [`revoke ${ALICE}`]: true,
      [`keep ${BOB}`]: true
    })
    expect(newTicks(before, after)).toEqual([
      { key: ALICE, decision: 'revoke' },
      { key: BOB, decision: 'keep' }
    ])
    expect(newTicks(after, before)).toEqual([{ key: ALICE, decision: 'keep' }])
  })

  it('ticks the decisions do not explain are found, except the ones this edit made', () => {
    const decisions = new Map<string, DecisionRecord>([
      [ALICE, { key: ALICE, decision: 'keep', by: 'octocat', at: AT }]
    ])
    const text = body({ [`keep ${ALICE}`]: true, [`revoke ${BOB}`]: true, [`keep ${CAROL}`]: true })
    expect(unexplainedTicks(text, decisions, [{ key: CAROL, decision: 'keep' }])).toEqual([
      { key: BOB, decision: 'revoke' }
    ])
  })
})

describe('attributeTicks', () => {
  it('an owner by login decides; a tick that repeats the current decision records nothing', async () => {
    const current = new Map<string, DecisionRecord>([
      [BOB, { key: BOB, decision: 'keep', by: 'someone', at: AT }]
    ])
    const result = await attributeTicks(
      input({
        ticks: [
          { key: ALICE, decision: 'revoke' },
          { key: BOB, decision: 'keep' }
        ],
        current
      })
    )
    expect(result).toEqual({
      accepted: [{ key: ALICE, decision: 'revoke', by: 'octocat', at: AT }],
      refused: []
    })
  })

  it('logins compare case-insensitively and an owner team member counts', async () => {
    const asked: string[] = []
    const result = await attributeTicks(
      input({
        sender: 'Dana',
        senderEmails: new Set(),
        ticks: [
          { key: ALICE, decision: 'keep' },
          { key: BOB, decision: 'keep' }
        ],
        teamMembership: async (team, login) => {
          asked.push(`${team} ${login}`)
          return true
        }
      })
    )
    expect(result.accepted.map((record) => record.key)).toEqual([ALICE, BOB])
    // One lookup per group, not per grant.
    expect(asked).toEqual(['@acme/security Dana'])
    const upper = await attributeTicks(
      input({ sender: 'OctoCat', ticks: [{ key: CAROL, decision: 'keep' }] })
    )
    expect(upper.accepted).toHaveLength(1)
  })

  it('a non-owner is refused and told why', async () => {
    const result = await attributeTicks(
      input({ sender: 'mallory', ticks: [{ key: CAROL, decision: 'keep' }] })
    )
    expect(result).toEqual({
      accepted: [],
      refused: [
        {
          key: CAROL,
          decision: 'keep',
          by: 'mallory',
          at: AT,
          reason: 'mallory is not an owner of Account role Administrator.'
        }
      ]
    })
  })

  it('an unreadable owner team fails closed and says which permission is missing', async () => {
    const result = await attributeTicks(
      input({
        sender: 'dana',
        ticks: [{ key: ALICE, decision: 'keep' }],
        teamMembership: async () => 'unknown'
      })
    )
    expect(result.accepted).toEqual([])
    expect(result.refused[0]!.reason).toBe(
      'dana is not an owner of Access group Engineering that the Action can see: the membership of @acme/security could not be read (members: read).'
    )
  })

  it('never counts the sender’s own grant, compared case-insensitively', async () => {
    const result = await attributeTicks(
      input({
        senderEmails: new Set(['bob@example.com']),
        ticks: [
          { key: BOB, decision: 'keep' },
          { key: ALICE, decision: 'keep' }
        ]
      })
    )
    expect(result.accepted.map((record) => record.key)).toEqual([ALICE])
    expect(result.refused).toEqual([
      {
        key: BOB,
        decision: 'keep',
        by: 'octocat',
        at: AT,
        reason: 'it is their own grant; another owner decides it.'
      }
    ])
  })

  it('a sender the people mapping does not name decides nothing', async () => {
    const result = await attributeTicks(
      input({ senderEmails: undefined, ticks: [{ key: ALICE, decision: 'keep' }] })
    )
    expect(result.accepted).toEqual([])
    expect(result.refused[0]!.reason).toContain('people mapping does not list octocat')
  })

  it('keep and revoke ticked together, and grants no longer in the review, are refused', async () => {
    const gone = certificationKey('group', 'Engineering', 'gone@example.com')
    const result = await attributeTicks(
      input({
        ticks: [
          { key: ALICE, decision: 'keep' },
          { key: ALICE, decision: 'revoke' },
          { key: gone, decision: 'revoke' }
        ]
      })
    )
    expect(result.accepted).toEqual([])
    expect(result.refused.map((refusal) => [refusal.decision, refusal.reason])).toEqual([
      ['keep', 'keep and revoke were both ticked.'],
      ['revoke', 'keep and revoke were both ticked.'],
      ['revoke', 'this grant is no longer in the review.']
    ])
  })

  it('a group without owners cannot be decided', async () => {
    const sections: InventorySection[] = [{ ...SECTIONS[0]!, owners: [] }]
    const result = await attributeTicks(
      input({ sections, ticks: [{ key: ALICE, decision: 'keep' }] })
    )
    expect(result.refused[0]!.reason).toBe(
      'Access group Engineering lists no owners, so nobody can decide its grants.'
    )
  })
})

describe('decision records', () => {
  const self = (login: string) => login === 'github-actions[bot]'
  const marker = decisionRecordMarker('2026-12')
  const record = (
    id: number,
    decisions: DecisionRecord[],
    extra: Partial<{ author: string; updatedAt: string }> = {}
  ) => ({
    id,
    author: 'github-actions[bot]',
    body: `${marker}\n${decisionRecordPayload({ accepted: decisions, refused: [] })}\nDecisions`,
    createdAt: `2026-12-0${id}T00:00:00Z`,
    updatedAt: `2026-12-0${id}T00:00:00Z`,
    ...extra
  })

  it('folds our unedited records oldest first; the latest decision per grant wins', () => {
    const ledger = readDecisionLedger(
      [
        record(2, [{ key: ALICE, decision: 'revoke', by: 'octocat', at: '2026-12-02T00:00:00Z' }]),
        record(1, [
          { key: ALICE, decision: 'keep', by: 'octocat', at: '2026-12-01T00:00:00Z' },
          { key: BOB, decision: 'keep', by: 'octocat', at: '2026-12-01T00:00:00Z' }
        ])
      ],
      self,
      '2026-12'
    )
    expect(ledger.decisions.get(ALICE)?.decision).toBe('revoke')
    expect(ledger.decisions.get(BOB)?.decision).toBe('keep')
    expect(ledger.log.map((entry) => entry.decision)).toEqual(['keep', 'keep', 'revoke'])
    expect(ledger.ignored).toEqual([])
  })

  it('ignores records someone else wrote, records edited since, other periods and broken payloads', () => {
    const keep = [{ key: ALICE, decision: 'keep' as const, by: 'octocat', at: AT }]
    const broken = {
      ...record(4, keep),
      body: `${marker}\n<!-- review-record {"decisions":[{"key":1}]} -->`
    }
    const ledger = readDecisionLedger(
      [
        record(1, keep, { author: 'mallory' }),
        record(2, keep, { updatedAt: '2026-12-09T00:00:00Z' }),
        { ...record(3, keep), body: record(3, keep).body.replace('2026-12', '2026-11') },
        broken
      ],
      self,
      '2026-12'
    )
    expect(ledger.decisions.size).toBe(0)
    expect(ledger.ignored).toEqual([1, 2, 4])
  })

  it('the payload cannot close its HTML comment', () => {
    const payload = decisionRecordPayload({
      accepted: [],
      refused: [{ key: ALICE, decision: 'keep', by: 'x', at: AT, reason: 'a --> b <script>' }]
    })
    expect(payload.slice(4, -4)).not.toContain('-->')
    expect(payload).not.toContain('<script>')
  })
})
