/**
 * Contract checks: every request the emulator logged, and every answer it gave, must fit Cloudflare's published
 * OpenAPI schema (reference/cloudflare-openapi-subset.json, a 2024 cut), apart from the KNOWN_SPEC_LAGS below.
 *
 * - Request: the path matches a template, the method exists there, query and path parameters fit their schemas,
 *   and the JSON body fits the requestBody schema. assertContract checks request bodies only for requests the
 *   emulator accepted (2xx): a body it rejected has already failed loudly in the test that sent it.
 * - Response: the body fits the schema documented for its status (exact, then 4XX/5XX, then default).
 *
 * OpenAPI 3.0 is turned into JSON Schema on load: `nullable: true` becomes a `null` alternative and
 * `#/components/schemas/X` references resolve through one shared Ajv schema.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import formatsModule from 'ajv-formats'
import type { RequestLogEntry } from '../../src/emulator/index.js'

const SPEC_FILE = fileURLToPath(
  new URL('../../reference/cloudflare-openapi-subset.json', import.meta.url)
)
const BASE_PATH = '/client/v4'

export type ContractPart = 'route' | 'query' | 'request' | 'response'

export interface ContractViolation {
  /** e.g. "GET /accounts/{account_id}/access/groups"; the concrete path when no template matched. */
  operation: string
  part: ContractPart
  /** JSON pointer into the checked document ('' for the whole), or the parameter name for query/path. */
  pointer: string
  message: string
  /** The offending value (for lags that look at it). */
  value?: unknown
}

export interface KnownSpecLag {
  /** Operation as "METHOD /template", a pattern over that, or '*' for any. */
  operation: string | RegExp
  part: ContractPart
  /** Tolerates the violation when this returns true. */
  applies: (violation: ContractViolation, entry: RequestLogEntry) => boolean
  reason: string
}

/** A rule element of include/exclude/require (in a body or a result), or anything inside one. */
const RULE_POINTER = /^\/(?:result\/(?:\d+\/)?)?(?:include|exclude|require)\/\d+(?:\/([^/]+))?/
/** Rule kinds the 2024 cut lacks, and kinds whose IdP fields it names differently (connection_id, okta email). */
const RULES_BEYOND_2024_CUT = new Set([
  'common_name',
  'login_method',
  'oidc',
  'auth_context',
  'linked_app_token',
  'user_risk_score',
  'cloudflare_account_member',
  'okta',
  'saml',
  'azureAD',
  'gsuite',
  'github-organization'
])

/** The rule kind a violation is about: the key below the rule element, or the element's only key. */
function ruleKindAt(v: ContractViolation): string | undefined {
  const match = RULE_POINTER.exec(v.pointer)
  if (!match) return undefined
  if (match[1] !== undefined) return match[1].replace(/~1/g, '/').replace(/~0/g, '~')
  if (typeof v.value !== 'object' || v.value === null) return undefined
  const keys = Object.keys(v.value)
  return keys.length === 1 ? keys[0] : undefined
}

const isNewerRule = (v: ContractViolation): boolean =>
  RULES_BEYOND_2024_CUT.has(ruleKindAt(v) ?? '')

function rolesAreIdObjects(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false
  const roles = (body as { roles?: unknown }).roles
  return (
    Array.isArray(roles) &&
    roles.every(
      (r) => typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string'
    )
  )
}

const UNDOCUMENTED = 'undocumented property'

function policiesWithoutIds(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false
  const { policies, roles } = body as { policies?: unknown; roles?: unknown }
  return (
    roles === undefined &&
    Array.isArray(policies) &&
    policies.length > 0 &&
    policies.every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        !('id' in p) &&
        'access' in p &&
        'permission_groups' in p &&
        'resource_groups' in p
    )
  )
}

