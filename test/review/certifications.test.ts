import { describe, expect, it } from 'vitest'
import {
  certificationComment,
  certificationKey,
  parseCertifications
} from '../../src/review/index.js'

describe('certificationKey', () => {
  it('is readable for plain names and lower-cases e-mails', () => {
    expect(certificationKey('group', 'Engineering', ' Alice@Example.com ')).toBe(
      'cert:group:Engineering:alice@example.com'
    )
  })

  it('encodes anything that could break the comment or the key', () => {
    const key = certificationKey('role', 'Admin: all --> <b>!', 'x@y.z')
    expect(key).toBe('cert:role:Admin%3A%20all%20--%3E%20%3Cb%3E%21:x@y.z')
    expect(certificationComment(key)).toBe(`<!-- ${key} -->`)
  })
})

describe('parseCertifications', () => {
  it('reads ticked and unticked items', () => {
    const body = [
      '- [x] `alice@example.com` — last login <!-- cert:group:Engineering:alice@example.com -->',
      '- [ ] `bob@example.com` — never logged in <!-- cert:group:Engineering:bob@example.com -->',
      '* [X] `carol@example.com` <!-- cert:role:Administrator:carol@example.com -->',
      '- [x] not an item we wrote',
      '<!-- cert:group:Engineering:dave@example.com -->'
    ].join('\r\n')
    expect(parseCertifications(body)).toEqual({
      'cert:group:Engineering:alice@example.com': true,
      'cert:group:Engineering:bob@example.com': false,
      'cert:role:Administrator:carol@example.com': true
    })
  })

  it('does not let a duplicated line certify on its own', () => {
    const body = [
      '- [ ] a <!-- cert:group:G:a@x.y -->',
      '- [x] a <!-- cert:group:G:a@x.y -->'
    ].join('\n')
    expect(parseCertifications(body)).toEqual({ 'cert:group:G:a@x.y': false })
  })

  it('round-trips keys with encoded names', () => {
    const key = certificationKey('group', 'Ops: EU | "24/7"', 'Zoë@Example.com')
    const body = `- [x] \`Zoë@Example.com\` — never logged in ${certificationComment(key)}\n`
    expect(parseCertifications(body)).toEqual({ [key]: true })
  })
})
