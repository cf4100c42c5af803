/**
 * The GitHub contract: every request the product sends to the GitHub fake, and every answer the fake gives, checked
 * against GitHub's own REST description (@octokit/openapi, api.github.com, OpenAPI 3.0.3).
 *
 * - Request: the path matches an operation's template and the method exists there; path and query parameters are
 *   declared and fit their schemas (enums included); a JSON body fits the operation's requestBody schema.
 * - Response: the body fits the schema documented for its status; an undocumented error status must still be
 *   GitHub's basic error ({message, documentation_url}).
 *
 * The fake checks every exchange itself and its close() throws listing the violations, so every test that uses the
 * fake (unit, HTTP and end-to-end runs of the bundle) is part of the contract test: nothing to replay, no order
 * between test files, and a violation fails the test that caused it. POST /graphql is not part of the REST
 * description and is not checked.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import formatsModule from 'ajv-formats'
import { toJsonSchema } from './openapi-contract.js'

const SPEC_FILE = fileURLToPath(
  new URL('../../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url)
)

/** One request to the fake and its answer, as the fake logs it. */
export interface GitHubExchange {
  method: string
  /** Decoded path without the query. */
  path: string
  query: Record<string, string>
  body?: unknown
  status: number
  response?: unknown
}

type Json = Record<string, unknown>

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema?: unknown
}

interface Operation {
  method: string
  template: string
  regex: RegExp
  /** Literal characters of the template: the most specific match wins. */
  literal: number
  paramNames: string[]
  parameters: Parameter[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> }
  responses: Record<string, { content?: Record<string, { schema?: unknown }> } | undefined>
}

/** Path parameters that hold a path or a ref of their own (`contents/{path}`, `git/ref/{ref}`). */
const SLASHED_PARAMETERS = new Set(['path', 'ref'])

class GitHubContract {
  readonly operations: Operation[] = []
  private readonly spec: Json
  private readonly ajv: Ajv
  private readonly coercing: Ajv
  private readonly cache = new Map<unknown, ValidateFunction>()
  private readonly coercingCache = new Map<unknown, ValidateFunction>()

  constructor(spec: Json) {
    this.spec = spec
    const components = spec['components'] as Json
    const schemas = Object.fromEntries(
      Object.entries(components['schemas'] as Json).map(([name, schema]) => [
        name,
        toJsonSchema(schema, 'github#/definitions/')
      ])
    )
    // ajv-formats is CommonJS: under NodeNext the default import may be the module object.
    const addFormats = ((formatsModule as unknown as { default?: unknown }).default ??
      formatsModule) as unknown as (ajv: Ajv) => Ajv
    this.ajv = new Ajv({ strict: false, allErrors: true })
    this.coercing = new Ajv({ strict: false, allErrors: true, coerceTypes: true })
    for (const ajv of [this.ajv, this.coercing]) {
      addFormats(ajv)
      ajv.addSchema({ $id: 'github', definitions: schemas })
    }
    for (const [template, item] of Object.entries(spec['paths'] as Json)) {
      for (const [method, raw] of Object.entries(item as Json)) {
        if (method === 'parameters') continue
        const operation = raw as Json
        const paramNames: string[] = []
        const pattern = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
          paramNames.push(name)
          return SLASHED_PARAMETERS.has(name) ? '(.+)' : '([^/]+)'
        })
        this.operations.push({
          method: method.toUpperCase(),
          template,
          regex: new RegExp(`^${pattern}$`),
          literal: template.replace(/\{[^}]+\}/g, '').length,
          paramNames,
          parameters: ((operation['parameters'] ?? []) as unknown[]).map(
            (parameter) => this.resolve(parameter) as Parameter
          ),
          requestBody: this.resolve(operation['requestBody']) as Operation['requestBody'],
          responses: Object.fromEntries(
            Object.entries((operation['responses'] ?? {}) as Json).map(([status, response]) => [
              status,
              this.resolve(response) as Operation['responses'][string]
            ])
          )
        })
      }
    }
  }

  /** Follows a local `$ref` (parameters, responses, request bodies) to what it names. */
  resolve(node: unknown): unknown {
    let current = node
    for (let depth = 0; depth < 10; depth++) {
      const ref = (current as { $ref?: unknown } | undefined)?.$ref
      if (typeof ref !== 'string' || !ref.startsWith('#/')) return current
      current = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((at, key) => (at as Json | undefined)?.[key], this.spec)
    }
    return current
  }

  validator(schema: unknown, coerce = false): ValidateFunction {
    const cache = coerce ? this.coercingCache : this.cache
    let compiled = cache.get(schema)
    if (!compiled) {
      const converted = toJsonSchema(schema, 'github#/definitions/') as Json
      compiled = (coerce ? this.coercing : this.ajv).compile(converted)
      cache.set(schema, compiled)
    }
    return compiled
  }
}

