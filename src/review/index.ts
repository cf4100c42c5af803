export {
  DEFAULT_DUE_DAYS,
  reviewDue,
  daysUntilDue,
  periodFromKey,
  reviewDueDate,
  reviewPeriod,
  type ReviewPeriod,
  type ReviewPeriodKind
} from './period.js'
export {
  buildAccessReview,
  type AccessReview,
  type AccessReviewOptions,
  type InventoryItem,
  type InventorySection,
  type LoginInfo,
  type StaleAccess
} from './access-review.js'
export { certificationKey, parseCertificationKey } from './certifications.js'
export {
  DECISION_RECORD_PREFIX,
  attributeTicks,
  decisionBoxComment,
  decisionRecordMarker,
  decisionRecordPayload,
  newTicks,
  parseDecisionBoxes,
  readDecisionLedger,
  unexplainedTicks,
  type Attribution,
  type Decision,
  type DecisionLedger,
  type DecisionRecord,
  type RefusedTick,
  type Tick
} from './decisions.js'
export {
  REMINDER_DAYS_BEFORE,
  REMINDER_MARKER_PREFIX,
  planReminder,
  reminderMarker,
  type OwnerReminder,
  type Reminder
} from './reminders.js'
export {
  removeGrants,
  reviewRevocations,
  type FileEdit,
  type Revocation,
  type RevocationSet
} from './revocations.js'
export {
  POPULATION_ENDPOINTS,
  buildEvidenceRecord,
  evidenceCsv,
  evidenceRecordJsonSchema,
  evidenceRecordSchema,
  isReviewComplete,
  renderEvidenceRecordJsonSchema,
  type EvidenceInput,
  type EvidenceRecord
} from './evidence.js'
export { evaluateSignoff, type SignoffResult, type SignoffReviewer } from './signoff.js'
