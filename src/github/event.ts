/** What the triggering event says, read once from the payload so modes never dig in it. */
import { isBotLogin } from './logins.js'

export type EventKind =
  | 'pull_request'
  | 'pull_request_target'
  | 'push'
  | 'merge_group'
  | 'schedule'
  | 'workflow_dispatch'
  | 'issues'
  | 'issue_comment'
  | 'other'

export interface EventInfo {
  kind: EventKind
  /** The event name as GitHub gave it (also for kind 'other'). */
  name: string
  /**
   * The pull request comes from another repository (or from a deleted fork). Its workflow token is read-only and
   * secrets are withheld under `pull_request`; under `pull_request_target` its files must be treated as data.
   */
  isFork: boolean
  pullNumber?: number
  /** Login of the pull request's author. */
  pullAuthor?: string
  /** `owner/repo` the pull request comes from; undefined for a deleted fork. */
  headRepo?: string
  /** The branch name (never `refs/heads/...`); merge_group: the queue's temporary branch. */
  headRef?: string
  /** The branch name the pull request or merge queue merges into. */
  baseRef?: string
  baseSha?: string
  headSha?: string
  /** push / workflow_dispatch: the full ref, e.g. refs/heads/main. */
  ref?: string
  /** push: the commit pushed (`after`); workflow_dispatch: the commit dispatched on (GITHUB_SHA, set by main). */
  sha?: string
  /** push: the branch tip before the push (all zeros for a new branch). */
  before?: string
  /** push: true when the push rewrote the branch (a force push); absent otherwise. */
  forced?: boolean
  defaultBranch?: string
  /** The event's `action` (issues: opened, edited, ...). */
  action?: string
  /** issues: the issue as it is after the event. */
  /** `labels` only when the payload lists them (an issue form's labels are there from `opened` on). */
  /** issue_comment: the issue commented on (never set for a comment on a pull request). */
  issue?: {
    number: number
    body: string
    author: string
    labels?: string[]
    /** `updated_at`: for an edit, when it was made (the run may start well after). */
    updatedAt?: string
    state?: string
  }
  /** issue_comment: the comment; `isBot` when GitHub says its author is a bot. */
  comment?: { id: number; body: string; author: string; isBot: boolean }
  /** issues edited: the body before the edit (`changes.body.from`); absent when the body did not change. */
  bodyBefore?: string
  /** The repository the event is in is a fork (`repository.fork`): its default branch is not the real one. */
  repositoryIsFork?: boolean
  /** Who caused the event; `isBot` when GitHub says the sender is a bot (an app or the workflow token). */
  sender?: { login: string; isBot: boolean }
}

type Json = Record<string, unknown>

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

const KINDS: readonly EventKind[] = [
  'pull_request',
  'pull_request_target',
  'push',
  'merge_group',
  'schedule',
  'workflow_dispatch',
  'issues',
  'issue_comment'
]

/** `defaultBranch` is used when the payload does not name the repository's default branch (schedule). */
export function describeEvent(
  eventName: string,
  payload: unknown,
  defaultBranch?: string
): EventInfo {
  const body = record(payload) ?? {}
  const kind = (KINDS as readonly string[]).includes(eventName) ? (eventName as EventKind) : 'other'
  const info: EventInfo = { kind, name: eventName, isFork: false }
  const repoDefault = text(record(body.repository)?.default_branch) ?? defaultBranch
  if (repoDefault) info.defaultBranch = repoDefault
  if (record(body.repository)?.fork === true) info.repositoryIsFork = true

  const pull = record(body.pull_request)
  if (pull) {
    const base = record(pull.base)
    const head = record(pull.head)
    const baseRepo = text(record(base?.repo)?.full_name)
    const headRepo = text(record(head?.repo)?.full_name)
    // A deleted fork has head.repo null: nothing proves it is ours, so it counts as a fork.
    info.isFork = headRepo === undefined || headRepo.toLowerCase() !== baseRepo?.toLowerCase()
    if (typeof pull.number === 'number') info.pullNumber = pull.number
    const author = text(record(pull.user)?.login)
    if (author) info.pullAuthor = author
    if (headRepo) info.headRepo = headRepo
    assign(info, 'headRef', text(head?.ref))
    assign(info, 'headSha', text(head?.sha))
    assign(info, 'baseRef', text(base?.ref))
    assign(info, 'baseSha', text(base?.sha))
  }
  const group = record(body.merge_group)
  if (kind === 'merge_group' && group) {
    // The queue tests head_sha, the would-be merge of base_sha and the queued pull requests; refs come in full.
    assign(info, 'headSha', text(group.head_sha))
    assign(info, 'baseSha', text(group.base_sha))
    assign(info, 'headRef', branchName(text(group.head_ref)))
    assign(info, 'baseRef', branchName(text(group.base_ref)))
  }
  assign(info, 'action', text(body.action))
  const issue = record(body.issue)
  const onIssue = kind === 'issues' || (kind === 'issue_comment' && !record(issue?.pull_request))
  if (onIssue && issue && typeof issue.number === 'number') {
    info.issue = {
      number: issue.number,
      body: typeof issue.body === 'string' ? issue.body : '',
      author: text(record(issue.user)?.login) ?? 'ghost'
    }
    const updatedAt = text(issue.updated_at)
    if (updatedAt) info.issue.updatedAt = updatedAt
    if (Array.isArray(issue.labels)) {
      info.issue.labels = issue.labels
        .map((label: unknown) => (typeof label === 'string' ? label : text(record(label)?.name)))
        .filter((name): name is string => name !== undefined)
    }
    const state = text(issue.state)
    if (state) info.issue.state = state
    const before = record(record(body.changes)?.body)?.from
    if (kind === 'issues' && typeof before === 'string') info.bodyBefore = before
    const comment = record(body.comment)
    if (kind === 'issue_comment' && comment && typeof comment.id === 'number') {
      const user = record(comment.user)
      const author = text(user?.login) ?? 'ghost'
      info.comment = {
        id: comment.id,
        body: typeof comment.body === 'string' ? comment.body : '',
        author,
        isBot: user?.type === 'Bot' || isBotLogin(author)
      }
    }
  }
  const sender = record(body.sender)
  const senderLogin = text(sender?.login)
  if (senderLogin) {
    info.sender = {
      login: senderLogin,
      isBot: sender?.type === 'Bot' || /\[bot\]$/i.test(senderLogin)
    }
  }
  assign(info, 'ref', text(body.ref))
  if (kind === 'push') {
    assign(info, 'sha', text(body.after))
    assign(info, 'before', text(body.before))
    if (body.forced === true) info.forced = true
  }
  return info
}

function branchName(ref: string | undefined): string | undefined {
  return ref?.replace(/^refs\/heads\//, '')
}

function assign<K extends keyof EventInfo>(
  info: EventInfo,
  key: K,
  value: EventInfo[K] | undefined
): void {
  if (value !== undefined) info[key] = value
}
