#!/usr/bin/env node
// `npx cloudflare-access plan --config cloudflare-access.yaml` (bin/cloudflare-access.js), or `npm run cli -- plan`
import { runCli } from './commands.js'

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  errRaw: (text) => process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date()
})
