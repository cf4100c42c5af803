import { describe, expect, test } from 'vitest'
import type { EventInfo } from '../../src/github/index.js'
import { CLEANUP_BRANCH, runCleanup } from '../../src/modes/cleanup.js'
import { expectGolden } from '../report/golden.js'
import { CONFIG, harness as baseHarness, inputs } from './fakes.js'

const SCHEDULE: EventInfo = {
  kind: 'schedule',
  name: 'schedule',
  isFork: false,
  defaultBranch: 'main'
}

/** NOW is 2026-03-15T12:00Z: alice's and carol's entries have ended, erin's has not, bob's has none. */
const FILE = `version: 1
groups:
  Engineering:
    owners: [octocat] # who approves
    members:
      # on-call rota
      - email: alice@example.com
        expires: 2026-03-01
        reason: "INC-7 *urgent* (request #3)"
      - bob@example.com
      - email: erin@example.com
        expires: 2026-04-01
  Ops:
    members:
      - email: olga@example.com
        expires: 2026-03-15T11:59:00Z
roles:
  Administrator Read Only:
    members:
      - email: carol@example.com
        expires: 2026-03-10
      - dave@example.com
`

function harness(file = FILE, event: EventInfo = SCHEDULE) {
  return baseHarness({ event, file, inputs: inputs({ mode: 'cleanup' }), withCloudflare: false })
}

describe('runCleanup', () => {
  test('one pull request on access-cleanup cuts exactly the ended entries, keeping comments and the rest', async () => {
    const h = harness()
    const result = await runCleanup(h.deps)
    expect(result.failure).toBeUndefined()
    expect(result.outputs).toEqual({ 'has-changes': 'true', removals: '3' })
    expect(h.github.prsWithFile).toHaveLength(1)
    const pull = h.github.prsWithFile[0]!
    expect(pull).toMatchObject({
      branch: CLEANUP_BRANCH,
      base: 'main',
      path: CONFIG,
      reset: true,
      title: 'Access file: remove 3 ended grants'
    })
    expect(pull.content).toBe(`version: 1
groups:
  Engineering:
    owners: [octocat] # who approves
    members:
      # on-call rota
      - bob@example.com
      - email: erin@example.com
        expires: 2026-04-01
  Ops:
    members: []
roles:
  Administrator Read Only:
    members:
      - dave@example.com
`)
    expectGolden('cleanup-pull-body.md', pull.body)
    expect(h.io.summaries[0]).toContain('### Access file cleanup')
  })

  test('nothing ended: no pull request', async () => {
    const h = harness(FILE.replaceAll('2026-03-', '2026-05-'))
    const result = await runCleanup(h.deps)
    expect(result).toEqual({ outputs: { 'has-changes': 'false', removals: '0' } })
    expect(h.github.prsWithFile).toEqual([])
  })

  test('refuses off the default branch, and without a GitHub token', async () => {
    const off = harness(FILE, {
      ...SCHEDULE,
      kind: 'workflow_dispatch',
      name: 'workflow_dispatch',
      ref: 'refs/heads/feature'
    })
    expect((await runCleanup(off.deps)).failure).toBe(
      'cleanup only runs on the default branch (main), and this run is on refs/heads/feature.'
    )
    const noToken = baseHarness({ event: SCHEDULE, file: FILE, withGitHub: false })
    expect((await runCleanup(noToken.deps)).failure).toContain('cleanup needs the github-token')
  })
})
