/** Access rule kinds the API accepts (API-NOTES §3.1), with the field each one cannot do without. */
const RULE_KINDS: Record<string, string[]> = {
  email: ['email'],
  email_domain: ['domain'],
  email_list: ['id'],
  everyone: [],
  ip: ['ip'],
  ip_list: ['id'],
  geo: ['country_code'],
  group: ['id'],
  service_token: ['token_id'],
  any_valid_service_token: [],
  certificate: [],
  common_name: ['common_name'],
  auth_method: ['auth_method'],
  login_method: ['id'],
  device_posture: ['integration_uid'],
  external_evaluation: ['evaluate_url', 'keys_url'],
  azureAD: ['id'],
  'github-organization': ['name'],
  gsuite: ['email'],
  okta: [],
  saml: ['attribute_name', 'attribute_value'],
  oidc: ['claim_name', 'claim_value'],
  auth_context: ['id', 'ac_id'],
  linked_app_token: ['app_uid'],
  user_risk_score: ['user_risk_score'],
  cloudflare_account_member: ['account_id']
}

/** Why `rule` is not a valid Access rule, or undefined when it is. */
export function ruleProblem(rule: unknown): string | undefined {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    return 'each rule must be an object like {"email": {"email": "a@example.com"}}'
  }
  const keys = Object.keys(rule)
  if (keys.length === 0) {
    return 'each rule must have exactly one key (the rule kind), got an empty object'
  }
  if (keys.length > 1) {
    return `each rule must have exactly one key (the rule kind), got ${keys.length} (${keys.join(', ')}); put each condition in its own array element`
  }
  const kind = keys[0] as string
  const required = RULE_KINDS[kind]
  if (!required) {
    return `unknown rule kind "${kind}"`
  }
  const value = (rule as Record<string, unknown>)[kind]
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `rule "${kind}" must have an object value`
  }
  for (const field of required) {
    const v = (value as Record<string, unknown>)[field]
    if (v === undefined || v === null || v === '') {
      return `rule "${kind}" needs "${field}"`
    }
  }
  if (kind === 'email' && !/^[^@\s]+@[^@\s]+$/.test(String((value as { email: unknown }).email))) {
    return `rule "email" needs a valid e-mail address, got ${JSON.stringify((value as { email: unknown }).email)}`
  }
  return undefined
}