/** Where the 2024 schema lags the live API (API-NOTES §3-§8). Each entry is tolerated, never silently widened. */
export const KNOWN_SPEC_LAGS: KnownSpecLag[] = [
  {
    operation: 'GET /accounts/{account_id}/access/groups',
    part: 'query',
    applies: (v) => ['page', 'per_page', 'name', 'search'].includes(v.pointer),
    reason:
      'the current API paginates and filters the groups list; the 2024 cut declares no query parameters'
  },
  {
    operation: 'GET /accounts/{account_id}/access/users',
    part: 'query',
    applies: (v) => ['page', 'per_page', 'name', 'email', 'search'].includes(v.pointer),
    reason:
      'the current API paginates and filters the users list; the 2024 cut declares no query parameters'
  },
  {
    operation: 'GET /accounts/{account_id}/roles',
    part: 'query',
    applies: (v) => ['page', 'per_page'].includes(v.pointer),
    reason:
      'roles are paginated (20 a page, Terraform issue #5018); the 2024 cut declares no query parameters'
  },
  {
    operation: '*',
    part: 'response',
    applies: (v) =>
      /^\/result\/(\d+\/)?is_default$/.test(v.pointer) && typeof v.value === 'boolean',
    reason:
      'responses type is_default as a rule array (copy of require); the API echoes the boolean it was sent'
  },
  {
    operation: '*',
    part: 'request',
    applies: isNewerRule,
    reason:
      'current rule kinds and IdP field names (identity_provider_id, okta name) postdate the 2024 cut'
  },
  {
    operation: /^GET \/client\/v4\/accounts\/[^/]+\/access\/(apps|policies)$/,
    part: 'route',
    applies: () => true,
    reason:
      'the Access applications and reusable policies lists are not in the 2024 cut; their shapes follow the recorded answers'
  },
  {
    operation: /\/access\/groups(\/\{group_id\})?$/,
    part: 'response',
    applies: (v) => /^\/result\/(\d+\/)?uid$/.test(v.pointer),
    reason:
      'recorded group answers (test fixtures, cf-terraforming 2025) carry uid next to id; the 2024 cut does not list it'
  },
  {
    operation: '*',
    part: 'response',
    applies: isNewerRule,
    reason:
      'current rule kinds and IdP field names (identity_provider_id, okta name) postdate the 2024 cut'
  },
  {
    operation: /\/(members|roles)(\/\{member_id\})?$/,
    part: 'response',
    applies: (v) => /^\/result\/(\d+\/)?(roles\/\d+\/)?permissions$/.test(v.pointer),
    reason:
      'member and role-list schemas type permissions as strings ("#zones:read"); the API returns {read, write} grants by area'
  },
  {
    operation: /\/members(\/\{member_id\})?$/,
    part: 'response',
    applies: (v) =>
      /^\/result\/(\d+\/)?policies\/\d+\/resource_groups\/\d+\/scope$/.test(v.pointer) &&
      typeof v.value === 'object' &&
      v.value !== null &&
      !Array.isArray(v.value),
    reason:
      'the 2024 cut types a resource group scope as an array; recorded answers (test/fixtures/recorded) carry one object'
  },
  {
    operation: /\/members(\/\{member_id\})?$/,
    part: 'response',
    applies: (v) => /^\/result\/(\d+\/)?api_access_enabled$/.test(v.pointer) && v.value === null,
    reason:
      'recorded member answers carry api_access_enabled: null, which the 2024 cut does not list'
  },
  {
    operation: 'PUT /accounts/{account_id}/members/{member_id}',
    part: 'request',
    applies: (v) => v.pointer === '' && /oneOf/.test(v.message) && rolesAreIdObjects(v.value),
    reason:
      'the 2024 cut reuses the full role object for PUT; the API, SDK and Terraform send only {id}'
  },
  {
    operation: /^(POST|PUT) \/accounts\/\{account_id\}\/members/,
    part: 'request',
    applies: (v) => v.pointer === '' && /oneOf/.test(v.message) && policiesWithoutIds(v.value),
    reason:
      'the 2024 cut requires an id on each new policy; the API and SDK create policies without one'
  },
  {
    operation: 'DELETE /accounts/{account_id}/members/{member_id}',
    part: 'request',
    applies: (v) => v.pointer === '' && v.message === 'a request body is required',
    reason:
      'the 2024 cut declares a required empty JSON body; the SDK sends none and the API accepts that'
  },
  {
    operation: /^[A-Z]+ \/(accounts\/\{account_id\}\/(members|roles)|user\/tokens)/,
    part: 'response',
    applies: (v, entry) =>
      entry.status >= 400 &&
      ((v.pointer === '/success' && v.value === false) ||
        (v.pointer === '/result' && v.value === null)),
    reason:
      'IAM 4XX schemas are allOf(success envelope, failure envelope), which nothing satisfies; failures are also checked against the failure envelope alone'
  },
  {
    operation: 'POST /accounts/{account_id}/access/organizations/revoke_user',
    part: 'response',
    applies: (v) =>
      ['/errors', '/messages'].includes(v.pointer) &&
      v.message === UNDOCUMENTED &&
      Array.isArray(v.value) &&
      v.value.length === 0,
    reason:
      'the 2024 cut documents only success and result in the Access empty response; every v4 answer, this one included, also carries errors and messages'
  },
  {
    operation: 'GET /accounts/{account_id}/access/users',
    part: 'response',
    applies: (v) => /^\/result\/\d+\/last_successful_login$/.test(v.pointer) && v.value === null,
    reason: 'users who never logged in have last_successful_login null; the 2024 cut says string'
  },
  {
    operation: '*',
    part: 'response',
    applies: (v, entry) => entry.status === 429 && /^\/errors\/\d+\/code$/.test(v.pointer),
    reason: 'a 429 body carries code 971 (reported; undocumented), below the schema minimum of 1000'
  },
  {
    operation: '*',
    part: 'response',
    applies: (v) => v.pointer === '/result_info/total_pages' && v.message === UNDOCUMENTED,
    reason:
      'newer responses add total_pages (common.yaml at HEAD); the 2024 access/iam schemas lack it'
  },
  {
    operation: /\/members(\/\{member_id\})?$/,
    part: 'response',
    applies: (v) => /^\/result(\/\d+)?\/email$/.test(v.pointer) && v.message === UNDOCUMENTED,
    reason: 'the current API adds a top-level email to members; the 2024 cut has only user.email'
  },
  {
    operation: '*',
    part: 'response',
    applies: (v) => /^\/errors\/\d+\/error_chain$/.test(v.pointer) && v.message === UNDOCUMENTED,
    reason:
      'header errors (6003) carry error_chain with the specific cause (6111, 6103); the schema omits it'
  }
]

