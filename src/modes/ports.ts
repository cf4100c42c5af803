/** What the modes need from the outside world. run() wires the real ones; tests pass fakes. */
import type { ActionInputs } from '../action/inputs.js'
import type { CloudflareClient } from '../cloudflare/index.js'
import type { EventInfo, GitHubPort, RepoRef } from '../github/index.js'
import type { AccessFileText, Plan, PlanReportInput, SourceLocation } from '../model/index.js'

/** The runner: logs, annotations, the job summary and the plan file. */
export interface ActionIO {
  info(message: string): void
  warning(message: string): void
  /** An error annotation, on a file and line when known. */
  error(message: string, location?: SourceLocation): void
  /** How many access-file errors to annotate before pointing at the summary; default 10, as GitHub shows per step. */
  annotationLimit?: number
  appendSummary(markdown: string): Promise<void>
  /** plan: what its summary and comment are rendered from, for an IO that shows it its own way (the terminal). */
  showPlanReport?(report: PlanReportInput): void
  /** Writes the plan as JSON and returns the path. */
  writePlanFile(plan: Plan): Promise<string>
  /** Uploads the plan file written by writePlanFile as a workflow artifact (upload-plan). */
  uploadPlanArtifact(path: string): Promise<PlanArtifact>
}

/** An uploaded plan: its artifact name, and its page when GitHub answered with an id. */
export interface PlanArtifact {
  name: string
  url?: string
}

export interface ModeDeps {
  inputs: ActionInputs
  event: EventInfo
  repo: RepoRef
  runUrl?: string
  now: () => Date
  io: ActionIO
  /** Reads the access file(s) from the checked-out workspace. */
  readWorkspaceFiles(pattern: string): Promise<AccessFileText[]>
  /** Writes a file into the workspace (export). */
  writeWorkspaceFile(path: string, text: string): Promise<void>
  /** Connects to the account; absent when no Cloudflare credentials were given. */
  cloudflare?: (accountId: string) => CloudflareClient
  /** Absent when no GitHub token was given. */
  github?: GitHubPort
  /** How a message names an input to whoever runs this (the CLI names its flags); default `the <name> input`. */
  inputName?: (input: string) => string
}

/** Every output, as strings: run() sets all of them on every path. */
export interface ActionOutputs {
  'has-changes': string
  additions: string
  removals: string
  'plan-file': string
  'comment-id': string
  'issue-number': string
  applied: string
  failed: string
}

export interface ModeResult {
  outputs: Partial<ActionOutputs>
  /** Set when the step must fail: the message for core.setFailed. */
  failure?: string
}

export const EMPTY_OUTPUTS: ActionOutputs = {
  'has-changes': 'false',
  additions: '0',
  removals: '0',
  'plan-file': '',
  'comment-id': '',
  'issue-number': '',
  applied: '0',
  failed: '0'
}
