import { ApiError, badRequest, noRoute, paginate, success, type Reply } from '../http.js'
import { ruleProblem } from '../rules.js'
import { nextCreatedId, uuidFrom, type EmulatorGroup, type EmulatorRule } from '../state.js'
import { isPlainObject, type RouteContext } from './context.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Cloudflare's documented limits for one Access group (account-limits page). */
export const MAX_GROUP_RULES = 1000
export const MAX_GROUP_NAME_LENGTH = 350

function invalid(detail: string) {
  return badRequest(12130, `access.api.error.invalid_request: ${detail}`)
}

/** Access reports a missing object as 404 12135, unlike the 7003 of the account APIs. */
function accessNotFound(): ApiError {
  return new ApiError(404, [{ code: 12135, message: 'access.api.error.not_found' }])
}

/** As recorded: the list answer carries `uid` (equal to `id`) next to `id`. */
export function groupResponse(group: EmulatorGroup): Record<string, unknown> {
  return { ...group, uid: group.id }
}

interface GroupDocument {
  name: string
  include: EmulatorRule[]
  exclude: EmulatorRule[]
  require: EmulatorRule[]
  is_default?: boolean
}

/** Create and update take the same complete document; anything left out of it is gone afterwards. */
function readGroupDocument(body: unknown): GroupDocument {
  if (!isPlainObject(body)) throw invalid('the body must be a JSON object with name and include')
  const { name, include, exclude, require, is_default } = body
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalid('"name" is required and must be a non-empty string')
  }
  if (name.length > MAX_GROUP_NAME_LENGTH) {
    throw invalid(`"name" must be at most ${MAX_GROUP_NAME_LENGTH} characters, got ${name.length}`)
  }
  if (!Array.isArray(include) || include.length === 0) {
    throw invalid('"include" is required and must be a non-empty array of rules')
  }
  const rules: Record<'include' | 'exclude' | 'require', EmulatorRule[]> = {
    include: include as EmulatorRule[],
    exclude: [],
    require: []
  }
  for (const [field, value] of [
    ['exclude', exclude],
    ['require', require]
  ] as const) {
    if (value === undefined || value === null) continue
    if (!Array.isArray(value)) throw invalid(`"${field}" must be an array of rules`)
    rules[field] = value as EmulatorRule[]
  }
  for (const field of ['include', 'exclude', 'require'] as const) {
    for (const [i, rule] of rules[field].entries()) {
      const problem = ruleProblem(rule)
      if (problem) throw invalid(`${field}[${i}]: ${problem}`)
    }
  }
  const total = rules.include.length + rules.exclude.length + rules.require.length
  if (total > MAX_GROUP_RULES) {
    throw invalid(
      `a group can hold at most ${MAX_GROUP_RULES} rules across include, exclude and require, got ${total}`
    )
  }
  if (is_default !== undefined && typeof is_default !== 'boolean') {
    throw invalid('"is_default" must be true or false')
  }
  return {
    name,
    include: structuredClone(rules.include),
    exclude: structuredClone(rules.exclude),
    require: structuredClone(rules.require),
    ...(is_default === undefined ? {} : { is_default })
  }
}

function findGroup(ctx: RouteContext): EmulatorGroup {
  const id = ctx.params['group_id'] ?? ''
  if (!UUID.test(id)) throw noRoute(ctx.path)
  const group = ctx.state.groups.find((g) => g.id === id)
  if (!group) throw accessNotFound()
  return group
}

export function listGroups(ctx: RouteContext): Reply {
  let groups = ctx.state.groups
  const name = ctx.query['name']
  if (name) groups = groups.filter((g) => g.name === name)
  const search = ctx.query['search']?.toLowerCase()
  if (search) groups = groups.filter((g) => g.name.toLowerCase().includes(search))
  return paginate(
    groups,
    ctx.query,
    { defaultPerPage: 1000, minPerPage: 1, maxPerPage: 1000, outOfRange: 'reject' },
    groupResponse
  )
}

export function getGroup(ctx: RouteContext): Reply {
  return success(groupResponse(findGroup(ctx)))
}

export function createGroup(ctx: RouteContext): Reply {
  const doc = readGroupDocument(ctx.body)
  const at = ctx.now().toISOString()
  const group: EmulatorGroup = {
    id: uuidFrom(nextCreatedId(ctx.state, 'group', doc.name)),
    name: doc.name,
    include: doc.include,
    exclude: doc.exclude,
    require: doc.require,
    ...(doc.is_default === undefined ? {} : { is_default: doc.is_default }),
    created_at: at,
    updated_at: at
  }
  ctx.state.groups.push(group)
  return success(groupResponse(group), 201)
}

export function updateGroup(ctx: RouteContext): Reply {
  const group = findGroup(ctx)
  const doc = readGroupDocument(ctx.body)
  group.name = doc.name
  group.include = doc.include
  group.exclude = doc.exclude
  group.require = doc.require
  if (doc.is_default !== undefined) group.is_default = doc.is_default
  group.updated_at = ctx.now().toISOString()
  return success(groupResponse(group))
}

export function deleteGroup(ctx: RouteContext): Reply {
  const group = findGroup(ctx)
  ctx.state.groups.splice(ctx.state.groups.indexOf(group), 1)
  return success({ id: group.id }, 202)
}
