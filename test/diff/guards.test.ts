import { describe, expect, it } from 'vitest'
import { isPlanBlocked, planChanges, removalLimit } from '../../src/diff/index.js'
import type { AccessRule } from '../../src/model/index.js'
import {
  ADMIN,
  BILLING,
  SUPER,
  desired,
  emailRule,
  grant,
  groupSpec,
  liveGroup,
  member,
  options,
  roleSpec,
  snapshot
} from '../fixtures/diff/builders.js'

const IP = { ip: { ip: '192.0.2.0/24' } }

function emails(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `p${String(i).padStart(3, '0')}@x.io`)
}

/** A managed group of `total` members of which the file keeps `kept`: total - kept removals. */
function shrinkGroup(total: number, kept: number) {
  const all = emails(total)
  const include: AccessRule[] = [IP, ...all.map(emailRule)]
  return {
    desired: desired({
      groups: [
        groupSpec(
          'Ops',
          all.slice(0, kept).map((e) => grant(e))
        )
      ]
    }),
    live: snapshot({ groups: [liveGroup('g-ops', 'Ops', include)] })
  }
}

describe('max-removals guard', () => {
  it('stops a plan that removes more than the default limit of 10 and names both ways out', () => {
    const { desired: file, live } = shrinkGroup(12, 1)
    const plan = planChanges(file, live, options())
    expect(plan.stats).toEqual({
      additions: 0,
      removals: 11,
      grantsUnderManagement: 12,
      removalLimit: 10
    })
    expect(plan.guards).toEqual([
      {
        guard: 'max-removals',
        message:
          'This plan removes 11 grants, more than the limit of 10. If these removals are intended, ' +
          'raise max_removals in the access file settings.',
        overrideInput: 'allow-mass-removal',
        overridden: false
      }
    ])
    expect(isPlanBlocked(plan)).toBe(true)
  })

  it('is reported but does not block when allow-mass-removal is set', () => {
    const { desired: file, live } = shrinkGroup(12, 1)
    const plan = planChanges(file, live, options({ allowMassRemoval: true }))
    expect(plan.guards.map((g) => [g.guard, g.overridden])).toEqual([['max-removals', true]])
    expect(isPlanBlocked(plan)).toBe(false)
  })

  it('allows exactly the limit', () => {
    const { desired: file, live } = shrinkGroup(12, 2)
    const plan = planChanges(file, live, options())
    expect(plan.stats.removals).toBe(10)
    expect(plan.guards).toEqual([])
  })

  it('defaults to a quarter of the managed grants when that is more than 10', () => {
    const { desired: file, live } = shrinkGroup(101, 101)
    expect(planChanges(file, live, options()).stats.removalLimit).toBe(26)
    expect(removalLimit(undefined, 0)).toBe(10)
    expect(removalLimit(undefined, 41)).toBe(11)
  })

  it('uses a count limit from the file settings', () => {
    const { desired: file, live } = shrinkGroup(5, 2)
    file.settings = { maxRemovals: { kind: 'count', value: 2 } }
    const plan = planChanges(file, live, options())
    expect(plan.stats.removalLimit).toBe(2)
    expect(plan.guards.map((g) => g.message)).toEqual([
      'This plan removes 3 grants, more than the limit of 2. If these removals are intended, raise ' +
        'max_removals in the access file settings.'
    ])
  })

  it('lets the action input win over the file settings', () => {
    const { desired: file, live } = shrinkGroup(5, 2)
    file.settings = { maxRemovals: { kind: 'count', value: 2 } }
    const plan = planChanges(file, live, options({ maxRemovals: { kind: 'count', value: 3 } }))
    expect(plan.stats.removalLimit).toBe(3)
    expect(plan.guards).toEqual([])
  })

  it('rounds a percent limit up from the managed grants', () => {
    const { desired: file, live } = shrinkGroup(40, 37)
    file.settings = { maxRemovals: { kind: 'percent', value: 7 } }
    const plan = planChanges(file, live, options())
    // 7% of 40 = 2.8 -> 3, and 3 removals are allowed.
    expect(plan.stats.removalLimit).toBe(3)
    expect(plan.guards).toEqual([])
    const tighter = planChanges(file, live, options({ maxRemovals: { kind: 'percent', value: 5 } }))
    expect(tighter.stats.removalLimit).toBe(2)
    expect(tighter.guards.map((g) => g.guard)).toEqual(['max-removals'])
  })
})

