export {
  codeSpan,
  escapeHtml,
  escapeMarkdown,
  escapeTableCell,
  link,
  mention,
  mentionList,
  toSingleLine
} from './markdown.js'
export { DEFAULT_MAX_LENGTH, SUMMARY_MAX_BYTES } from './cap.js'
export { markPlanOutOfDate, type PlanFailure } from './plan-failed.js'
export {
  PLAN_COMMENT_MARKER,
  planVerdict,
  renderPlanComment,
  renderPlanReports,
  renderPlanSummary,
  type PlanCommentOptions
} from './plan-comment.js'
export {
  renderUnchangedFileComment,
  renderUnchangedFileSummary,
  type UnchangedFileReport
} from './plan-unchanged.js'
export { PLAIN, renderPlanText, type TextStyle } from './plan-text.js'
export { renderApplyText } from './apply-text.js'
export {
  APPLY_REFUSED_MARKER,
  renderApplyRefusal,
  renderApplyRefusedComment
} from './apply-refused.js'
export { actionOverrideAdvice, cliOverrideAdvice } from './overrides.js'
export {
  APPLY_COMMENT_MARKER,
  applyVerdict,
  renderApplyComment,
  renderApplySummary
} from './apply-comment.js'
export {
  parseReviewMarker,
  REVIEW_MARKER_PREFIX,
  renderReviewIssue,
  reviewFitsOneIssue,
  partNumbersOf,
  REVIEW_SPLIT_MARKER,
  reviewMarker,
  type ReviewIssueOptions,
  type ReviewPartLink,
  type NotCounted,
  type ReviewDue,
  type ReviewRevocations
} from './review-issue.js'
export {
  PART_BUDGET,
  REVIEW_PART_MARKER_PREFIX,
  parseReviewPartMarker,
  renderRetiredPart,
  renderReviewPart,
  reviewPartMarker,
  reviewPartsPrefix,
  splitInventory,
  type ReviewPartOptions
} from './review-parts.js'
export { renderDecisionComment } from './review-decisions.js'
export { renderReminderComment } from './review-reminder.js'
export { SIGNOFF_MARKER, renderEvidenceReport, renderSignoffComment } from './review-evidence.js'
