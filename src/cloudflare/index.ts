export {
  BUDGET_WINDOW_MS,
  createCloudflareClient,
  DEFAULT_REQUEST_BUDGET,
  PAGE_SIZES,
  type CloudflareClient,
  type CloudflareClientOptions,
  type CloudflareCredentials,
  type GroupUpdateBody,
  type RawAccessGroup
} from './client.js'
export { CloudflareApiError, isAlreadyMemberError, requiredPermission } from './errors.js'
export { PROGRESS_MIN_OPERATIONS, applyPlan, resultOf, type ApplyOptions } from './executor.js'
