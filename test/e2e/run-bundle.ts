/** Runs the committed bundle the way a runner does: INPUT_* and GITHUB_* variables, an event file, output files. */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const BUNDLE = resolve(import.meta.dirname, '../../dist/index.js')
/**
 * The Node.js that runs the bundle: this process's own, or BUNDLE_NODE (`npm run test:node24` points it at the
 * Node 24 that GitHub's runners use, fetched by scripts/node24.mjs).
 */
export const BUNDLE_NODE = process.env.BUNDLE_NODE
  ? resolve(process.env.BUNDLE_NODE)
  : process.execPath

export interface BundleRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

export interface BundleOptions {
  inputs: Record<string, string>
  eventName: string
  payload: unknown
  /** Written as the event file instead of `payload` as JSON: a payload that is not JSON at all. */
  rawPayload?: string
  workspace: string
  githubApiUrl: string
  sha: string
  ref: string
  repository?: string
  /** Runs the bundle with its clock starting at this instant (ISO 8601), see fixed-clock.mjs. */
  now?: string
  /** Runs every timer of the bundle after a thousandth of its delay (retry waits), see fast-waits.mjs. */
  fastWaits?: boolean
  /** More environment for the bundle's process (e.g. NODE_OPTIONS for the benchmark's probes). */
  env?: Record<string, string>
  /** More options for Node itself, before the bundle (e.g. --cpu-prof, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[]
}

export async function runBundle(options: BundleOptions): Promise<BundleRun> {
  const temp = await mkdtemp(join(tmpdir(), 'bundle-run-'))
  const eventPath = join(temp, 'event.json')
  const outputPath = join(temp, 'output.txt')
  const summaryPath = join(temp, 'summary.md')
  await writeFile(eventPath, options.rawPayload ?? JSON.stringify(options.payload))
  await writeFile(outputPath, '')
  await writeFile(summaryPath, '')

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: options.repository ?? 'acme/access',
    GITHUB_SHA: options.sha,
    GITHUB_REF: options.ref,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_API_URL: options.githubApiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    RUNNER_TEMP: temp,
    ...options.env
  }
  const args = [...(options.nodeArgs ?? []), BUNDLE]
  if (options.now) {
    env.E2E_NOW = options.now
    args.unshift('--import', pathToFileURL(resolve(import.meta.dirname, 'fixed-clock.mjs')).href)
  }
  if (options.fastWaits) {
    args.unshift('--import', pathToFileURL(resolve(import.meta.dirname, 'fast-waits.mjs')).href)
  }
  for (const [name, value] of Object.entries(options.inputs)) {
    // core.getInput keeps hyphens: INPUT_GITHUB-TOKEN, which only an env object (not a shell) can set.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }

  const { exitCode, stdout, stderr } = await new Promise<{
    exitCode: number
    stdout: string
    stderr: string
  }>((done) => {
    execFile(BUNDLE_NODE, args, { env, cwd: options.workspace }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      done({ exitCode: code, stdout, stderr })
    })
  })
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputPath, 'utf8')),
    summary: await readFile(summaryPath, 'utf8')
  }
}

/** GITHUB_OUTPUT holds `name<<delimiter\nvalue\ndelimiter` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[index])
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (index++; index < lines.length && lines[index] !== delimiter; index++)
      value.push(lines[index])
    outputs[name] = value.join('\n')
  }
  return outputs
}
