import { describe, expect, it } from 'vitest'
import { planChanges } from '../../src/diff/index.js'
import type { AccountSnapshot } from '../../src/model/index.js'
import {
  ADMIN,
  ANALYTICS,
  BILLING,
  DNS,
  SUPER,
  desired,
  emailRule,
  fromNow,
  grant,
  groupSpec,
  liveGroup,
  member,
  options,
  roleSpec,
  snapshot,
  user,
  DAY
} from '../fixtures/diff/builders.js'
import { seededRandom, shuffled } from '../fixtures/diff/shuffle.js'

const IP = { ip: { ip: '10.0.0.0/8' } }

const file = desired({
  groups: [
    groupSpec('Engineering', [
      grant('alice@x.io'),
      grant('Zed@x.io', { expires: fromNow(3 * DAY) }),
      grant('ghost@x.io'),
      grant('old@x.io', { expires: fromNow(-DAY) })
    ]),
    groupSpec('Missing', [grant('alice@x.io')]),
    groupSpec('Ops', [grant('bob@x.io')], { id: 'g-ops-2' }),
    groupSpec('Support', [grant('carol@x.io')], { mode: 'additive' })
  ],
  roles: [
    roleSpec('Administrator', [grant('alice@x.io'), grant('new@x.io')]),
    roleSpec('DNS', [grant('new@x.io'), grant('bob@x.io', { expires: fromNow(DAY) })]),
    roleSpec(SUPER.name, [grant('root@x.io')])
  ]
})

const live: AccountSnapshot = snapshot({
  groups: [
    liveGroup('g-eng', 'Engineering', [
      emailRule('alice@x.io'),
      IP,
      emailRule('OLD@x.io'),
      emailRule('x@x.io')
    ]),
    liveGroup('g-ops-1', 'Ops', [emailRule('a@x.io')]),
    liveGroup('g-ops-2', 'Ops', [emailRule('z@x.io'), IP]),
    liveGroup('g-sup', 'Support', [emailRule('drift@x.io')]),
    liveGroup('g-free', 'Unmanaged', [emailRule('y@x.io')]),
    liveGroup('g-miss', 'Misssing', [IP])
  ],
  members: [
    member('m-alice', 'alice@x.io', [ADMIN]),
    member('m-bob', 'bob@x.io', [DNS, BILLING]),
    member('m-root', 'root@x.io', [SUPER]),
    member('m-x', 'x@x.io', [ADMIN, ANALYTICS]),
    member('m-y', 'y@x.io', [DNS]),
    member('m-pol', 'pol@x.io', [ADMIN], { usesPolicies: true })
  ],
  users: ['alice@x.io', 'zed@x.io', 'bob@x.io', 'carol@x.io'].map(user),
  credentialEmail: 'x@x.io'
})

describe('planChanges determinism', () => {
  it('gives byte-identical JSON whatever order Cloudflare lists things in', () => {
    const reference = JSON.stringify(planChanges(file, live, options()))
    const random = seededRandom(20250601)
    for (let run = 0; run < 25; run++) {
      const reordered: AccountSnapshot = {
        ...live,
        groups: shuffled(live.groups, random),
        members: shuffled(live.members, random),
        roles: shuffled(live.roles, random),
        users: shuffled(live.users, random)
      }
      const fileReordered = {
        ...file,
        groups: file.groups.map((g) => ({ ...g, members: shuffled(g.members, random) })),
        roles: file.roles.map((r) => ({ ...r, members: shuffled(r.members, random) }))
      }
      expect(JSON.stringify(planChanges(fileReordered, reordered, options()))).toBe(reference)
    }
  })

  it('produces a plan that survives a JSON round trip unchanged', () => {
    const plan = planChanges(file, live, options())
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan)
    expect(plan.changes.map((c) => `${c.action} ${c.target.name} ${c.email} ${c.cause}`)).toEqual([
      'remove Engineering OLD@x.io expired',
      'remove Engineering x@x.io drift',
      'add Engineering ghost@x.io requested',
      'add Engineering Zed@x.io requested',
      'remove Ops z@x.io drift',
      'add Ops bob@x.io requested',
      'add Support carol@x.io requested',
      'revoke Administrator x@x.io drift',
      'invite Administrator new@x.io requested',
      'remove-member DNS y@x.io drift',
      'invite DNS new@x.io requested'
    ])
    expect(
      plan.findings.map((f) => `${f.severity} ${f.kind} ${f.target?.name ?? f.email}`)
    ).toEqual([
      'error unknown-group Missing',
      // pol@x.io holds Administrator without the file giving it; policies manage them, so it stays.
      'warning policy-member Administrator',
      'warning no-zero-trust-user ghost@x.io'
    ])
    expect(plan.guards.map((g) => g.guard)).toEqual(['self-removal'])
  })

  it('does not modify its inputs', () => {
    const fileCopy = structuredClone(file)
    const liveCopy = structuredClone(live)
    planChanges(file, live, options())
    expect(file).toEqual(fileCopy)
    expect(live).toEqual(liveCopy)
  })
})
