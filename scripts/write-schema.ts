// Regenerates schema/cloudflare-access.schema.json from the zod schema; a test fails when the committed file is stale.
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { renderAccessFileJsonSchema } from '../src/config/json-schema.js'

const target = fileURLToPath(new URL('../schema/cloudflare-access.schema.json', import.meta.url))
await writeFile(target, renderAccessFileJsonSchema())
console.log(`Wrote ${target}`)
