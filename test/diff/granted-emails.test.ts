import { describe, expect, test } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import { grantedEmails } from '../../src/diff/granted-emails.js'
import type { DesiredState } from '../../src/model/index.js'

function desired(text: string): DesiredState {
  const parsed = parseAccessFiles([{ path: 'access.yaml', text }])
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.desired
}

const BASE = `version: 1
account_id: 0123456789abcdef0123456789abcdef
groups:
  Engineering:
    members:
      - alice@example.com
      - email: bob@example.com
        expires: 2026-12-31
roles:
  Billing:
    members: [carol@example.com]
`

describe('grantedEmails', () => {
  test('names added members and lengthened grants, not kept, shortened or removed ones', () => {
    const head = desired(
      BASE.replace('expires: 2026-12-31', 'expires: 2027-01-31')
        .replace('members: [carol@example.com]', 'members: [Dave@Example.com]')
        .replace('- alice@example.com', '- alice@example.com\n      - carol@example.com')
    )
    expect([...grantedEmails(desired(BASE), head)].sort()).toEqual([
      'bob@example.com',
      'carol@example.com',
      'dave@example.com'
    ])
    const shortened = desired(BASE.replace('expires: 2026-12-31', 'expires: 2026-06-30'))
    expect([...grantedEmails(desired(BASE), shortened)]).toEqual([])
    const unlimited = desired(BASE.replace(/\n {8}expires: 2026-12-31/, ''))
    expect([...grantedEmails(desired(BASE), unlimited)]).toEqual(['bob@example.com'])
  })

  test('grants everyone anew when there was no file or the account changes', () => {
    const everyone = ['alice@example.com', 'bob@example.com', 'carol@example.com']
    expect([...grantedEmails(undefined, desired(BASE))].sort()).toEqual(everyone)
    const moved = desired(BASE.replace('0123456789abcdef', 'ffffffffffffffff'))
    expect([...grantedEmails(desired(BASE), moved)].sort()).toEqual(everyone)
  })
})
