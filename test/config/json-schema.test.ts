import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import {
  accessFileJsonSchema,
  renderAccessFileJsonSchema,
  SCHEMA_URL
} from '../../src/config/index.js'

const committed = readFileSync(
  new URL('../../schema/cloudflare-access.schema.json', import.meta.url),
  'utf8'
)

describe('schema/cloudflare-access.schema.json', () => {
  it('is current: run `npx tsx scripts/write-schema.ts` after changing src/config/schema.ts', () => {
    expect(committed).toBe(renderAccessFileJsonSchema())
  })

  it('names its published URL as $id, the URL export writes into access files', () => {
    expect(JSON.parse(committed).$id).toBe(SCHEMA_URL)
    expect(SCHEMA_URL).toMatch(
      /^https:\/\/raw\.githubusercontent\.com\/[\w-]+\/[\w-]+\/v\d+\/schema\/cloudflare-access\.schema\.json$/
    )
  })

  it('accepts a valid access file and rejects the mistakes editors should flag', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    addFormats.default(ajv)
    const validate = ajv.compile(accessFileJsonSchema())
    const valid = parse(
      readFileSync(new URL('../fixtures/config/valid.yml', import.meta.url), 'utf8').replace(
        "' Bob@Example.com '",
        'Bob@Example.com'
      )
    )
    expect(validate(valid)).toBe(true)
    expect(validate({ version: 1, groups: { Eng: { owners: [] } } })).toBe(false)
    expect(validate.errors?.map((error) => [error.instancePath, error.message])).toEqual([
      ['/groups/Eng', "must have required property 'members'"]
    ])
    expect(validate({ version: 1, roles: { Admin: { mode: 'additive', members: [] } } })).toBe(
      false
    )
    expect(validate({ version: 1, settings: { max_removals: -1 } })).toBe(false)
    expect(
      validate({
        version: 1,
        roles: { A: { members: [{ email: 'a@example.com', expires: '2026-12-31' }] } }
      })
    ).toBe(true)
  })
})
