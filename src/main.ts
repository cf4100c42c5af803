/** run(): read the inputs and the event once, wire the real ports, run one mode, set every output on every path. */
// First: it checks the event file before @actions/github parses it while loading.
import { eventFileProblem, missingEventFields } from './action/event-file.js'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import * as core from '@actions/core'
import * as github from '@actions/github'
import { readAccessFiles } from './config/index.js'
import { BUDGET_WINDOW_MS, createCloudflareClient } from './cloudflare/index.js'
import { createGitHubPort, createOctokit, describeEvent, type EventInfo } from './github/index.js'
import { errorMessage } from './action/error-message.js'
import { readInputs, SECRET_INPUTS, type ActionInputs, type Mode } from './action/inputs.js'
import type { Plan } from './model/index.js'
import { inPhase } from './model/phases.js'
import { runApply } from './modes/apply.js'
import { runExport } from './modes/export.js'
import { runPlan } from './modes/plan.js'
import { runCleanup } from './modes/cleanup.js'
import { runExpire } from './modes/expire.js'
import { runRequestForm } from './modes/request-form.js'
import { REQUEST_LABEL, runRequest } from './modes/request.js'
import { runReview } from './modes/review.js'
import {
  EMPTY_OUTPUTS,
  type ActionIO,
  type ModeDeps,
  type ModeResult,
  type PlanArtifact
} from './modes/ports.js'

const RUNNERS: Record<Exclude<Mode, 'auto'>, (deps: ModeDeps) => Promise<ModeResult>> = {
  plan: runPlan,
  apply: runApply,
  review: runReview,
  export: runExport,
  request: runRequest,
  expire: runExpire,
  cleanup: runCleanup,
  'request-form': runRequestForm
}

export async function run(): Promise<void> {
  await inPhase('run', () => runMode())
}

async function runMode(): Promise<void> {
  const outputs = { ...EMPTY_OUTPUTS }
  try {
    // Mask first: nothing below may print a credential, not even in an error about the inputs themselves.
    for (const name of SECRET_INPUTS) {
      const value = core.getInput(name).trim()
      if (value) core.setSecret(value)
    }
    const inputs = readInputs((name) => core.getInput(name))
    if (eventFileProblem) throw new Error(eventFileProblem)
    const { context } = github
    const event = describeEvent(context.eventName, context.payload)
    // A workflow_dispatch payload names no commit: GITHUB_SHA is the branch tip the run was dispatched on.
    if (event.kind === 'workflow_dispatch' && context.sha) event.sha = context.sha
    const missing = missingEventFields(event)
    if (missing) throw new Error(missing)
    const mode = pickMode(inputs, event)
    refuseUnsafeContext(inputs, event)
    core.info(`Mode: ${mode} (event ${context.eventName}).`)

    const result = await RUNNERS[mode](buildDeps(inputs, event))
    Object.assign(outputs, result.outputs)
    if (result.failure) core.setFailed(result.failure)
  } catch (error) {
    core.setFailed(errorMessage(error))
  } finally {
    inPhase('outputs', () => {
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
    })
  }
}

export function pickMode(inputs: ActionInputs, event: EventInfo): Exclude<Mode, 'auto'> {
  if (inputs.mode !== 'auto') return inputs.mode
  switch (event.kind) {
    case 'pull_request':
    case 'pull_request_target':
    case 'merge_group':
      return 'plan'
    case 'push':
      return 'apply'
    case 'issues':
      // The request form labels its issues; every other issue event is the review's.
      return event.issue?.labels?.includes(REQUEST_LABEL) ? 'request' : 'review'
    case 'issue_comment':
      // Comments on request issues may be /extend; request ignores every other comment.
      return 'request'
    case 'schedule':
      return 'review'
    case 'workflow_dispatch':
      return 'plan'
    default:
      throw new Error(
        `mode: auto does not know what to do on a ${event.name} event. Set mode to plan, apply, review, export, request, expire, cleanup or request-form.`
      )
  }
}

