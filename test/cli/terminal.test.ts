/**
 * The CLI as people run it: `npx cloudflare-access` (bin/cloudflare-access.js) in a real pseudo-terminal, through
 * util-linux `script`, and piped. A terminal gets colour and a progress line; a pipe gets exactly the report.
 */
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { colorEnabled } from '../../src/cli/terminal.js'
import { loadAccountSeed, startEmulator, type Emulator } from '../../src/emulator/index.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/cloudflare-access.js')
const TOKEN = 'demo-token-0123456789abcdef0123456789ab'
const ESC = '\u001b['

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({
    seed: loadAccountSeed(join(ROOT, 'examples/sample-account.yaml'))
  })
})
afterAll(() => emulator.close())

function planArgs(extra: string[] = []): string[] {
  return [
    'plan',
    '--config',
    'examples/cloudflare-access.yaml',
    '--api-url',
    emulator.url,
    ...extra
  ]
}

function run(
  command: string,
  args: string[],
  env: Record<string, string> = {}
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          CLOUDFLARE_API_TOKEN: TOKEN,
          ...env
        }
      },
      (error, stdout, stderr) =>
        done({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout,
          stderr
        })
    )
  })
}

/** `script` gives the command a pseudo-terminal for stdin, stdout and stderr, and copies what it printed. */
function inTerminal(args: string[], env: Record<string, string> = {}) {
  const command = [process.execPath, BIN, ...args].map((part) => `'${part}'`).join(' ')
  return run('script', ['-qec', command, '/dev/null'], env)
}

describe('the CLI in a terminal', () => {
  it('colours the plan and shows progress while it reads the account', async () => {
    const result = await inTerminal(planArgs())

    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(`${ESC}32m+  add     ivan@example.com`)
    expect(result.stdout).toContain(`${ESC}31m-  remove  mallory@example.org`)
    expect(result.stdout).toContain(`${ESC}1mPlan: 5 to add, 2 to remove.`)
    expect(result.stdout).toContain(`\r${ESC}2KReading the Cloudflare account… 5 requests, `)
  })

  it('honours NO_COLOR but still shows progress', async () => {
    const result = await inTerminal(planArgs(), { NO_COLOR: '1' })

    expect(result.stdout).not.toContain(`${ESC}3`)
    expect(result.stdout).toContain('Reading the Cloudflare account…')
    expect(result.stdout).toContain('Plan: 5 to add, 2 to remove.')
  })
})

describe('the CLI piped', () => {
  it('prints only the report: no colour, no progress', async () => {
    const result = await run(process.execPath, [BIN, ...planArgs()])

    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).not.toContain(ESC)
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('  +  add     ivan@example.com')
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('Plan: 5 to add, 2 to remove.')
  })

  it('npx cloudflare-access plan --json prints only JSON', async () => {
    const result = await run('npx', ['--no-install', 'cloudflare-access', ...planArgs(['--json'])])

    expect(result.code, result.stderr).toBe(0)
    const plan = JSON.parse(result.stdout) as { stats: { additions: number; removals: number } }
    expect(plan.stats).toMatchObject({ additions: 5, removals: 2 })
  })

  it('colours when FORCE_COLOR asks, even piped', async () => {
    const result = await run(process.execPath, [BIN, ...planArgs()], { FORCE_COLOR: '1' })

    expect(result.stdout).toContain(`${ESC}32m+  add     ivan@example.com`)
    expect(result.stderr).toBe('')
  })
})

describe('colorEnabled', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true]
  ])('env %o, stdout a terminal: %s -> %s', (env, stdoutIsTTY, expected) => {
    expect(colorEnabled({ env, stdoutIsTTY, stderrIsTTY: stdoutIsTTY })).toBe(expected)
  })
})
