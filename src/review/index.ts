export { reviewPeriod, type ReviewPeriod, type ReviewPeriodKind } from './period.js'
export {
  buildAccessReview,
  type AccessReview,
  type AccessReviewOptions,
  type InventoryItem,
  type InventorySection,
  type LoginInfo,
  type StaleAccess
} from './access-review.js'
export {
  certificationComment,
  certificationKey,
  parseCertifications,
  type CertificationState
} from './certifications.js'
