/** Review finding: revoke-expired writes to Cloudflare, so it must read the default branch's file, not a feature branch's. */
import { describe, expect, test } from 'vitest'
import { runReview } from '../../src/modes/review.js'
import type { EventInfo } from '../../src/github/index.js'
import { harness, inputs } from './fakes.js'

/** bob is approved without an end date on main; a branch can give him one in the past. */
const BRANCH_FILE = `version: 1
groups:
  Engineering:
    members:
      - alice@example.com
      - email: bob@example.com
        expires: 2026-01-01
  Ops:
    members: [olga@example.com]
`

function dispatch(ref: string): EventInfo {
  return {
    kind: 'workflow_dispatch',
    name: 'workflow_dispatch',
    isFork: false,
    ref,
    defaultBranch: 'main'
  }
}

describe('review with revoke-expired off the default branch', () => {
  test('workflow_dispatch on a feature branch reviews but revokes nothing, and says why', async () => {
    const h = harness({
      file: BRANCH_FILE,
      event: dispatch('refs/heads/feature'),
      inputs: inputs({ 'revoke-expired': 'true' })
    })

    const result = await runReview(h.deps)

    expect(h.cloudflare.writes).toEqual([])
    expect(h.io.warnings).toEqual([
      'Expired grants were not revoked: revoke-expired only acts on the default branch (main), and this run is on refs/heads/feature.'
    ])
    expect(result.outputs.applied).toBe('0')
    expect(h.github.data.issues).toHaveLength(1)
  })

  test('workflow_dispatch on the default branch revokes', async () => {
    const h = harness({
      file: BRANCH_FILE,
      event: dispatch('refs/heads/main'),
      inputs: inputs({ 'revoke-expired': 'true' })
    })

    const result = await runReview(h.deps)

    expect(h.cloudflare.writes).toHaveLength(1)
    expect(result.outputs.applied).toBe('1')
  })
})
