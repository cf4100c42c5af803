import { describe, expect, it } from 'vitest'
import { applyMembershipChange, emailOfRule } from '../../src/diff/index.js'
import { emailRule } from '../fixtures/diff/builders.js'

const IP = { ip: { ip: '10.0.0.0/8' } }
const EVERYONE = { everyone: {} }

describe('applyMembershipChange', () => {
  it('keeps other rules in order, drops matching email rules and appends new ones', () => {
    const include = [emailRule('a@x.io'), IP, emailRule('b@x.io'), EVERYONE]
    expect(applyMembershipChange(include, ['c@x.io', 'd@x.io'], ['b@x.io'])).toEqual([
      emailRule('a@x.io'),
      IP,
      EVERYONE,
      emailRule('c@x.io'),
      emailRule('d@x.io')
    ])
  })

  it('removes every rule for the address whatever its case, duplicates included', () => {
    const include = [emailRule('Bob@X.io'), IP, emailRule('bob@x.io'), emailRule('BOB@x.io ')]
    expect(applyMembershipChange(include, [], ['bob@X.IO'])).toEqual([IP])
  })

  it('never adds an address that is already present, in any case, or twice', () => {
    const include = [emailRule('Alice@x.io')]
    expect(applyMembershipChange(include, ['alice@X.io', 'new@x.io', 'NEW@x.io'], [])).toEqual([
      emailRule('Alice@x.io'),
      emailRule('new@x.io')
    ])
  })

  it('re-adds an address removed in the same change with the new spelling', () => {
    expect(applyMembershipChange([emailRule('old@X.io'), IP], ['Old@x.io'], ['old@x.io'])).toEqual([
      IP,
      emailRule('Old@x.io')
    ])
  })

  it('leaves rules that only look like email rules alone and does not change its input', () => {
    const odd = { email: { email: 'a@x.io' }, note: 'two keys' }
    const domain = { email_domain: { domain: 'x.io' } }
    const include = [odd, domain, emailRule('a@x.io')]
    const copy = structuredClone(include)
    expect(applyMembershipChange(include, [], ['a@x.io'])).toEqual([odd, domain])
    expect(include).toEqual(copy)
  })
})

describe('emailOfRule', () => {
  it('reads only rules shaped {email: {email}}', () => {
    expect(emailOfRule(emailRule('a@x.io'))).toBe('a@x.io')
    expect(emailOfRule({ email: 'a@x.io' })).toBeUndefined()
    expect(emailOfRule({ email: null })).toBeUndefined()
    expect(emailOfRule({ gsuite: { email: 'g@x.io' } })).toBeUndefined()
  })
})
