import { createHash } from 'node:crypto'
import { paginate, type Reply } from '../http.js'
import type { EmulatorAccessPolicy, EmulatorApp } from '../state.js'
import type { RouteContext } from './context.js'

const SEEDED_AT = '2025-01-06T09:00:00Z'

/** As recorded (test/fixtures/recorded): ids doubled as uid, timestamps and session duration on each policy. */
function policyResponse(
  policy: EmulatorAccessPolicy,
  precedence?: number
): Record<string, unknown> {
  return structuredClone({
    id: policy.id,
    uid: policy.id,
    name: policy.name,
    decision: policy.decision,
    include: policy.include,
    exclude: policy.exclude,
    require: policy.require,
    reusable: policy.reusable,
    session_duration: '24h',
    ...(precedence === undefined ? {} : { precedence }),
    created_at: SEEDED_AT,
    updated_at: SEEDED_AT
  })
}

/** As recorded: every key of the recorded list entry, with the recording's defaults for what the seed does not say. */
function appResponse(app: EmulatorApp): Record<string, unknown> {
  return {
    id: app.id,
    uid: app.id,
    name: app.name,
    domain: app.domain,
    destinations: [{ type: 'public', uri: app.domain }],
    type: app.type,
    aud: createHash('sha256').update(`aud:${app.id}`).digest('hex'),
    allowed_idps: [],
    app_launcher_visible: true,
    auto_redirect_to_identity: false,
    enable_binding_cookie: false,
    http_only_cookie_attribute: true,
    options_preflight_bypass: false,
    session_duration: '24h',
    tags: [],
    policies: app.policies.map((p, i) => policyResponse(p, i + 1)),
    created_at: SEEDED_AT,
    updated_at: SEEDED_AT
  }
}

export function listApps(ctx: RouteContext): Reply {
  return paginate(
    ctx.state.apps,
    ctx.query,
    { defaultPerPage: 1000, minPerPage: 1, maxPerPage: 1000, outOfRange: 'reject' },
    appResponse
  )
}

export function listAccessPolicies(ctx: RouteContext): Reply {
  return paginate(
    ctx.state.accessPolicies,
    ctx.query,
    { defaultPerPage: 100, minPerPage: 1, maxPerPage: 1000, outOfRange: 'reject' },
    (policy) => ({ ...policyResponse(policy), app_count: appCount(ctx, policy.id) })
  )
}

function appCount(ctx: RouteContext, policyId: string): number {
  return ctx.state.apps.filter((app) => app.policies.some((p) => p.id === policyId)).length
}
