export { planChanges } from './plan.js'
export type { PlanOptions } from './options.js'
export { applyMembershipChange } from './membership.js'
export {
  changeKey,
  hasChanges,
  isPlanBlocked,
  planBlockers,
  splitByPullRequest
} from './compare.js'
export { emailKey, emailOfRule } from './email.js'
export { removalLimit } from './guards.js'
export { isExpired } from './grants.js'
export { grantedEmails } from './granted-emails.js'
export { selectChanges } from './select.js'
