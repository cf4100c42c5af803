/**
 * End-to-end benchmark: the committed bundle (dist/index.js) planning a pull request as a runner runs it, against the
 * Cloudflare emulator with injected per-response latency and the loopback GitHub fake, for the S, M and L accounts
 * of bench/e2e/account.ts at 0, 20 and 100 ms. One run per scenario (run it again to see the spread).
 *
 *   npm run bench:e2e [-- --sizes S,M --latencies 0,20 --write --trace]
 *
 * `--write` replaces BENCHMARKS.md with the table, the machine, the date and the commit; `--trace` prints every request
 * of each run with its arrival and answer times. Build the bundle first
 * (`npm run bundle`) when measuring a change that is not committed.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, totalmem, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { startEmulator } from '../../src/emulator/index.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub } from '../../test/support/fake-github.js'
import { skeletonOf } from '../../test/support/github-contract.js'
import { BUNDLE_NODE, runBundle } from '../../test/e2e/run-bundle.js'
import {
  BENCH_TOKEN,
  SIZES,
  benchAccessFiles,
  benchSeed,
  planRequests,
  type BenchSize
} from './account.js'
import { busyTime, extent, longestQuietGap, recordSpans } from './timeline.js'
import { applyBenchmark } from './apply.js'
import { sdkBenchmark } from './sdk.js'

const ROOT = resolve(import.meta.dirname, '../..')
const PROBE = pathToFileURL(resolve(import.meta.dirname, 'peak-rss.mjs')).href
const BASE_SHA = '1111111111111111111111111111111111111111'
const HEAD_SHA = '2222222222222222222222222222222222222222'
/** Cloudflare's per-IP limit: no client may read faster than this, whatever its concurrency. */
const CLOUDFLARE_REQUESTS_PER_SECOND = 200

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'S,M,L' },
    latencies: { type: 'string', default: '0,20,100' },
    write: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    profile: { type: 'string' }
  }
})
const sizes = values.sizes.split(',').map((name) => {
  const size = SIZES.find((s) => s.name === name.trim().toUpperCase())
  if (!size) throw new Error(`--sizes: unknown size "${name}" (S, M or L)`)
  return size
})
const latencies = values.latencies.split(',').map((text) => {
  const ms = Number(text)
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`--latencies: "${text}" is not whole ms`)
  return ms
})

interface Result {
  size: BenchSize
  latencyMs: number
  wallMs: number
  readsMs: number
  readFloorMs: number
  requests: number
  minimumRequests: number
  githubMs: number
  githubRequests: number
  quietGapMs: number
  cpuMs: number
  peakRssMb: number
  floorMs: number
  phases: Phases
}

/**
 * Where the bundle's wall time went, in ms, from its own phase marks (src/model/phases.ts) read by the probe: start is
 * Node's start plus loading the bundle (until run() begins), exit is from run()'s end to the process's exit. GitHub is
 * the time a request to the GitHub fake was in flight. Phases that overlap (reads during the base plan) both count.
 */
interface Phases {
  start: number
  fileParse: number
  reads: number
  plan: number
  basePlan: number
  render: number
  github: number
  outputs: number
  exit: number
}

interface Probe {
  maxRssKb: number
  cpuMs: number
  exitMs: number
  phases: { covered: Record<string, number>; first: Record<string, number> }
}

function phasesOf(probe: Probe, githubBusyMs: number): Phases {
  const { covered, first } = probe.phases
  const runStart = first['run'] ?? 0
  return {
    start: runStart,
    fileParse: covered['file parse'] ?? 0,
    reads: covered['reads'] ?? 0,
    plan: covered['plan'] ?? 0,
    basePlan: covered['base plan'] ?? 0,
    render: covered['render'] ?? 0,
    github: githubBusyMs,
    outputs: covered['outputs'] ?? 0,
    exit: probe.exitMs - runStart - (covered['run'] ?? 0)
  }
}

