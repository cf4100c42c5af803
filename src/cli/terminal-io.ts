/**
 * The ports the modes run on, for a terminal: the same ModeDeps the Action wires in main.ts, with an ActionIO that
 * prints to stderr. The report itself (stdout) is the CLI's text rendering of what the mode computed, so the job
 * summary has nowhere to go and the log lines stay out of piped output.
 */
import { readAccessFiles } from '../config/index.js'
import { createCloudflareClient, type CloudflareClient } from '../cloudflare/index.js'
import type { ActionInputs } from '../action/inputs.js'
import type { ActionIO, ModeDeps } from '../modes/ports.js'
import type { Colors, Progress } from './terminal.js'

/** How the CLI names the cloudflare-account-id input in the errors the modes report. */
export const ACCOUNT_ID_FLAG = '--account-id'

/** The CLI flags of the Action's inputs whose names differ; the others have a flag of the same name. */
const FLAGS: Record<string, string> = {
  'cloudflare-account-id': ACCOUNT_ID_FLAG,
  'cloudflare-api-url': '--api-url'
}

/** Errors and warnings to stderr, an access-file error as `file:line:column: message`; info lines are not shown. */
export function terminalIO(err: (text: string) => void, colors: Colors): ActionIO {
  return {
    info: () => undefined,
    warning: (message) => err(colors.yellow(`warning: ${message}`)),
    error: (message, location) =>
      err(location ? `${location.file}:${location.line}:${location.column}: ${message}` : message),
    // A terminal shows every error of the file: there is no job summary to point at.
    annotationLimit: Number.POSITIVE_INFINITY,
    appendSummary: async () => undefined,
    writePlanFile: async () => '',
    uploadPlanArtifact: async () => {
      throw new Error('The CLI uploads no workflow artifact; plan --json prints the whole plan.')
    }
  }
}

/** A terminal run: no GitHub event, no GitHub token; the access file(s) are read from the working directory. */
export function terminalDeps(options: {
  inputs: ActionInputs
  cwd: string
  now: () => Date
  io: ActionIO
  colors: Colors
  progress: Progress
  err: (text: string) => void
  /** Where export's file goes: a file, or stdout. */
  writeWorkspaceFile?: ModeDeps['writeWorkspaceFile']
}): ModeDeps {
  const { inputs, colors, progress, err } = options
  const credentials = inputs.credentials
  return {
    inputs,
    event: { kind: 'other', name: 'terminal', isFork: false },
    repo: { owner: '', repo: '' },
    now: options.now,
    io: options.io,
    inputName: (input) => FLAGS[input] ?? `--${input}`,
    readWorkspaceFiles: (pattern) => readAccessFiles(pattern, options.cwd),
    writeWorkspaceFile:
      options.writeWorkspaceFile ??
      (async () => {
        throw new Error('Only export writes a file.')
      }),
    cloudflare: credentials
      ? (accountId) =>
          withProgress(
            createCloudflareClient({
              apiUrl: inputs.apiUrl,
              accountId,
              credentials,
              onRetry: (message) => err(colors.yellow(message)),
              onWait: (message) => err(colors.yellow(message))
            }),
            progress
          )
      : undefined
  }
}

/** The client, with a progress line (on a terminal) while the account is read. */
function withProgress(client: CloudflareClient, progress: Progress): CloudflareClient {
  const tracked = Object.create(client) as CloudflareClient
  tracked.readAccountSnapshot = () =>
    progress.track(
      'Reading the Cloudflare account',
      () => client.requestCount,
      client.readAccountSnapshot()
    )
  return tracked
}
