import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'

const CLI = 'src/emulator/cli.ts'
let child: ChildProcessWithoutNullStreams | undefined

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGTERM')
  child = undefined
})

function run(args: string[]): ChildProcessWithoutNullStreams {
  child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: process.cwd() })
  return child
}

function outputUntil(proc: ChildProcessWithoutNullStreams, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes(marker)) resolve(out)
    })
    proc.on('exit', (code) =>
      reject(new Error(`CLI exited with ${code} before "${marker}": ${out}`))
    )
  })
}

function exitOf(
  proc: ChildProcessWithoutNullStreams
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = ''
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    proc.on('exit', (code) => resolve({ code, stderr }))
  })
}

describe('emulator CLI', () => {
  it('serves the sample account, prints the URL and credentials, and stops on SIGTERM', async () => {
    const proc = run(['--port', '0'])
    const out = await outputUntil(proc, 'Press Ctrl-C to stop.')
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/client\/v4)/.exec(out)?.[1]
    expect(url).toBeDefined()
    expect(out).toContain(
      'Seed: examples/sample-account.yaml (account def0b17f603285ef4336f6e3e3dcd43c)'
    )
    expect(out).toContain('6 Access groups, 9 members, 8 roles, 12 Zero Trust users')
    expect(out).toContain('token demo-token-0123456789abcdef0123456789ab')
    expect(out).toContain('X-Auth-Email: owner@example.com')
    const answer = await fetch(`${url}/accounts/def0b17f603285ef4336f6e3e3dcd43c/access/groups`, {
      headers: { authorization: 'Bearer demo-token-0123456789abcdef0123456789ab' }
    })
    expect(answer.status).toBe(200)
    const body = (await answer.json()) as { result: { name: string }[] }
    expect(body.result.map((g) => g.name)).toEqual([
      'Engineering',
      'Contractors',
      'SRE On-Call',
      'Finance',
      'Legacy VPN',
      'Legacy VPN'
    ])
    const exited = exitOf(proc)
    proc.kill('SIGTERM')
    expect((await exited).code).toBe(0)
  })

  it('started through npm, stops with the npm process: nothing is left serving', async () => {
    // npm runs scripts through `sh -c`; unless the script execs, a SIGTERM to npm kills only the shell and the
    // emulator is orphaned, still holding its port.
    child = spawn('npm', ['run', '--silent', 'emulator', '--', '--port', '0'], {
      cwd: process.cwd()
    })
    const out = await outputUntil(child, 'Press Ctrl-C to stop.')
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/client\/v4)/.exec(out)![1]!
    const exited = exitOf(child)
    child.kill('SIGTERM')
    await exited
    await expect(fetch(url)).rejects.toThrow()
  })

  it('explains a missing seed file and exits 1', async () => {
    const proc = run(['--port', '0', '--seed', 'examples/no-such-seed.yaml'])
    const { code, stderr } = await exitOf(proc)
    expect(code).toBe(1)
    expect(stderr.trim()).toBe('Cannot read account seed examples/no-such-seed.yaml: no such file.')
  })

  it('explains a bad flag value and exits 1', async () => {
    const proc = run(['--latency-ms', 'slow'])
    const { code, stderr } = await exitOf(proc)
    expect(code).toBe(1)
    expect(stderr).toContain('--latency-ms must be a whole number, got "slow".')
  })
})
