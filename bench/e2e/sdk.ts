/**
 * The official `cloudflare` npm SDK (a devDependency used only here) side by side with this Action's client: both
 * list the same four collections (Access groups, Zero Trust users, account members, account roles) of the benchmark's
 * accounts on the same emulator with the same latency, at the largest page size each list takes. Prints requests,
 * read time, the SDK's import time, and the ratios to ours. `npm run bench:e2e` calls it once; alone:
 * `npx tsx bench/e2e/sdk.ts [latency ms]`.
 */
import { execFileSync } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { createCloudflareClient, PAGE_SIZES } from '../../src/cloudflare/client.js'
import { startEmulator } from '../../src/emulator/index.js'
import { BENCH_ACCOUNT_ID, BENCH_TOKEN, SIZES, benchSeed, type BenchSize } from './account.js'

interface Side {
  requests: number
  readMs: number
}

export interface SdkBenchRow {
  size: BenchSize
  ours: Side
  sdk: Side
}

export interface SdkBenchResult {
  latencyMs: number
  sdkVersion: string
  /** Median wall of `import('cloudflare')` in a fresh Node, less Node's own start. */
  sdkImportMs: number
  rows: SdkBenchRow[]
  markdown: string
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function nodeWallMs(script: string): number {
  return median(
    Array.from({ length: 5 }, () => {
      const start = performance.now()
      execFileSync(process.execPath, ['--input-type=module', '-e', script])
      return performance.now() - start
    })
  )
}

async function ours(url: string): Promise<void> {
  const client = createCloudflareClient({
    apiUrl: url,
    accountId: BENCH_ACCOUNT_ID,
    credentials: { kind: 'token', token: BENCH_TOKEN }
  })
  await client.readAccountSnapshot()
}

async function sdk(url: string): Promise<void> {
  const { default: Cloudflare } = await import('cloudflare')
  const client = new Cloudflare({
    apiToken: BENCH_TOKEN,
    apiKey: null,
    apiEmail: null,
    baseURL: url,
    // A 429 here would be the benchmark's fault: fail rather than wait.
    maxRetries: 0
  })
  const account_id = BENCH_ACCOUNT_ID
  const drain = async (pages: AsyncIterable<unknown>): Promise<number> => {
    let n = 0
    for await (const _ of pages) n++
    return n
  }
  // The same four lists, concurrently, each at the largest page size it takes (auto-pagination walks the pages).
  await Promise.all([
    drain(
      client.zeroTrust.access.groups.list({ account_id, per_page: PAGE_SIZES.groups } as never)
    ),
    drain(client.zeroTrust.access.users.list({ account_id, per_page: PAGE_SIZES.users } as never)),
    drain(client.accounts.members.list({ account_id, per_page: PAGE_SIZES.members } as never)),
    drain(client.accounts.roles.list({ account_id, per_page: PAGE_SIZES.roles } as never))
  ])
}

async function measure(
  size: BenchSize,
  latencyMs: number,
  read: (url: string) => Promise<void>
): Promise<Side> {
  const emulator = await startEmulator({ seed: benchSeed(size), latencyMs })
  try {
    const start = performance.now()
    await read(emulator.url)
    const readMs = performance.now() - start
    if (emulator.requests.some((r) => r.status !== 200)) {
      throw new Error(
        `${size.name}: a request was not answered 200 (${emulator.requests.find((r) => r.status !== 200)?.status})`
      )
    }
    return { requests: emulator.requests.length, readMs }
  } finally {
    await emulator.close()
  }
}

export async function sdkBenchmark(
  latencyMs = 20,
  sizes: readonly BenchSize[] = SIZES
): Promise<SdkBenchResult> {
  const { VERSION: sdkVersion } = await import('cloudflare/version')
  const sdkImportMs = Math.max(0, nodeWallMs("await import('cloudflare')") - nodeWallMs('0'))
  // Warm both paths once (module load, JIT) so the rows compare reads, not first calls.
  await measure(sizes[0]!, 0, ours)
  await measure(sizes[0]!, 0, sdk)
  const rows: SdkBenchRow[] = []
  for (const size of sizes) {
    rows.push({
      size,
      ours: await measure(size, latencyMs, ours),
      sdk: await measure(size, latencyMs, sdk)
    })
  }
  const result = { latencyMs, sdkVersion, sdkImportMs, rows }
  return { ...result, markdown: section(result) }
}

const ms = (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`

function section(r: Omit<SdkBenchResult, 'markdown'>): string {
  const rows = r.rows.map((row) =>
    [
      `${row.size.name}, ${r.latencyMs} ms`,
      `${row.ours.requests} / ${row.sdk.requests}`,
      (row.sdk.requests / row.ours.requests).toFixed(2),
      `${ms(row.ours.readMs)} / ${ms(row.sdk.readMs)}`,
      (row.sdk.readMs / row.ours.readMs).toFixed(2)
    ].join(' | ')
  )
  return `## The official SDK side by side

The official \`cloudflare\` npm SDK ${r.sdkVersion} (a devDependency of the benchmark only) and this Action's client
list the same four collections (Access groups, Zero Trust users, account members, account roles) of the
${r.rows.map((row) => row.size.name).join(', ')} accounts on the same emulator at ${r.latencyMs} ms per response, concurrently, each list at its largest page size
(groups and users 1,000, members and roles 50). This client reads a list's first page, then all the others at once,
and never a page past the end; the SDK's auto-pagination walks the pages one after another and stops only on an
empty page, one request past the end of every list.

| size, latency | requests: ours / SDK | SDK / ours | read time: ours / SDK | SDK / ours |
|---|---|---|---|---|
${rows.map((row) => `| ${row} |`).join('\n')}

- Import: \`import('cloudflare')\` costs ${ms(r.sdkImportMs)} in a fresh Node (median of 5, less Node's own start),
  before the SDK sends a request; this Action's client is part of its bundle.
- Read time: in this process, from the first call to the last list's end, after one warm-up of each.
`
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await sdkBenchmark(process.argv[2] ? Number(process.argv[2]) : 20)
  console.log(result.markdown)
}