interface Operation {
  method: string
  template: string
  regex: RegExp
  paramNames: string[]
  parameters: { in: string; name: string; required?: boolean; schema?: unknown }[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> }
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>
}

type Json = Record<string, unknown>

/**
 * OpenAPI 3.0 schema -> JSON Schema (nullable, component refs) for Ajv. Component schemas become `definitions` of
 * the Ajv schema whose id `definitions` is prefixed with (the GitHub contract uses its own).
 */
export function toJsonSchema(node: unknown, definitions = 'openapi#/definitions/'): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, definitions))
  if (typeof node !== 'object' || node === null) return node
  const out: Json = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'nullable' || key.startsWith('x-')) continue
    if (key === '$ref' && typeof value === 'string') {
      out[key] = value.replace('#/components/schemas/', definitions)
      continue
    }
    // `properties` maps names to schemas; a property called "example" must survive.
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, toJsonSchema(v, definitions)])
      )
      continue
    }
    out[key] = toJsonSchema(value, definitions)
  }
  if ((node as Json)['nullable'] === true) {
    if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null']
    if (Array.isArray(out['enum']) && !out['enum'].includes(null))
      out['enum'] = [...out['enum'], null]
    if (out['type'] === undefined) return { anyOf: [out, { type: 'null' }] }
  }
  return out
}

class Contract {
  readonly operations: Operation[] = []
  /** Raw OpenAPI component schemas, for the undocumented-property walk. */
  readonly schemas: Json
  private readonly ajv: Ajv
  private readonly queryAjv: Ajv
  private readonly cache = new Map<unknown, ValidateFunction>()
  private readonly queryCache = new Map<unknown, ValidateFunction>()

