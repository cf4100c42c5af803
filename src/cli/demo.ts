/**
 * `npm run demo`: the main job end to end against the built-in emulator. Starts the emulator with the sample account,
 * plans the example access file, applies it, plans again (no changes), and prints the access review.
 */
import { resolve } from 'node:path'
import { loadAccountSeed, startEmulator } from '../emulator/index.js'
import { runCli, type CliIO } from './commands.js'

const root = resolve(import.meta.dirname, '../..')
const seedFile = resolve(root, 'examples/sample-account.yaml')
const accessFile = 'examples/cloudflare-access.yaml'
// The sample account's demo token (examples/sample-account.yaml); it only opens the local emulator.
const DEMO_TOKEN = 'demo-token-0123456789abcdef0123456789ab'

const started = performance.now()
const emulator = await startEmulator({ seed: loadAccountSeed(seedFile) })
const io: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: { CLOUDFLARE_API_TOKEN: DEMO_TOKEN },
  cwd: root,
  now: () => new Date()
}
const common = ['--config', accessFile, '--api-url', emulator.url]

const steps: { title: string; args: string[]; expect: number }[] = [
  { title: 'Plan the example access file', args: ['plan', ...common], expect: 0 },
  { title: 'Apply it', args: ['apply', '--yes', ...common], expect: 0 },
  { title: 'Plan again: nothing left to change', args: ['plan', ...common], expect: 0 },
  { title: 'Access review', args: ['review', ...common], expect: 0 }
]

let failed = false
try {
  console.log(`Cloudflare emulator on ${emulator.url} with ${seedFile}\n`)
  for (const step of steps) {
    console.log(`\n=== ${step.title}: cloudflare-access ${step.args.join(' ')}\n`)
    const code = await runCli(step.args, io)
    if (code !== step.expect) {
      console.error(`Step "${step.title}" exited with ${code}, expected ${step.expect}.`)
      failed = true
      break
    }
  }
} finally {
  await emulator.close()
}
const writes = emulator.requests.filter((entry) => entry.method !== 'GET').length
console.log(
  `\nDemo ${failed ? 'FAILED' : 'done'} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${emulator.requests.length} API requests, ${writes} of them writes.`
)
process.exitCode = failed ? 1 : 0