/**
 * pull_request_target runs with secrets and a write token on pull request content. The action only reads the file as
 * data, but a workflow around it may not: refuse unless the user says they know.
 */
function refuseUnsafeContext(inputs: ActionInputs, event: EventInfo): void {
  if (event.kind === 'pull_request_target' && !inputs.allowPullRequestTarget) {
    throw new Error(
      'Refusing to run under pull_request_target: it gives pull request content access to secrets. Use the pull_request event (fork pull requests are validated offline), or set allow-pull-request-target: true if this workflow runs no code from the pull request.'
    )
  }
}

function buildDeps(inputs: ActionInputs, event: EventInfo): ModeDeps {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd()
  const { owner, repo } = github.context.repo
  const serverUrl = process.env.GITHUB_SERVER_URL ?? 'https://github.com'
  const runId = process.env.GITHUB_RUN_ID
  const runUrl = runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined
  const credentials = inputs.credentials
  return {
    inputs,
    event,
    repo: { owner, repo },
    runUrl,
    now: () => new Date(),
    io: actionsIO(runUrl),
    readWorkspaceFiles: (pattern) => readAccessFiles(pattern, workspace),
    writeWorkspaceFile: async (path, text) => {
      const target = resolve(workspace, path)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, text)
    },
    cloudflare: credentials
      ? (accountId) =>
          createCloudflareClient({
            apiUrl: inputs.apiUrl,
            accountId,
            credentials,
            budget: {
              requests: inputs.requestBudget,
              windowMs: BUDGET_WINDOW_MS,
              source: 'input cloudflare-request-budget'
            },
            onRetry: (message) => core.info(message),
            onWait: (message) => core.info(message)
          })
      : undefined,
    github: inputs.githubToken
      ? createGitHubPort(
          createOctokit(inputs.githubToken, {
            baseUrl: process.env.GITHUB_API_URL,
            onWarning: (message) => core.warning(message)
          }),
          { owner, repo },
          {
            identityOctokit: createOctokit(inputs.githubToken, {
              baseUrl: process.env.GITHUB_API_URL,
              queue: 'identity',
              onWarning: (message) => core.warning(message)
            })
          }
        )
      : undefined
  }
}

function actionsIO(runUrl: string | undefined): ActionIO {
  return {
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    error: (message, location) =>
      core.error(
        message,
        location
          ? {
              file: location.file,
              startLine: location.line,
              startColumn: location.column,
              title: 'Access file'
            }
          : undefined
      ),
    appendSummary: async (markdown) => {
      if (!process.env.GITHUB_STEP_SUMMARY) return
      await core.summary.addRaw(markdown, true).write()
    },
    writePlanFile: async (plan: Plan) => {
      const path = join(process.env.RUNNER_TEMP ?? tmpdir(), 'cloudflare-access-plan.json')
      // Readable by the job's user only: the plan names every person with access. chmod covers a file left earlier.
      await writeFile(path, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 })
      await chmod(path, 0o600)
      return path
    },
    uploadPlanArtifact: (path) => uploadPlanArtifact(path, runUrl)
  }
}

/**
 * The plan file as a workflow artifact, not zipped (one JSON file, readable in the browser), through the results
 * service the runner gives every job (ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN). Named after the file.
 */
async function uploadPlanArtifact(path: string, runUrl: string | undefined): Promise<PlanArtifact> {
  // Loaded only here: @actions/artifact and what it brings (Azure storage, archiver) are most of the bundle, and a
  // run without upload-plan should not pay to compile them.
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const uploaded = await new DefaultArtifactClient().uploadArtifact(
    basename(path),
    [path],
    dirname(path),
    {
      skipArchive: true
    }
  )
  const name = basename(path)
  return uploaded.id !== undefined && runUrl
    ? { name, url: `${runUrl}/artifacts/${uploaded.id}` }
    : { name }
}