  constructor(spec: Json) {
    const schemas = (spec['components'] as Json)['schemas'] as Json
    this.schemas = schemas
    const definitions = Object.fromEntries(
      Object.entries(schemas).map(([name, schema]) => [name, toJsonSchema(schema)])
    )
    // ajv-formats is CommonJS: under NodeNext the default import may be the module object.
    const addFormats = ((formatsModule as unknown as { default?: unknown }).default ??
      formatsModule) as unknown as (ajv: Ajv) => Ajv
    this.ajv = new Ajv({ strict: false, allErrors: true })
    this.queryAjv = new Ajv({ strict: false, allErrors: true, coerceTypes: true })
    for (const ajv of [this.ajv, this.queryAjv]) {
      addFormats(ajv)
      ajv.addSchema({ $id: 'openapi', definitions })
    }
    for (const [template, item] of Object.entries(spec['paths'] as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        const operation = op as Json
        const paramNames: string[] = []
        const pattern = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
          paramNames.push(name)
          return '([^/]+)'
        })
        this.operations.push({
          method: method.toUpperCase(),
          template,
          regex: new RegExp(`^${pattern}$`),
          paramNames,
          parameters: (operation['parameters'] ?? []) as Operation['parameters'],
          requestBody: operation['requestBody'] as Operation['requestBody'],
          responses: operation['responses'] as Operation['responses']
        })
      }
    }
  }

  validator(schema: unknown, coerce = false): ValidateFunction {
    const cache = coerce ? this.queryCache : this.cache
    let compiled = cache.get(schema)
    if (!compiled) {
      compiled = (coerce ? this.queryAjv : this.ajv).compile(toJsonSchema(schema) as Json)
      cache.set(schema, compiled)
    }
    return compiled
  }
}

let loaded: Contract | undefined
function contract(): Contract {
  loaded ??= new Contract(JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Json)
  return loaded
}

function pointerValue(document: unknown, pointer: string): unknown {
  let current = document
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~')
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Json)[key]
  }
  return current
}

/** Keeps the oneOf/anyOf verdict and drops the per-branch noise beneath it. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
  return errors.filter(
    (e) =>
      unions.includes(e) ||
      !unions.some(
        (u) => e.instancePath === u.instancePath || e.instancePath.startsWith(`${u.instancePath}/`)
      )
  )
}

/** A schema and everything it composes (allOf/anyOf/oneOf), with component refs resolved. */
function expandSchemas(schemas: unknown[], seen = new Set<unknown>()): Json[] {
  const out: Json[] = []
  for (const raw of schemas) {
    let schema = raw
    while (
      typeof schema === 'object' &&
      schema !== null &&
      typeof (schema as Json)['$ref'] === 'string'
    ) {
      const name = ((schema as Json)['$ref'] as string).replace('#/components/schemas/', '')
      schema = contract().schemas[name]
    }
    if (typeof schema !== 'object' || schema === null || seen.has(schema)) continue
    seen.add(schema)
    out.push(schema as Json)
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const branches = (schema as Json)[key]
      if (Array.isArray(branches)) out.push(...expandSchemas(branches, seen))
    }
  }
  return out
}

/**
 * Properties the contract does not mention anywhere (the schemas do not forbid extra properties, so Ajv alone
 * would let an invented field through). Declared properties are the union over every composed branch; an object
 * whose schemas declare no properties, or allow additional ones, is open.
 */
function undocumentedProperties(
  schemas: unknown[],
  data: unknown,
  pointer: string,
  operation: string,
  part: ContractPart,
  out: ContractViolation[]
): void {
  const candidates = expandSchemas(schemas)
  if (Array.isArray(data)) {
    const items = candidates.map((c) => c['items']).filter((i) => i !== undefined)
    if (items.length === 0) return
    data.forEach((item, i) =>
      undocumentedProperties(items, item, `${pointer}/${i}`, operation, part, out)
    )
    return
  }
  if (typeof data !== 'object' || data === null) return
  const declared = new Map<string, unknown[]>()
  let open = true
  for (const candidate of candidates) {
    const additional = candidate['additionalProperties']
    if (additional !== undefined && additional !== false) return
    const properties = candidate['properties']
    if (typeof properties !== 'object' || properties === null) continue
    open = false
    for (const [key, schema] of Object.entries(properties)) {
      declared.set(key, [...(declared.get(key) ?? []), schema])
    }
  }
  if (open) return
  for (const [key, value] of Object.entries(data)) {
    const childPointer = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
    const propertySchemas = declared.get(key)
    if (!propertySchemas) {
      out.push({ operation, part, pointer: childPointer, message: UNDOCUMENTED, value })
      continue
    }
    undocumentedProperties(propertySchemas, value, childPointer, operation, part, out)
  }
}

function extraProperties(
  schema: unknown,
  data: unknown,
  operation: string,
  part: ContractPart
): ContractViolation[] {
  const out: ContractViolation[] = []
  undocumentedProperties([schema], data, '', operation, part, out)
  return out
}

