/** Everything that talks to GitHub. */
export { createOctokit } from './octokit.js'
export type { Octokit, OctokitFactoryOptions } from './octokit.js'
export { createGitHubPort } from './repo.js'
export type {
  GitHubPort,
  CommentInfo,
  GitHubPortOptions,
  IssueInfo,
  PullRequestInfo,
  PullRequestWithFileArgs,
  RepoRef,
  Review,
  StickyCommentResult
} from './repo.js'
export {
  TEAM_PERMISSION_HINT,
  evaluateApprovals,
  latestReviewStates,
  ownerApprovalsForPlan,
  reviewerFactsFrom,
  teamMembershipFrom
} from './approvals.js'
export type {
  ApprovalDecision,
  ApprovalInput,
  ApprovalTarget,
  Grantees,
  ReviewerFacts,
  TeamMembership,
  UncountedApproval
} from './approvals.js'
export type { RepositoryPermission } from './reviewers.js'
export { describeEvent } from './event.js'
export type { EventInfo, EventKind } from './event.js'
export { GitHubApiError } from './errors.js'
export type { PushedFiles } from './compare.js'
export {
  ACTIONS_BOT_LOGIN,
  MAX_BODY_LENGTH,
  fitBody,
  isBotLogin,
  parseTeamOwner,
  sameLogin
} from './logins.js'
