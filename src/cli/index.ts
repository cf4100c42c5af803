#!/usr/bin/env node
// `npm run cli -- plan --config cloudflare-access.yaml`
import { runCli } from './commands.js'

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date()
})
