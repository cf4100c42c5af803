/**
 * The demo's steps, as a function the demo script and its test share: starts the emulator with the sample account,
 * plans the example access file (group changes with the applications they open, role grants, a revocation, an
 * invitation, a policy-managed member left alone), applies it, plans again (no changes), and prints the access review.
 * Then a just-in-time grant: the file as a request's pull request edits it (carol in Legacy VPN for 4 hours) is
 * applied, and with the clock past its end, `apply --expired-only` (the expire mode) removes exactly that grant.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { loadAccountSeed, startEmulator } from '../emulator/index.js'
import { addGrantToAccessFile } from '../request/edit-access-file.js'
import { runCli, type CliIO } from './commands.js'

export const DEMO_ROOT = resolve(import.meta.dirname, '../..')
export const DEMO_SEED_FILE = resolve(DEMO_ROOT, 'examples/sample-account.yaml')
const ACCESS_FILE = 'examples/cloudflare-access.yaml'
// The sample account's demo token (examples/sample-account.yaml); it only opens the local emulator.
const DEMO_TOKEN = 'demo-token-0123456789abcdef0123456789ab'

/** The demo's request: how long the grant lasts. */
const GRANT_HOURS = 4

export interface DemoStep {
  title: string
  args: string[]
  /** The Cloudflare requests the step made, as "GET /accounts/ID/members?page=1&per_page=50". */
  requests: string[]
}

export interface DemoResult {
  failed: boolean
  steps: DemoStep[]
}

export async function runDemo(options: {
  out: (text: string) => void
  err: (text: string) => void
  now: () => Date
}): Promise<DemoResult> {
  const emulator = await startEmulator({ seed: loadAccountSeed(DEMO_SEED_FILE) })
  const io: CliIO = {
    out: options.out,
    err: (text) => options.err(text.endsWith('\n') ? text : `${text}\n`),
    env: { CLOUDFLARE_API_TOKEN: DEMO_TOKEN },
    cwd: DEMO_ROOT,
    now: options.now
  }
  const common = ['--config', ACCESS_FILE, '--api-url', emulator.url]
  // The request's grant, written as the request pull request writes it, in a copy of the repository's file.
  const start = Math.floor(options.now().getTime() / 60_000) * 60_000
  const end = new Date(start + GRANT_HOURS * 3_600_000).toISOString().replace('.000Z', 'Z')
  const requestRoot = mkdtempSync(join(tmpdir(), 'cloudflare-access-demo-'))
  mkdirSync(dirname(join(requestRoot, ACCESS_FILE)), { recursive: true })
  writeFileSync(
    join(requestRoot, ACCESS_FILE),
    addGrantToAccessFile(readFileSync(join(DEMO_ROOT, ACCESS_FILE), 'utf8'), {
      kind: 'group',
      name: 'Legacy VPN',
      email: 'carol@example.com',
      expires: end,
      reason: 'INC-42 customer escalation (request #1)'
    })
  )
  const afterEnd = () => new Date(Date.parse(end) + 60_000)
  const plan: { title: string; args: string[]; cwd?: string; now?: () => Date }[] = [
    { title: 'Plan the example access file', args: ['plan', ...common] },
    { title: 'Apply it', args: ['apply', '--yes', ...common] },
    { title: 'Plan again: nothing left to change', args: ['plan', ...common] },
    { title: 'Access review', args: ['review', ...common] },
    {
      title: `Just-in-time: the approved request gives carol@example.com Legacy VPN until ${end}`,
      args: ['apply', '--yes', ...common],
      cwd: requestRoot
    },
    {
      title: `${GRANT_HOURS} hours later: expire removes the ended grant, and only it`,
      args: ['apply', '--yes', '--expired-only', ...common],
      cwd: requestRoot,
      now: afterEnd
    }
  ]
  const steps: DemoStep[] = []
  let failed = false
  try {
    options.out(`Cloudflare emulator on ${emulator.url} with ${DEMO_SEED_FILE}\n\n`)
    for (const step of plan) {
      options.out(`\n=== ${step.title}: cloudflare-access ${step.args.join(' ')}\n\n`)
      const before = emulator.requests.length
      const code = await runCli(step.args, {
        ...io,
        cwd: step.cwd ?? io.cwd,
        now: step.now ?? io.now
      })
      const made = emulator.requests.slice(before).map((entry) => {
        const query = new URLSearchParams(entry.query).toString()
        return `${entry.method} ${entry.path.replace(/^\/client\/v4/, '')}${query ? `?${query}` : ''}`
      })
      steps.push({ title: step.title, args: step.args, requests: made })
      if (code !== 0) {
        options.err(`Step "${step.title}" exited with ${code}, expected 0.\n`)
        failed = true
        break
      }
    }
  } finally {
    await emulator.close()
    rmSync(requestRoot, { recursive: true, force: true })
  }
  return { failed, steps }
}
