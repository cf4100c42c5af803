// Regenerates the JSON Schemas in schema/ from their zod schemas; a test fails when a committed file is stale.
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { renderAccessFileJsonSchema } from '../src/config/json-schema.js'
import { renderEvidenceRecordJsonSchema } from '../src/review/evidence.js'

const target = fileURLToPath(new URL('../schema/cloudflare-access.schema.json', import.meta.url))
await writeFile(target, renderAccessFileJsonSchema())
console.log(`Wrote ${target}`)
const record = fileURLToPath(new URL('../schema/access-review-record.schema.json', import.meta.url))
await writeFile(record, renderEvidenceRecordJsonSchema())
console.log(`Wrote ${record}`)
