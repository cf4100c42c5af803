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

/** The access file's JSON Schema for editors, generated from the same zod schema the parser validates with. */
export function accessFileJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(accessFileSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any'
  })
  return dropUnrepresentable(generated) as Record<string, unknown>
}

/** The committed file's exact text: pretty JSON with a trailing newline. */
export function renderAccessFileJsonSchema(): string {
  return `${JSON.stringify(accessFileJsonSchema(), null, 2)}\n`
}
