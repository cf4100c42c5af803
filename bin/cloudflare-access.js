#!/usr/bin/env node
// `npx cloudflare-access plan` in a checkout of this repository: runs the CLI from its TypeScript sources through
// tsx, without npm's script banner, so `--json` output is only JSON.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/index.ts')
