import { describe, expect, it } from 'vitest'
import { certificationKey } from '../../src/review/index.js'

describe('certificationKey', () => {
  it('is readable for plain names and lower-cases e-mails', () => {
    expect(certificationKey('group', 'Engineering', ' Alice@Example.com ')).toBe(
      'cert:group:Engineering:alice@example.com'
    )
  })

  it('encodes anything that could break the comment or the key', () => {
    const key = certificationKey('role', 'Admin: all --> <b>!', 'x@y.z')
    expect(key).toBe('cert:role:Admin%3A%20all%20--%3E%20%3Cb%3E%21:x@y.z')
    expect(key).not.toMatch(/[\s<>]/)
  })
})