/** The fewest requests that read the account (planRequests), and the round trips they need at the least. */
function minimumReads(size: BenchSize): { requests: number; roundTrips: number } {
  const perList = [...planRequests(size).values()]
  // A list's first page says how many follow, then the rest can go together; the lists and the check are independent.
  return {
    requests: perList.reduce((a, b) => a + b, 0),
    roundTrips: perList.some((n) => n > 1) ? 2 : 1
  }
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

/** Wall time of the runtime starting and exiting with nothing to do. */
function nodeStartMs(): number {
  return median(
    Array.from({ length: 5 }, () => {
      const start = performance.now()
      execFileSync(BUNDLE_NODE, ['-e', '0'])
      return performance.now() - start
    })
  )
}

async function runScenario(size: BenchSize, latencyMs: number, startMs: number): Promise<Result> {
  const emulator = await startEmulator({ seed: benchSeed(size), latencyMs })
  const github = await startFakeGitHub()
  const workspace = await mkdtemp(join(tmpdir(), 'bench-e2e-'))
  try {
    github.state.addPullRequest({ number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA })
    for (const [path, text] of benchAccessFiles(size, 'base')) {
      github.state.addFile(BASE_SHA, path, text)
    }
    await mkdir(join(workspace, 'access'))
    for (const [path, text] of benchAccessFiles(size, 'head')) {
      await writeFile(join(workspace, path), text)
    }
    const probeFile = join(workspace, 'probe.json')
    const cloudflareSpans = recordSpans(emulator.requests)
    const githubSpans = recordSpans(github.requests)

    const start = performance.now()
    const run = await runBundle({
      workspace,
      githubApiUrl: github.url,
      sha: HEAD_SHA,
      ref: 'refs/pull/7/merge',
      eventName: 'pull_request',
      payload: {
        action: 'synchronize',
        number: 7,
        repository: { full_name: 'acme/access', default_branch: 'main', name: 'access' },
        pull_request: {
          number: 7,
          user: { login: 'alice' },
          head: { sha: HEAD_SHA, ref: 'change-access', repo: { full_name: 'acme/access' } },
          base: { sha: BASE_SHA, ref: 'main', repo: { full_name: 'acme/access' } }
        }
      },
      inputs: {
        config: 'access/*.yaml',
        'cloudflare-api-token': BENCH_TOKEN,
        'cloudflare-api-url': emulator.url,
        'github-token': FAKE_ACTIONS_TOKEN
      },
      env: { NODE_OPTIONS: `--import=${PROBE}`, BENCH_PROBE_FILE: probeFile },
      nodeArgs: profileDir
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${profileDir}`,
            `--cpu-prof-name=${size.name}-${latencyMs}ms.cpuprofile`
          ]
        : []
    })
    const wallMs = performance.now() - start
    if (values.trace) {
      // Every request on both servers, in ms since the spawn: where the quiet gaps are, and what waits on what.
      const lines = [
        ...emulator.requests.map((r, i) => ({
          span: cloudflareSpans[i]!,
          what: `Cloudflare ${r.method} ${r.path}`
        })),
        ...github.requests.map((r, i) => ({
          span: githubSpans[i]!,
          what: `GitHub ${r.method} ${r.path} ${r.status}`
        }))
      ].sort((a, b) => a.span.start - b.span.start)
      for (const { span, what } of lines) {
        console.log(
          `  ${Math.round(span.start - start)}..${Math.round(span.end - start)} ms ${what}`
        )
      }
    }

    if (run.exitCode !== 0 || run.outputs.additions !== String(size.changes)) {
      throw new Error(
        `${size.name} at ${latencyMs} ms: the bundle exited ${run.exitCode} with additions=` +
          `${run.outputs.additions ?? '(none)'}, expected ${size.changes}:\n${run.stdout.slice(-3000)}`
      )
    }
    const probe = JSON.parse(await readFile(probeFile, 'utf8')) as Probe
    const minimum = minimumReads(size)
    const readFloorMs = Math.max(
      minimum.roundTrips * latencyMs,
      (minimum.requests / CLOUDFLARE_REQUESTS_PER_SECOND) * 1000
    )
    return {
      size,
      latencyMs,
      wallMs,
      readsMs: extent(cloudflareSpans),
      readFloorMs,
      requests: emulator.requests.length,
      minimumRequests: minimum.requests,
      githubMs: extent(githubSpans),
      githubRequests: github.requests.length,
      quietGapMs: longestQuietGap([...cloudflareSpans, ...githubSpans]),
      cpuMs: probe.cpuMs,
      peakRssMb: probe.maxRssKb / 1024,
      // The GitHub fake answers at loopback speed, so its unavoidable round trips add nothing measurable.
      floorMs: startMs + readFloorMs,
      phases: phasesOf(probe, busyTime(githubSpans))
    }
  } finally {
    await github.close()
    await emulator.close()
    await rm(workspace, { recursive: true, force: true })
  }
}

const ms = (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`
const ratio = (n: number): string => n.toFixed(2)

function table(results: Result[]): string {
  const rows = results.map((r) =>
    [
      `${r.size.name}, ${r.latencyMs} ms`,
      ms(r.wallMs),
      ms(r.readsMs),
      ratio(r.readsMs / r.readFloorMs),
      `${r.requests} / ${r.minimumRequests}`,
      `${ms(r.githubMs)} (${r.githubRequests})`,
      ms(r.quietGapMs),
      ms(r.cpuMs),
      `${Math.round(r.peakRssMb)} MB`,
      ratio(r.wallMs / r.floorMs)
    ].join(' | ')
  )
  return [
    '| size, latency | process wall | Cloudflare reads | reads / floor | Cloudflare requests / minimum | GitHub (requests) | longest quiet gap | CPU | peak RSS | wall / floor |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`)
  ].join('\n')
}

const PHASE_COLUMNS: [keyof Phases, string][] = [
  ['start', 'start'],
  ['fileParse', 'file parse'],
  ['reads', 'reads'],
  ['plan', 'plan'],
  ['basePlan', 'base plan'],
  ['render', 'render'],
  ['github', 'GitHub'],
  ['outputs', 'outputs'],
  ['exit', 'exit']
]

function phaseTable(results: Result[]): string {
  return [
    `| size, latency | process wall | ${PHASE_COLUMNS.map(([, title]) => title).join(' | ')} |`,
    `|---|---|${PHASE_COLUMNS.map(() => '---').join('|')}|`,
    ...results.map(
      (r) =>
        `| ${r.size.name}, ${r.latencyMs} ms | ${ms(r.wallMs)} | ${PHASE_COLUMNS.map(([key]) => ms(r.phases[key])).join(' | ')} |`
    )
  ].join('\n')
}

function describeSizes(): string {
  return SIZES.map(
    (s) =>
      `- ${s.name}: ${s.users.toLocaleString('en-US')} users, ${s.groups.toLocaleString('en-US')} groups of ` +
      `${s.rulesPerGroup} e-mail rules, ${s.members.toLocaleString('en-US')} members, ${s.roles} roles; the pull ` +
      `request adds ${s.changes.toLocaleString('en-US')} people.`
  ).join('\n')
}

function commit(): string {
  const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim()
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'dist', 'src'], { cwd: ROOT })
    .toString()
    .trim()
  return dirty ? `${sha} with uncommitted changes to src/ or dist/` : sha
}

if (!existsSync(join(ROOT, 'dist/index.js')))
  throw new Error('No dist/index.js: run npm run bundle')
const startMs = nodeStartMs()
console.log(
  `Node ${execFileSync(BUNDLE_NODE, ['--version']).toString().trim()} starts in ${ms(startMs)}`
)
// The GitHub fake reads GitHub's REST description (10 MB of JSON) when it first answers: load it now, so the first
// scenario does not measure the fake starting (a second of CPU on the cores the bundle runs on).
skeletonOf('simple-user')
const profileDir = values.profile === undefined ? undefined : resolve(values.profile)
if (profileDir) await mkdir(profileDir, { recursive: true })
const results: Result[] = []
for (const size of sizes) {
  for (const latencyMs of latencies) {
    const result = await runScenario(size, latencyMs, startMs)
    results.push(result)
    console.log(table([result]).split('\n')[2])
  }
}
const report = table(results)
const phaseReport = phaseTable(results)
console.log(`\n${report}\n\nPhases of the bundle's wall time:\n\n${phaseReport}`)
// The apply of a 3,000-change merge, and the official SDK listing the same collections: one run each.
const applySection = (await applyBenchmark()).markdown
console.log(`\n${applySection}`)
const sdkSection = (await sdkBenchmark(20, sizes)).markdown
console.log(`\n${sdkSection}`)

if (values.write) {
  const cpu = cpus()
  const machine =
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, ` +
    `${process.platform}, Node ${execFileSync(BUNDLE_NODE, ['--version']).toString().trim()}`
  const text = `# Benchmarks

## End to end: a pull request's plan, as a runner runs the bundle

\`npm run bench:e2e -- --write\` wrote this section. One run of each scenario: the committed bundle (\`dist/index.js\`)
plans a pull request (mode auto on \`pull_request\`) against the Cloudflare emulator, which answers every request after
the given latency, and the loopback GitHub fake, which answers at once.

- Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}. Commit: ${commit()}.
${describeSizes()}

${report}

- Process wall: from spawning the bundle to its exit. Node itself starts and exits in ${ms(startMs)} here.
- Cloudflare reads: from the first request's arrival at the emulator to the last answer. The floor is the longer of
  the round trips no client can avoid (a list's first page tells how many follow, then the rest can be read at once;
  the lists are independent) and the minimum requests at Cloudflare's per-IP limit of ${CLOUDFLARE_REQUESTS_PER_SECOND} per second.
- Cloudflare requests / minimum: every request the emulator received, against one per page at the largest page size
  (groups, users and apps 1,000, members and roles 50) plus the token check (the test suite asserts these counts).
- GitHub: from the first request to the last answer, and how many requests.
- Longest quiet gap: the longest time, between the first request and the last answer, with no request in flight on
  either server: the bundle computing, or waiting for nothing.
- CPU and peak RSS: the bundle's process, from \`process.resourceUsage()\` at exit.
- Wall / floor: process wall against Node's start plus the read floor (the fake GitHub's round trips cost nothing).

### Where the wall time goes

${phaseReport}

From the bundle's own phase marks (\`performance.mark\` at each phase's start and end, read at exit by the benchmark's
preloaded probe). Start: Node starting and loading the bundle, until the run begins. File parse: the access files of
the pull request, then of the base branch (parsed while the reads are in flight, a file per turn of the event loop,
so this part spans the reads it shares the thread with). Reads: Cloudflare requests in flight (the token check, the account, the
applications). Plan and base plan: the engine on the pull request's and the base branch's files. Render: the comment
and summary. GitHub: a request to the GitHub fake in flight. Outputs: the plan file, the job summary and the step
outputs. Exit: from the end of the run to the process's exit. Phases that run at the same time both count, so they
can add up to more than the wall; what they leave out is waiting on nothing.

${applySection}
${sdkSection}
`
  await writeFile(join(ROOT, 'BENCHMARKS.md'), text)
  console.log('Wrote BENCHMARKS.md')
}