describe('last-super-admin guard', () => {
  const superAdmins = (...members: ReturnType<typeof member>[]) => snapshot({ members })

  it('stops revoking the role from its last accepted holder', () => {
    const plan = planChanges(
      desired({
        roles: [roleSpec(SUPER.name, []), roleSpec('Administrator', [grant('root@x.io')])]
      }),
      superAdmins(member('m-root', 'root@x.io', [SUPER, ADMIN])),
      options()
    )
    expect(plan.changes.map((c) => [c.action, c.target.name])).toEqual([['revoke', SUPER.name]])
    expect(plan.guards).toEqual([
      {
        guard: 'last-super-admin',
        message:
          `This plan leaves no accepted member with the "${SUPER.name}" role (held now by root@x.io), ` +
          'which would lock everyone out of account administration. Keep at least one Super ' +
          'Administrator in the access file unless this is really intended.',
        overrideInput: 'allow-lockout',
        overridden: false
      }
    ])
    expect(isPlanBlocked(plan)).toBe(true)
  })

  it('does not count a pending invitation as a holder afterwards', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec(SUPER.name, [grant('next@x.io')])] }),
      superAdmins(
        member('m-root', 'root@x.io', [SUPER]),
        member('m-next', 'next@x.io', [SUPER], { status: 'pending' })
      ),
      options({ allowLockout: true })
    )
    expect(plan.guards.map((g) => [g.guard, g.overridden])).toEqual([['last-super-admin', true]])
    expect(isPlanBlocked(plan)).toBe(false)
  })

  it('allows the change while another accepted member keeps the role', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec(SUPER.name, [grant('two@x.io')])] }),
      superAdmins(member('m-1', 'one@x.io', [SUPER, BILLING]), member('m-2', 'two@x.io', [SUPER])),
      options()
    )
    expect(plan.changes.map((c) => [c.action, c.email])).toEqual([['revoke', 'one@x.io']])
    expect(plan.guards).toEqual([])
  })

  it('stays quiet when the role is not managed by the file', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('Billing', [])] }),
      superAdmins(member('m-1', 'one@x.io', [SUPER, BILLING])),
      options()
    )
    expect(plan.operations).toEqual([
      {
        type: 'update-member',
        key: 'member:m-1',
        memberId: 'm-1',
        email: 'one@x.io',
        grant: [],
        revoke: [BILLING.id]
      }
    ])
    expect(plan.guards).toEqual([])
  })
})

describe('self-removal guard', () => {
  it('stops revoking a role from the identity the credentials belong to', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('Administrator', [])] }),
      snapshot({
        members: [member('m-ci', 'ci@x.io', [ADMIN, BILLING])],
        credentialEmail: 'CI@x.io'
      }),
      options()
    )
    expect(plan.guards).toEqual([
      {
        guard: 'self-removal',
        message:
          'This plan revokes "Administrator" from CI@x.io; that is the identity whose API ' +
          'credentials this action uses, so it could lose the access it needs to apply or to undo ' +
          'changes. Keep these roles in the access file unless this is intended.',
        overrideInput: 'allow-lockout',
        overridden: false
      }
    ])
  })

  it('names a removed membership and can be overridden', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('Administrator', [])] }),
      snapshot({ members: [member('m-ci', 'ci@x.io', [ADMIN])], credentialEmail: 'ci@x.io' }),
      options({ allowLockout: true })
    )
    expect(plan.guards).toEqual([
      {
        guard: 'self-removal',
        message:
          'This plan removes the account membership of ci@x.io (revoking "Administrator"); that is ' +
          'the identity whose API credentials this action uses, so it could lose the access it needs ' +
          'to apply or to undo changes. Keep these roles in the access file unless this is intended.',
        overrideInput: 'allow-lockout',
        overridden: true
      }
    ])
    expect(isPlanBlocked(plan)).toBe(false)
  })

  it('does not apply when the credential e-mail is unknown (API token auth)', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('Administrator', [])] }),
      snapshot({ members: [member('m-ci', 'ci@x.io', [ADMIN])] }),
      options()
    )
    expect(plan.guards).toEqual([])
    expect(plan.stats.removals).toBe(1)
  })
})