let loaded: GitHubContract | undefined
function contract(): GitHubContract {
  loaded ??= new GitHubContract(JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Json)
  return loaded
}

function findOperation(exchange: GitHubExchange): Operation | string {
  const byPath = contract()
    .operations.filter((operation) => operation.regex.test(exchange.path))
    .sort((a, b) => b.literal - a.literal)
  if (byPath.length === 0) return 'no path of the REST description matches'
  const operation = byPath.find((candidate) => candidate.method === exchange.method)
  if (operation) return operation
  return `${exchange.method} is not an operation of ${byPath[0]!.template} (${byPath.map((o) => o.method).join(', ')})`
}

function schemaErrors(validate: ValidateFunction, document: unknown, part: string): string[] {
  if (validate(document)) return []
  let errors: ErrorObject[] = validate.errors ?? []
  // Of a failed union keep its verdict and the errors of its closest branch, not those of every branch.
  for (const union of errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    const branchOf = (e: ErrorObject): string | undefined =>
      e.schemaPath.startsWith(`${union.schemaPath}/`)
        ? e.schemaPath.slice(union.schemaPath.length + 1).split('/')[0]
        : undefined
    const counts = new Map<string, number>()
    for (const e of errors) {
      const branch = branchOf(e)
      if (branch !== undefined) counts.set(branch, (counts.get(branch) ?? 0) + 1)
    }
    const closest = [...counts].sort((a, b) => a[1] - b[1])[0]?.[0]
    errors = errors.filter((e) => {
      const branch = branchOf(e)
      return branch === undefined || branch === closest
    })
  }
  return errors
    .slice(0, 8)
    .map(
      (e) =>
        `${part}${e.instancePath || ' (whole)'}: ${e.message ?? 'invalid'}${e.keyword === 'enum' ? ` ${JSON.stringify(e.params)}` : ''}`
    )
}

const jsonSchemaOf = (content: Record<string, { schema?: unknown }> | undefined): unknown =>
  content?.['application/json']?.schema

const BASIC_ERROR = { $ref: '#/components/schemas/basic-error' }

