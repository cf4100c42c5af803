import { describe, expect, test } from 'vitest'
import { parseAccessFiles, renderAccessFile } from '../../src/config/index.js'
import { planChanges } from '../../src/diff/index.js'
import { EXPORT_BRANCH, runExport } from '../../src/modes/export.js'
import type { EventInfo } from '../../src/github/index.js'
import { ACCOUNT, NOW, baseSnapshot, harness as baseHarness, inputs } from './fakes.js'

const DISPATCH: EventInfo = {
  kind: 'workflow_dispatch',
  name: 'workflow_dispatch',
  isFork: false,
  ref: 'refs/heads/main',
  defaultBranch: 'main'
}

function harness(options: Parameters<typeof baseHarness>[0]) {
  return baseHarness({ event: DISPATCH, ...options })
}

const EXPECTED_TEXT = renderAccessFile(baseSnapshot(), { accountId: ACCOUNT })

describe('runExport', () => {
  test('writes the access file from the live account, and planning it shows no changes', async () => {
    const h = harness({ inputs: inputs({ mode: 'export' }) })

    const result = await runExport(h.deps)

    expect(result).toEqual({ outputs: {} })
    expect(h.cloudflare.connectedTo).toEqual([ACCOUNT])
    expect(h.cloudflare.calls).toEqual(['verifyCredentials', 'readAccountSnapshot'])
    expect(h.cloudflare.writes).toEqual([])
    expect(h.written).toEqual([{ path: 'cloudflare-access.yaml', text: EXPECTED_TEXT }])
    expect(h.github.calls).toEqual([])
    expect(h.io.infos).toEqual([
      'Wrote cloudflare-access.yaml: 3 Access groups, 3 account members.'
    ])
    expect(h.io.summaries).toEqual([
      '## Exported the live account\n\nWrote `cloudflare-access.yaml` with 3 Access groups and 3 account members. Planning it right away shows no changes.\n'
    ])

    const parsed = parseAccessFiles([{ path: 'cloudflare-access.yaml', text: h.written[0]!.text }])
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
    const plan = planChanges(parsed.desired, baseSnapshot(), {
      now: NOW,
      expiryWarningDays: 14,
      allowMassRemoval: false,
      allowLockout: false
    })
    expect(plan.changes).toEqual([])
  })

  test('writes to the configured path', async () => {
    const h = harness({ inputs: inputs({ config: 'access/cloudflare.yaml' }) })

    await runExport(h.deps)

    expect(h.written.map((w) => w.path)).toEqual(['access/cloudflare.yaml'])
  })

  test.each(['access/*.yaml', 'access/{a,b}.yaml', 'access-?.yaml'])(
    'a glob config (%s) is refused before Cloudflare is read',
    async (config) => {
      const h = harness({ inputs: inputs({ config }) })

      const result = await runExport(h.deps)

      expect(result).toEqual({
        outputs: {},
        failure: `export writes one file, but config is the glob "${config}". Set config to the file to write, e.g. cloudflare-access.yaml.`
      })
      expect(h.cloudflare.calls).toEqual([])
      expect(h.written).toEqual([])
    }
  )

  test('without an account id input it is refused', async () => {
    const h = harness({ inputs: inputs({ 'cloudflare-account-id': '' }) })

    const result = await runExport(h.deps)

    expect(result.failure).toBe(
      'export needs the cloudflare-account-id input: there is no access file to read it from yet.'
    )
    expect(h.cloudflare.calls).toEqual([])
  })

  test('without credentials it is refused', async () => {
    const h = harness({ withCloudflare: false })

    const result = await runExport(h.deps)

    expect(result.failure).toBe(
      'export needs Cloudflare credentials: set cloudflare-api-token (read-only is enough).'
    )
    expect(h.written).toEqual([])
  })

  test('open-pr opens a pull request with the file into the default branch', async () => {
    const h = harness({ inputs: inputs({ 'open-pr': 'true' }) })

    const result = await runExport(h.deps)

    expect(result).toEqual({ outputs: {} })
    expect(h.github.calls).toEqual([
      'whoAmI',
      'actionsMayCreatePullRequests',
      `createPullRequestWithFile ${EXPORT_BRANCH}, main, cloudflare-access.yaml`
    ])
    expect(h.github.prsWithFile).toHaveLength(1)
    const args = h.github.prsWithFile[0]!
    expect(args).toMatchObject({
      branch: 'cloudflare-access-as-code/export',
      base: 'main',
      path: 'cloudflare-access.yaml',
      content: EXPECTED_TEXT,
      title: 'Adopt Cloudflare Access as Code: export the live account'
    })
    expect(args.body).toContain('`cloudflare-access.yaml`')
    expect(h.io.infos).toContain('Opened pull request #77: https://github.com/acme/access/pull/77')
    expect(h.written).toHaveLength(1)
  })

  test.each([
    [
      false,
      'the repository setting "Allow GitHub Actions to create and approve pull requests" is off'
    ],
    ['unknown' as const, 'and the token cannot read that setting']
  ])(
    'open-pr with GITHUB_TOKEN and the setting %s is refused up front: nothing read or written',
    async (setting, why) => {
      const h = harness({ inputs: inputs({ 'open-pr': 'true' }) })
      h.github.data.actionsMayCreatePullRequests = setting

      const result = await runExport(h.deps)

      expect(result.outputs).toEqual({})
      expect(result.failure).toContain(why)
      expect(result.failure).toContain('Nothing was read or written.')
      expect(result.failure).toContain('GitHub App installation token')
      expect(h.github.calls).toEqual(['whoAmI', 'actionsMayCreatePullRequests'])
      expect(h.cloudflare.calls).toEqual([])
      expect(h.written).toEqual([])
    }
  )

  test('open-pr with a GitHub App token does not depend on the setting', async () => {
    const h = harness({ inputs: inputs({ 'open-pr': 'true' }) })
    h.github.data.login = 'zt-access[bot]'
    h.github.data.actionsMayCreatePullRequests = false

    const result = await runExport(h.deps)

    expect(result).toEqual({ outputs: {} })
    expect(h.github.calls).toEqual([
      'whoAmI',
      `createPullRequestWithFile ${EXPORT_BRANCH}, main, cloudflare-access.yaml`
    ])
  })

  test('open-pr without a GitHub token fails after writing the file', async () => {
    const h = harness({ inputs: inputs({ 'open-pr': 'true' }), withGitHub: false })

    const result = await runExport(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure: 'open-pr needs the github-token input and a repository default branch.'
    })
    expect(h.written).toHaveLength(1)
  })
})
