/**
 * Standalone Cloudflare API emulator:
 *   npm run emulator -- [--port 8787] [--seed examples/sample-account.yaml] [--latency-ms 0]
 * Prints the base URL and the seed's credentials, then serves until Ctrl-C.
 */
import { parseArgs } from 'node:util'
import { loadAccountSeed, startEmulator, type Emulator } from './index.js'

const USAGE =
  'Usage: npm run emulator -- [--port 8787] [--seed examples/sample-account.yaml] [--latency-ms 0]'

function parseNonNegativeInteger(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) {
    throw new Error(`--${flag} must be a whole number, got "${value}".\n${USAGE}`)
  }
  return Number(value)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      seed: { type: 'string', default: 'examples/sample-account.yaml' },
      'latency-ms': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const port = parseNonNegativeInteger('port', values.port)
  const latencyMs = parseNonNegativeInteger('latency-ms', values['latency-ms'])
  const seed = loadAccountSeed(values.seed)
  let emulator: Emulator
  try {
    emulator = await startEmulator({ seed, port, latencyMs })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${port} is already in use; pick another with --port.`)
    }
    throw error
  }
  const { state } = emulator
  console.log(`Cloudflare API emulator listening on ${emulator.url}`)
  console.log(`Seed: ${values.seed} (account ${state.accountId})`)
  console.log(
    `  ${state.groups.length} Access groups, ${state.members.length} members, ${state.roles.length} roles, ${state.users.length} Zero Trust users`
  )
  console.log('Credentials:')
  for (const token of state.credentials.tokens) {
    console.log(`  token ${token.value}  (${token.status}; ${token.scopes.join(', ')})`)
  }
  for (const key of state.credentials.keys) {
    console.log(`  key   X-Auth-Email: ${key.email}  X-Auth-Key: ${key.key}`)
  }
  console.log('Try:')
  const demo = state.credentials.tokens.find((t) => t.status === 'active')
  if (demo) {
    console.log(
      `  curl -s -H "Authorization: Bearer ${demo.value}" ${emulator.url}/accounts/${state.accountId}/access/groups`
    )
  }
  console.log('Press Ctrl-C to stop.')
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})