function schemaViolations(
  validate: ValidateFunction,
  document: unknown,
  operation: string,
  part: ContractPart
): ContractViolation[] {
  if (validate(document)) return []
  return relevantErrors(validate.errors ?? []).map((e) => {
    const detail =
      e.keyword === 'required' || e.keyword === 'additionalProperties'
        ? `${e.message ?? 'invalid'}`
        : `${e.message ?? 'invalid'}${e.keyword === 'enum' ? ` (${JSON.stringify(e.params)})` : ''}`
    return {
      operation,
      part,
      pointer: e.instancePath,
      message: detail,
      value: pointerValue(document, e.instancePath)
    }
  })
}

/** /accounts/{id}/tokens/verify postdates the 2024 cut; it answers exactly like /user/tokens/verify. */
const ROUTE_ALIASES: { pattern: RegExp; method: string; template: string; reason: string }[] = [
  {
    pattern: /^\/accounts\/[^/]+\/tokens\/verify$/,
    method: 'GET',
    template: '/user/tokens/verify',
    reason: 'account-owned token verification is newer than the 2024 cut and has the same shape'
  }
]

function findOperation(
  entry: RequestLogEntry
): { operation: Operation; params: Record<string, string> } | { violation: ContractViolation } {
  const relative = entry.path.startsWith(BASE_PATH)
    ? entry.path.slice(BASE_PATH.length)
    : entry.path
  const alias = ROUTE_ALIASES.find((a) => a.method === entry.method && a.pattern.test(relative))
  const { operations } = contract()
  if (alias) {
    const operation = operations.find(
      (o) => o.method === alias.method && o.template === alias.template
    )
    if (operation) return { operation, params: {} }
  }
  const byPath = operations.filter((o) => o.regex.test(relative))
  if (byPath.length === 0) {
    return {
      violation: {
        operation: `${entry.method} ${entry.path}`,
        part: 'route',
        pointer: '',
        message: 'no path in the contract matches'
      }
    }
  }
  const operation = byPath.find((o) => o.method === entry.method)
  if (!operation) {
    return {
      violation: {
        operation: `${entry.method} ${byPath[0]?.template ?? entry.path}`,
        part: 'route',
        pointer: '',
        message: `method ${entry.method} is not defined (defined: ${byPath.map((o) => o.method).join(', ')})`
      }
    }
  }
  const match = operation.regex.exec(relative)
  const params: Record<string, string> = {}
  operation.paramNames.forEach((name, i) => {
    params[name] = decodeURIComponent(match?.[i + 1] ?? '')
  })
  return { operation, params }
}

function tolerated(violations: ContractViolation[], entry: RequestLogEntry): ContractViolation[] {
  return violations.filter(
    (v) =>
      !KNOWN_SPEC_LAGS.some(
        (lag) =>
          lag.part === v.part &&
          (lag.operation === '*' ||
            lag.operation === v.operation ||
            (lag.operation instanceof RegExp && lag.operation.test(v.operation))) &&
          lag.applies(v, entry)
      )
  )
}

function jsonSchemaOf(content: Record<string, { schema?: unknown }> | undefined): unknown {
  return content?.['application/json']?.schema
}

/** Route, parameters and body of one logged request, minus known spec lags. */
export function checkRequestAgainstContract(entry: RequestLogEntry): ContractViolation[] {
  const found = findOperation(entry)
  if ('violation' in found) return tolerated([found.violation], entry)
  const { operation, params } = found
  const name = `${operation.method} ${operation.template}`
  const violations: ContractViolation[] = []
  const c = contract()
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'path' && parameter.in !== 'query') continue
    const value = parameter.in === 'path' ? params[parameter.name] : entry.query[parameter.name]
    if (value === undefined) {
      if (parameter.required && parameter.in === 'query') {
        violations.push({
          operation: name,
          part: 'query',
          pointer: parameter.name,
          message: 'required parameter is missing'
        })
      }
      continue
    }
    if (parameter.schema === undefined) continue
    const holder = { value }
    const validate = c.validator({ type: 'object', properties: { value: parameter.schema } }, true)
    if (!validate(holder)) {
      violations.push({
        operation: name,
        part: parameter.in === 'path' ? 'route' : 'query',
        pointer: parameter.name,
        message: (validate.errors ?? []).map((e) => e.message).join('; '),
        value
      })
    }
  }
  const declared = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name))
  for (const key of Object.keys(entry.query)) {
    if (!declared.has(key)) {
      violations.push({
        operation: name,
        part: 'query',
        pointer: key,
        message: 'query parameter is not declared',
        value: entry.query[key]
      })
    }
  }
  const body = operation.requestBody
  if (entry.body === undefined) {
    if (body?.required) {
      violations.push({
        operation: name,
        part: 'request',
        pointer: '',
        message: 'a request body is required'
      })
    }
  } else if (!body) {
    violations.push({
      operation: name,
      part: 'request',
      pointer: '',
      message: 'this operation takes no request body'
    })
  } else {
    const schema = jsonSchemaOf(body.content)
    if (schema !== undefined) {
      violations.push(...schemaViolations(c.validator(schema), entry.body, name, 'request'))
      violations.push(...extraProperties(schema, entry.body, name, 'request'))
    }
  }
  return tolerated(violations, entry)
}

