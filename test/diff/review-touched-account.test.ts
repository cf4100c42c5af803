import { describe, expect, test } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import { findTouchedTargets } from '../../src/diff/touched-targets.js'
import type { DesiredState } from '../../src/model/index.js'

function desired(text: string): DesiredState {
  const parsed = parseAccessFiles([{ path: 'access.yaml', text }])
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.desired
}

const STAGING = '0123456789abcdef0123456789abcdef'
const PROD = 'fedcba9876543210fedcba9876543210'

function file(accountId: string | undefined): string {
  return `version: 1
${accountId ? `account_id: ${accountId}\n` : ''}groups:
  Engineering:
    owners: [octocat]
    members: [alice@example.com]
roles:
  Administrator Read Only:
    owners: ['@acme/security']
    members: [carol@example.com]
`
}

describe('findTouchedTargets when the account changes', () => {
  // The same groups and members pointed at another account grant access there: every owner must agree.
  test('a changed account_id touches every group and role, with the base owners', () => {
    expect(findTouchedTargets(desired(file(STAGING)), desired(file(PROD)))).toEqual([
      { kind: 'group', name: 'Engineering', owners: ['octocat'] },
      { kind: 'role', name: 'Administrator Read Only', owners: ['@acme/security'] }
    ])
  })

  test('adding account_id where there was none touches every target too', () => {
    expect(findTouchedTargets(desired(file(undefined)), desired(file(PROD)))).toHaveLength(2)
  })

  test('the same account_id touches nothing', () => {
    expect(findTouchedTargets(desired(file(PROD)), desired(file(PROD)))).toEqual([])
  })
})

describe('findTouchedTargets when the removal limit changes', () => {
  const withLimit = (limit: string | undefined) =>
    desired(
      file(PROD).replace(
        'groups:',
        `${limit ? `settings:\n  max_removals: ${limit}\n` : ''}groups:`
      )
    )

  test('raising max_removals touches every group and role: it loosens the guard over all of them', () => {
    expect(findTouchedTargets(withLimit('10'), withLimit('50%'))).toEqual([
      { kind: 'group', name: 'Engineering', owners: ['octocat'] },
      { kind: 'role', name: 'Administrator Read Only', owners: ['@acme/security'] }
    ])
    expect(findTouchedTargets(withLimit(undefined), withLimit('5'))).toHaveLength(2)
  })

  test('the same limit written again touches nothing', () => {
    expect(findTouchedTargets(withLimit('10'), withLimit('10'))).toEqual([])
  })
})
