// Preloaded into the bundle's process by the end-to-end benchmark (--import): on exit, writes the process's peak
// resident set size, its CPU time and the bundle's phases to BENCH_PROBE_FILE. The bundle marks each phase with
// performance.mark('phase:<name>:start' / ':end') (src/model/phases.ts); this process shares that timeline.
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

/** Per phase, the time covered by its start-end intervals (a phase can run more than once, or twice at a time). */
function phases() {
  const open = new Map()
  const intervals = new Map()
  for (const mark of performance.getEntriesByType('mark')) {
    const match = /^phase:(.+):(start|end)$/.exec(mark.name)
    if (!match) continue
    const [, name, edge] = match
    if (edge === 'start') {
      open.set(name, [...(open.get(name) ?? []), mark.startTime])
      continue
    }
    const starts = open.get(name) ?? []
    const start = starts.shift()
    if (start === undefined) continue
    intervals.set(name, [...(intervals.get(name) ?? []), [start, mark.startTime]])
  }
  const covered = {}
  const first = {}
  for (const [name, list] of intervals) {
    list.sort((a, b) => a[0] - b[0])
    let total = 0
    let [from, to] = list[0]
    for (const [start, end] of list.slice(1)) {
      if (start > to) {
        total += to - from
        from = start
      }
      to = Math.max(to, end)
    }
    covered[name] = total + (to - from)
    first[name] = list[0][0]
  }
  return { covered, first }
}

process.on('exit', () => {
  const usage = process.resourceUsage()
  writeFileSync(
    process.env.BENCH_PROBE_FILE,
    JSON.stringify({
      maxRssKb: usage.maxRSS,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      phases: phases(),
      exitMs: performance.now()
    })
  )
})
