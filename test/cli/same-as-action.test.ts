/**
 * The CLI and the Action read the same settings through the same code (readInputs' checks, loadDesiredState, the
 * modes' planWorkspace): each case below runs both sides and expects the same answer.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { readInputs } from '../../src/action/inputs.js'
import { runCli, type CliIO } from '../../src/cli/commands.js'
import { parseAccessFiles } from '../../src/config/index.js'
import { loadAccountSeed, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { loadDesiredState } from '../../src/modes/common.js'
import type { ActionIO } from '../../src/modes/ports.js'

const ROOT = resolve(import.meta.dirname, '../..')
const SEED = loadAccountSeed(join(ROOT, 'examples/sample-account.yaml'))
const TOKEN = 'demo-token-0123456789abcdef0123456789ab'
const ACCOUNT = 'def0b17f603285ef4336f6e3e3dcd43c'
const FILE = 'examples/cloudflare-access.yaml'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
})
afterAll(() => emulator.close())
beforeEach(() => emulator.reset())

async function cli(args: string[], apiUrl = emulator.url) {
  let out = ''
  let err = ''
  const io: CliIO = {
    out: (text) => (out += text),
    err: (text) => (err += text.endsWith('\n') ? text : `${text}\n`),
    env: { CLOUDFLARE_API_TOKEN: TOKEN },
    cwd: ROOT,
    now: () => new Date('2026-11-29T12:00:00Z')
  }
  const code = await runCli([...args, '--config', FILE, '--api-url', apiUrl], io)
  return { code, out, err }
}

/** The Action's side: its inputs read by readInputs, its file checked by loadDesiredState as every mode does. */
async function action(inputs: Record<string, string>) {
  const errors: string[] = []
  const io = { error: (message: string) => errors.push(message) } as unknown as ActionIO
  try {
    const read = readInputs((name) => inputs[name] ?? '')
    const text = await readFile(join(ROOT, FILE), 'utf8')
    const loaded = loadDesiredState([{ path: FILE, text }], read, io)
    return { ok: loaded.ok, errors, accountId: read.accountId }
  } catch (error) {
    return { ok: false, errors: [(error as Error).message], accountId: undefined }
  }
}

describe('the CLI and the Action agree', () => {
  it('an upper-case account id is the file’s account on both sides', async () => {
    const upper = ACCOUNT.toUpperCase()
    expect(await action({ 'cloudflare-account-id': upper })).toEqual({
      ok: true,
      errors: [],
      accountId: ACCOUNT
    })
    const planned = await cli(['plan', '--account-id', upper])
    expect(planned.code, planned.err).toBe(0)
    expect(planned.err).toBe('')
    expect(planned.out).toContain('Plan: 5 to add, 2 to remove.')
  })

  it('another account is the same conflict on both sides, each naming its own setting', async () => {
    const other = 'f'.repeat(32)
    const conflict = (name: string) =>
      `account_id ${ACCOUNT} in the access file conflicts with ${name} ${other}. Remove one or make them agree.`
    expect((await action({ 'cloudflare-account-id': other })).errors).toEqual([
      conflict('the cloudflare-account-id input')
    ])
    const planned = await cli(['plan', '--account-id', other])
    expect(planned.code).toBe(1)
    expect(planned.err).toContain(`${FILE}:1:1: ${conflict('--account-id')}`)
    expect(emulator.requests).toEqual([])
  })

  it('an account id that is not 32 hex digits is refused on both sides before anything is read', async () => {
    const hint =
      'must be the 32-character hexadecimal account id (Cloudflare dashboard → Account home → Account ID).'
    expect((await action({ 'cloudflare-account-id': 'acme-prod' })).errors).toEqual([
      `Invalid inputs:\n- Input cloudflare-account-id ${hint}`
    ])
    const planned = await cli(['plan', '--account-id', 'acme-prod'])
    expect(planned.code).toBe(2)
    expect(planned.err).toContain(`--account-id ${hint}`)
    expect(emulator.requests).toEqual([])
  })

  it('a plain-http API URL to another machine is refused on both sides: the token would travel unencrypted', async () => {
    const url = 'http://api.example.com/client/v4'
    const rule = `must use https (http is allowed only to a loopback address such as 127.0.0.1, ::1 or localhost, for an emulator), not "${url}".`
    expect((await action({ 'cloudflare-api-url': url })).errors).toEqual([
      `Invalid inputs:\n- Input cloudflare-api-url ${rule}`
    ])
    const planned = await cli(['plan'], url)
    expect(planned.code).toBe(2)
    expect(planned.err).toContain(`--api-url ${rule}`)
    expect(emulator.requests).toEqual([])
  })

  it('export is the export mode: the file it writes goes to stdout, read with one token check and the account', async () => {
    const exported = await cli(['export', '--account-id', ACCOUNT.toUpperCase()])
    expect(exported.code, exported.err).toBe(0)
    expect(exported.err).toBe('')
    const parsed = parseAccessFiles([{ path: 'exported.yaml', text: exported.out }])
    expect(parsed.ok && parsed.desired.accountId).toBe(ACCOUNT)
    expect(emulator.requests.map((entry) => entry.path)[0]).toBe('/client/v4/user/tokens/verify')
    expect(emulator.requests.filter((entry) => entry.method !== 'GET')).toEqual([])
  })
})
