/** export: write the access file from the live account, so a team can adopt the action on an existing account. */
import { isGlob, renderAccessFile } from '../config/index.js'
import { ACTIONS_BOT_LOGIN, sameLogin, type GitHubPort } from '../github/index.js'
import type { ModeDeps, ModeResult } from './ports.js'

export const EXPORT_BRANCH = 'cloudflare-access-as-code/export'

export async function runExport(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, io } = deps
  if (isGlob(inputs.config)) {
    return {
      outputs: {},
      failure: `export writes one file, but config is the glob "${inputs.config}". Set config to the file to write, e.g. cloudflare-access.yaml.`
    }
  }
  if (!inputs.accountId) {
    return {
      outputs: {},
      failure:
        'export needs the cloudflare-account-id input: there is no access file to read it from yet.'
    }
  }
  if (!deps.cloudflare) {
    return {
      outputs: {},
      failure:
        'export needs Cloudflare credentials: set cloudflare-api-token (read-only is enough).'
    }
  }
  const refused = inputs.openPr && deps.github ? await openPrRefusal(deps.github) : undefined
  if (refused) return { outputs: {}, failure: refused }
  const client = deps.cloudflare(inputs.accountId)
  await client.verifyCredentials()
  const snapshot = await client.readAccountSnapshot()
  const text = renderAccessFile(snapshot, { accountId: inputs.accountId })
  await deps.writeWorkspaceFile(inputs.config, text)
  io.info(
    `Wrote ${inputs.config}: ${snapshot.groups.length} Access groups, ${snapshot.members.length} account members.`
  )
  await io.appendSummary(
    `## Exported the live account\n\nWrote \`${inputs.config}\` with ${snapshot.groups.length} Access groups and ${snapshot.members.length} account members. Planning it right away shows no changes.\n`
  )

  if (!inputs.openPr) return { outputs: {} }
  if (!deps.github || !deps.event.defaultBranch) {
    return {
      outputs: {},
      failure: 'open-pr needs the github-token input and a repository default branch.'
    }
  }
  const pullRequest = await deps.github.createPullRequestWithFile({
    branch: EXPORT_BRANCH,
    base: deps.event.defaultBranch,
    path: inputs.config,
    content: text,
    title: 'Adopt Cloudflare Access as Code: export the live account',
    body: [
      'This pull request was opened by the `export` mode of Cloudflare Access as Code.',
      '',
      `It writes \`${inputs.config}\` from the live Cloudflare account, so planning it shows no changes. Before merging, fill in \`owners\` for each group and role, and check the comments that list rules this file does not manage.`
    ].join('\n')
  })
  io.info(`Opened pull request #${pullRequest.number}: ${pullRequest.url}`)
  return { outputs: {} }
}

/**
 * Before anything is read or written: the workflow GITHUB_TOKEN may only open the pull request when the repository
 * setting "Allow GitHub Actions to create and approve pull requests" is on, which only an administrator can read.
 * Without this check the branch and the file would be written and the last step refused.
 */
async function openPrRefusal(github: GitHubPort): Promise<string | undefined> {
  if (!sameLogin(await github.whoAmI(), ACTIONS_BOT_LOGIN)) return undefined
  const allowed = await github.actionsMayCreatePullRequests()
  if (allowed === true) return undefined
  return [
    `open-pr cannot open the export pull request with the workflow GITHUB_TOKEN: ${
      allowed === false
        ? 'the repository setting "Allow GitHub Actions to create and approve pull requests" is off'
        : 'GitHub lets it open pull requests only when the repository setting "Allow GitHub Actions to create and approve pull requests" is on, and the token cannot read that setting'
    }. Nothing was read or written.`,
    'Pass a GitHub App installation token as github-token (actions/create-github-app-token, with contents and pull requests write): the setting can stay off, as this Action recommends, and the pull request it opens starts the plan workflow, which one opened with GITHUB_TOKEN would not.'
  ].join(' ')
}