/** Every way one exchange breaks GitHub's description; empty when it fits. */
export function checkGitHubExchange(exchange: GitHubExchange): string[] {
  if (exchange.path === '/graphql') return []
  const found = findOperation(exchange)
  if (typeof found === 'string') return [`route: ${found}`]
  const operation = found
  const problems: string[] = []
  const c = contract()

  const match = operation.regex.exec(exchange.path)
  const pathValues = Object.fromEntries(
    operation.paramNames.map((name, index) => [name, match?.[index + 1] ?? ''])
  )
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'path' && parameter.in !== 'query') continue
    const value =
      parameter.in === 'path' ? pathValues[parameter.name] : exchange.query[parameter.name]
    if (value === undefined) {
      if (parameter.required) problems.push(`${parameter.in} ${parameter.name}: required, missing`)
      continue
    }
    if (parameter.schema === undefined) continue
    const validate = c.validator({ type: 'object', properties: { value: parameter.schema } }, true)
    if (!validate({ value })) {
      problems.push(
        `${parameter.in} ${parameter.name}=${JSON.stringify(value)}: ${(validate.errors ?? [])
          .map((e) => `${e.message}${e.keyword === 'enum' ? ` ${JSON.stringify(e.params)}` : ''}`)
          .join('; ')}`
      )
    }
  }
  const declared = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name))
  for (const name of Object.keys(exchange.query)) {
    if (!declared.has(name)) problems.push(`query ${name}: not a parameter of the operation`)
  }

  const body = operation.requestBody
  if (exchange.body === undefined) {
    if (body?.required) problems.push('request: a body is required')
  } else if (!body) {
    problems.push('request: the operation takes no body')
  } else {
    const schema = jsonSchemaOf(body.content)
    if (schema !== undefined) {
      problems.push(...schemaErrors(c.validator(schema), exchange.body, 'request'))
    }
  }

  if (exchange.status === 204 || exchange.status === 0) return problems
  const documented = operation.responses[String(exchange.status)]
  if (documented) {
    const schema = jsonSchemaOf(documented.content)
    if (schema !== undefined) {
      problems.push(...schemaErrors(c.validator(schema), exchange.response, 'response'))
    }
  } else if (exchange.status >= 400) {
    problems.push(...schemaErrors(c.validator(BASIC_ERROR), exchange.response, 'response'))
  } else {
    problems.push(`response: status ${exchange.status} is not documented`)
  }
  if (exchange.status >= 400) {
    for (const field of ['message', 'documentation_url']) {
      if (typeof (exchange.response as Json | undefined)?.[field] !== 'string') {
        problems.push(`response: an error without ${field}`)
      }
    }
  }
  return problems.map(
    (problem) =>
      `${exchange.method} ${exchange.path} -> ${exchange.status} [${operation.method} ${operation.template}] ${problem}`
  )
}

/** Every violation over a log of exchanges, each once. */
export function gitHubContractViolations(exchanges: readonly GitHubExchange[]): string[] {
  return [...new Set(exchanges.flatMap((exchange) => checkGitHubExchange(exchange)))]
}

/**
 * The smallest answer GitHub's description allows for a component schema: every required property, recursively, with
 * a neutral value (null where nullable, the first enum value, 0, false, '', [], a fixed time or URL for formats).
 * The fake overlays its own state on it, so its answers carry every field GitHub documents as always present and
 * no invented value the product could come to rely on.
 */
export function skeletonOf(schemaName: string): Json {
  const c = contract()
  let cached = skeletons.get(schemaName)
  if (!cached) {
    cached = skeleton(c, { $ref: `#/components/schemas/${schemaName}` }, 0) as Json
    skeletons.set(schemaName, cached)
  }
  return structuredClone(cached)
}

const skeletons = new Map<string, Json>()

function skeleton(c: GitHubContract, raw: unknown, depth: number): unknown {
  const schema = c.resolve(raw) as Json | undefined
  if (!schema || depth > 12) return null
  if (schema['nullable'] === true) return null
  if (Array.isArray(schema['allOf'])) {
    return Object.assign({}, ...schema['allOf'].map((part) => skeleton(c, part, depth + 1)))
  }
  for (const union of ['oneOf', 'anyOf']) {
    const branches = schema[union]
    if (Array.isArray(branches) && branches.length > 0) {
      const nullable = branches.find((branch) => (c.resolve(branch) as Json)?.['nullable'])
      return skeleton(c, nullable ?? branches[0], depth + 1)
    }
  }
  if (Array.isArray(schema['enum'])) return schema['enum'][0]
  const type = schema['type'] ?? (schema['properties'] ? 'object' : undefined)
  switch (type) {
    case 'object': {
      const properties = (schema['properties'] ?? {}) as Json
      const out: Json = {}
      for (const name of (schema['required'] ?? []) as string[]) {
        out[name] = skeleton(c, properties[name] ?? {}, depth + 1)
      }
      return out
    }
    case 'array':
      return []
    case 'integer':
    case 'number':
      return 0
    case 'boolean':
      return false
    case 'string':
      if (schema['format'] === 'date-time') return '2026-01-05T09:00:00Z'
      if (schema['format'] === 'uri') return 'https://api.github.com/'
      if (schema['format'] === 'email') return 'nobody@example.com'
      return ''
    default:
      return null
  }
}
