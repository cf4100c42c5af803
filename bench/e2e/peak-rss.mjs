// Preloaded into the bundle's process by the end-to-end benchmark (--import): on exit, writes the process's peak
// resident set size and CPU time to BENCH_PROBE_FILE.
import { writeFileSync } from 'node:fs'

process.on('exit', () => {
  const usage = process.resourceUsage()
  writeFileSync(
    process.env.BENCH_PROBE_FILE,
    JSON.stringify({
      maxRssKb: usage.maxRSS,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000
    })
  )
})
