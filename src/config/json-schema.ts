import { z } from 'zod'
import { accessFileSchema } from './schema.js'

/** Drops the empty `{}` that zod writes for branches JSON Schema cannot express (a Date), which would allow anything. */
function dropUnrepresentable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUnrepresentable)
  if (value === null || typeof value !== 'object') return value
  const result: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(value)) {
    if (key === 'anyOf' && Array.isArray(field)) {
      const options = field
        .filter(
          (option) => !(option && typeof option === 'object' && Object.keys(option).length === 0)
        )
        .map(dropUnrepresentable)
      if (options.length === 1) Object.assign(result, options[0] as object)
      else result.anyOf = options
    } else {
      result[key] = dropUnrepresentable(field)
    }
  }
  return result
}

/**
 * Where editors fetch the schema: the committed file at the major release tag, so the URL stays valid for every
 * access file written against v1 (the release workflow moves the tag). Names this repository's home on GitHub.
 */
export const SCHEMA_URL =
  'https://raw.githubusercontent.com/your-org/cloudflare-access-as-code/v1/schema/cloudflare-access.schema.json'

/** The access file's JSON Schema for editors, generated from the same zod schema the parser validates with. */
export function accessFileJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(accessFileSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any'
  })
  const { $schema, ...rest } = dropUnrepresentable(generated) as Record<string, unknown>
  return { $schema, $id: SCHEMA_URL, ...rest }
}

/** The committed file's exact text: pretty JSON with a trailing newline. */
export function renderAccessFileJsonSchema(): string {
  return `${JSON.stringify(accessFileJsonSchema(), null, 2)}\n`
}
