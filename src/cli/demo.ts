/** `npm run demo`: the main job end to end against the built-in emulator (see demo-run.ts for the steps). */
import { runDemo } from './demo-run.js'

const started = performance.now()
const result = await runDemo({
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  now: () => new Date()
})
const requests = result.steps.flatMap((step) => step.requests)
const writes = requests.filter((request) => !request.startsWith('GET ')).length
console.log(
  `\nDemo ${result.failed ? 'FAILED' : 'done'} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${requests.length} API requests, ${writes} of them writes.`
)
process.exitCode = result.failed ? 1 : 0