function responseSchema(operation: Operation, status: number): unknown {
  const responses = operation.responses
  const key = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find(
    (k) => responses[k] !== undefined
  )
  if (key) return jsonSchemaOf(responses[key]?.content)
  // The cut documents no 5XX; live 5xx answers carry the ordinary failure envelope.
  if (status >= 500) return { $ref: '#/components/schemas/iam_api-response-common-failure' }
  return undefined
}

/** The logged answer against the schema for its status; a dropped connection (status 0) has nothing to check. */
export function checkResponseAgainstContract(entry: RequestLogEntry): ContractViolation[] {
  if (entry.status === 0) return []
  const found = findOperation(entry)
  if ('violation' in found) {
    // Unknown routes must still answer with a failure envelope.
    if (entry.status < 400) return tolerated([found.violation], entry)
    const validate = contract().validator({
      $ref: '#/components/schemas/iam_api-response-common-failure'
    })
    return schemaViolations(validate, entry.response, `${entry.method} ${entry.path}`, 'response')
  }
  const { operation } = found
  const name = `${operation.method} ${operation.template}`
  const schema = responseSchema(operation, entry.status)
  if (schema === undefined) {
    return tolerated(
      [
        {
          operation: name,
          part: 'response',
          pointer: '',
          message: `status ${entry.status} is not documented`
        }
      ],
      entry
    )
  }
  const violations = schemaViolations(
    contract().validator(schema),
    entry.response,
    name,
    'response'
  )
  if (entry.status >= 400) {
    // Failure answers must also be well-formed failures, whatever the operation's own schema allows.
    const failure = contract().validator({
      $ref: '#/components/schemas/iam_api-response-common-failure'
    })
    for (const v of schemaViolations(failure, entry.response, name, 'response')) {
      if (!violations.some((w) => w.pointer === v.pointer && w.message === v.message)) {
        violations.push(v)
      }
    }
  }
  violations.push(...extraProperties(schema, entry.response, name, 'response'))
  return tolerated(violations, entry)
}

function describeViolation(entry: RequestLogEntry, v: ContractViolation): string {
  const where = v.pointer === '' ? '' : ` at ${v.pointer}`
  const value = v.value === undefined ? '' : ` (got ${JSON.stringify(v.value)?.slice(0, 120)})`
  return `${entry.method} ${entry.path} -> ${entry.status}: ${v.part}${where}: ${v.message}${value} [${v.operation}]`
}

/**
 * Throws one error listing every contract violation in the log. Request bodies are checked for accepted (2xx)
 * requests only; pass `{ requests: 'all' }` to check rejected ones too.
 */
export function assertContract(
  requests: readonly RequestLogEntry[],
  options: { requests?: 'accepted' | 'all' } = {}
): void {
  const problems: string[] = []
  for (const entry of requests) {
    const checkRequest = options.requests === 'all' || (entry.status >= 200 && entry.status < 300)
    const violations = [
      ...(checkRequest ? checkRequestAgainstContract(entry) : []),
      ...checkResponseAgainstContract(entry)
    ]
    for (const problem of violations.map((v) => describeViolation(entry, v))) {
      if (!problems.includes(problem)) problems.push(problem)
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} contract violation(s) against reference/cloudflare-openapi-subset.json ` +
        `(add to KNOWN_SPEC_LAGS in test/support/openapi-contract.ts only for a documented API difference):\n` +
        problems.map((p) => `  - ${p}`).join('\n')
    )
  }
}
