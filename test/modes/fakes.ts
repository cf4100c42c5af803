/** In-memory ports for driving the modes: no HTTP, every call recorded for exact assertions. */
import type { ActionInputs } from '../../src/action/inputs.js'
import { readInputs } from '../../src/action/inputs.js'
import type {
  CloudflareClient,
  GroupUpdateBody,
  RawAccessGroup
} from '../../src/cloudflare/index.js'
import { CloudflareApiError } from '../../src/cloudflare/index.js'
import type {
  EventInfo,
  GitHubPort,
  IssueInfo,
  PullRequestInfo,
  PullRequestWithFileArgs,
  PushedFiles,
  RepositoryPermission,
  Review
} from '../../src/github/index.js'
import type { AccountSnapshot, Plan, SourceLocation } from '../../src/model/index.js'
import { SUPER_ADMIN_ROLE } from '../../src/model/index.js'
import type { ActionIO, ModeDeps } from '../../src/modes/ports.js'

export const ACCOUNT = '0123456789abcdef0123456789abcdef'
export const NOW = new Date('2026-03-15T12:00:00Z')
export const CONFIG = 'cloudflare-access.yaml'

export const ENG_ID = 'aaaaaaaa-1111-4222-8333-444455556666'
export const OPS_ID = 'bbbbbbbb-1111-4222-8333-444455556666'
export const UNMANAGED_ID = 'cccccccc-1111-4222-8333-444455556666'
export const READ_ONLY_ROLE = { id: 'role-read-only', name: 'Administrator Read Only' }

/** A small account: two managed groups (plus one the file never mentions), three members, one role in use. */
export function baseSnapshot(): AccountSnapshot {
  return {
    accountId: ACCOUNT,
    groups: [
      {
        id: ENG_ID,
        name: 'Engineering',
        include: [
          { email: { email: 'alice@example.com' } },
          { email: { email: 'bob@example.com' } }
        ],
        exclude: [],
        require: []
      },
      {
        id: OPS_ID,
        name: 'Ops',
        include: [{ email: { email: 'olga@example.com' } }, { ip: { ip: '10.0.0.0/8' } }],
        exclude: [],
        require: []
      },
      {
        id: UNMANAGED_ID,
        name: 'Unmanaged',
        include: [{ email: { email: 'zed@example.com' } }],
        exclude: [],
        require: []
      }
    ],
    members: [
      {
        id: 'm-admin',
        email: 'admin@example.com',
        status: 'accepted',
        roles: [{ id: SUPER_ADMIN_ROLE.id, name: SUPER_ADMIN_ROLE.name }],
        usesPolicies: false
      },
      {
        id: 'm-carol',
        email: 'carol@example.com',
        status: 'accepted',
        roles: [READ_ONLY_ROLE],
        usesPolicies: false
      },
      {
        id: 'm-dave',
        email: 'dave@example.com',
        status: 'accepted',
        roles: [READ_ONLY_ROLE],
        usesPolicies: false
      }
    ],
    roles: [SUPER_ADMIN_ROLE, READ_ONLY_ROLE],
    users: [
      'admin@example.com',
      'alice@example.com',
      'bob@example.com',
      'carol@example.com',
      'dave@example.com',
      'erin@example.com',
      'olga@example.com'
    ].map((email, index) => ({
      id: `u-${index}`,
      email,
      lastSuccessfulLogin: '2026-03-01T00:00:00Z',
      accessSeat: true,
      gatewaySeat: false
    }))
  }
}

export type CloudflareWrite =
  | { call: 'putGroup'; id: string; body: GroupUpdateBody }
  | { call: 'setMemberRoles'; memberId: string; roleIds: string[] }
  | { call: 'inviteMember'; email: string; roleIds: string[] }
  | { call: 'removeMember'; memberId: string }
  | { call: 'endAccessSessions'; email: string }

export interface FakeCloudflare {
  /** What deps.cloudflare receives: records the account id it was asked for. */
  connect: (accountId: string) => CloudflareClient
  connectedTo: string[]
  /** Every method call, by name, in order (reads included). */
  calls: string[]
  writes: CloudflareWrite[]
  /** Make the next write to this group or member id fail with a 500. */
  failWritesTo: Set<string>
}

export function fakeCloudflare(snapshot: AccountSnapshot = baseSnapshot()): FakeCloudflare {
  const fake: FakeCloudflare = {
    connectedTo: [],
    calls: [],
    writes: [],
    failWritesTo: new Set(),
    connect: (accountId) => {
      fake.connectedTo.push(accountId)
      return client
    }
  }
  const failIfAsked = (id: string): void => {
    if (fake.failWritesTo.has(id)) {
      throw new CloudflareApiError('HTTP 500 after 5 attempts.', {
        status: 500,
        method: 'PUT',
        path: `/accounts/${ACCOUNT}/${id}`,
        errors: [{ code: 10000, message: 'Internal error' }]
      })
    }
  }
  const client: CloudflareClient = {
    get requestCount() {
      return fake.calls.length
    },
    verifyCredentials: async () => {
      fake.calls.push('verifyCredentials')
    },
    readAccessApplications: async () => {
      fake.calls.push('readAccessApplications')
      return { status: 'read', applications: [] }
    },
    readAccountSnapshot: async () => {
      fake.calls.push('readAccountSnapshot')
      return structuredClone(snapshot)
    },
    // The cost of a list is not known to this fake, so apply re-reads each object with its own GET.
    listPages: () => undefined,
    listGroups: async () => {
      throw new Error('fake: apply lists only when it knows the cost')
    },
    listMembers: async () => {
      throw new Error('fake: apply lists only when it knows the cost')
    },
    getGroup: async (id) => {
      fake.calls.push(`getGroup ${id}`)
      const group = snapshot.groups.find((candidate) => candidate.id === id)
      if (!group) throw new Error(`fake: no group ${id}`)
      return structuredClone(group) as RawAccessGroup
    },
    putGroup: async (id, body) => {
      fake.calls.push(`putGroup ${id}`)
      failIfAsked(id)
      fake.writes.push({ call: 'putGroup', id, body: structuredClone(body) })
      return { id, ...body } as RawAccessGroup
    },
    getMember: async (memberId) => {
      fake.calls.push(`getMember ${memberId}`)
      const member = snapshot.members.find((candidate) => candidate.id === memberId)
      if (!member) throw new Error(`fake: no member ${memberId}`)
      return structuredClone(member)
    },
    setMemberRoles: async (memberId, roleIds) => {
      fake.calls.push(`setMemberRoles ${memberId}`)
      failIfAsked(memberId)
      fake.writes.push({ call: 'setMemberRoles', memberId, roleIds: [...roleIds] })
    },
    inviteMember: async (email, roleIds) => {
      fake.calls.push(`inviteMember ${email}`)
      fake.writes.push({ call: 'inviteMember', email, roleIds: [...roleIds] })
    },
    removeMember: async (memberId) => {
      fake.calls.push(`removeMember ${memberId}`)
      failIfAsked(memberId)
      fake.writes.push({ call: 'removeMember', memberId })
    },
    endAccessSessions: async (email) => {
      fake.calls.push(`endAccessSessions ${email}`)
      failIfAsked(email)
      fake.writes.push({ call: 'endAccessSessions', email })
      return true
    }
  }
  return fake
}

export interface FakeGitHubData {
  /** ref -> path -> text */
  filesAtRef: Record<string, Record<string, string>>
  pullRequests: PullRequestInfo[]
  reviews: Record<number, Review[]>
  /** pull request number -> the paths it changes; none unless listed. */
  pullRequestFiles: Record<number, string[]>
  /** `before...after` -> what the push changed. */
  pushedFiles: Record<string, PushedFiles>
  /** `org/slug` -> member logins (lower case); teams not listed are unreadable ('unknown'). */
  teams: Record<string, string[]>
  /** login (lower case) -> repository permission; anyone not listed has write. */
  permissions: Record<string, RepositoryPermission>
  /** pull request number -> logins that authored or committed its commits; default its author. */
  commitLogins: Record<number, string[]>
  /** login (lower case) -> public e-mail; nobody shows one unless listed. */
  publicEmails: Record<string, string>
  issues: (IssueInfo & { labels: string[] })[]
  /** Who the token is; default github-actions[bot] (the workflow GITHUB_TOKEN). */
  login: string
  /** The repository setting that lets GITHUB_TOKEN open pull requests, as the token can read it; default true. */
  actionsMayCreatePullRequests: boolean | 'unknown'
  comments: {
    id: number
    issueNumber: number
    body: string
    /** Default: github-actions[bot], created and last updated at a time derived from the id. */
    author?: string
    createdAt?: string
    updatedAt?: string
  }[]
}

export interface FakeGitHub {
  port: GitHubPort
  data: FakeGitHubData
  /** Every call as `method arg, arg`, in order. */
  calls: string[]
  prsWithFile: PullRequestWithFileArgs[]
}

export function fakeGitHub(partial: Partial<FakeGitHubData> = {}): FakeGitHub {
  const data: FakeGitHubData = {
    filesAtRef: {},
    pullRequests: [],
    reviews: {},
    pullRequestFiles: {},
    pushedFiles: {},
    teams: {},
    permissions: {},
    commitLogins: {},
    publicEmails: {},
    issues: [],
    login: 'github-actions[bot]',
    actionsMayCreatePullRequests: true,
    comments: [],
    ...partial
  }
  const calls: string[] = []
  const prsWithFile: PullRequestWithFileArgs[] = []
  let nextId = 1000
  const log = (method: string, ...args: unknown[]): void => {
    calls.push(`${method} ${args.map((arg) => String(arg)).join(', ')}`.trim())
  }
  const editSticky = (
    issueNumber: number,
    marker: string,
    update: string | ((existing: string) => string)
  ) => {
    const existing = data.comments.find(
      (comment) => comment.issueNumber === issueNumber && comment.body.includes(marker)
    )
    if (!existing) return undefined
    const body = typeof update === 'string' ? update : update(existing.body)
    if (existing.body === body) return { id: existing.id, action: 'unchanged' as const }
    existing.body = body
    return { id: existing.id, action: 'updated' as const }
  }
  const port: GitHubPort = {
    whoAmI: async () => {
      log('whoAmI')
      return data.login
    },
    upsertStickyComment: async (issueNumber, marker, body) => {
      log('upsertStickyComment', issueNumber, marker)
      const existing = editSticky(issueNumber, marker, body)
      if (existing) return existing
      const comment = { id: nextId++, issueNumber, body }
      data.comments.push(comment)
      return { id: comment.id, action: 'created' }
    },
    updateStickyComment: async (issueNumber, marker, body) => {
      log('updateStickyComment', issueNumber, marker)
      return editSticky(issueNumber, marker, body)
    },
    createComment: async (issueNumber, body) => {
      log('createComment', issueNumber)
      const comment = { id: nextId++, issueNumber, body }
      data.comments.push(comment)
      return { id: comment.id }
    },
    listIssueComments: async (issueNumber) => {
      log('listIssueComments', issueNumber)
      return data.comments
        .filter((comment) => comment.issueNumber === issueNumber)
        .map((comment) => {
          const at = new Date(Date.UTC(2026, 0, 1) + comment.id * 1000).toISOString()
          return {
            id: comment.id,
            author: comment.author ?? 'github-actions[bot]',
            body: comment.body,
            createdAt: comment.createdAt ?? at,
            updatedAt: comment.updatedAt ?? comment.createdAt ?? at
          }
        })
    },
    getIssue: async (number) => {
      log('getIssue', number)
      return data.issues.find((issue) => issue.number === number)
    },
    readFilesAtRef: async (ref, pattern) => {
      log('readFilesAtRef', ref, pattern)
      const text = data.filesAtRef[ref]?.[pattern]
      return text === undefined ? [] : [{ path: pattern, text }]
    },
    findMergedPullRequest: async (sha, defaultBranch) => {
      log('findMergedPullRequest', sha, defaultBranch)
      return data.pullRequests.find(
        (pr) => pr.merged && pr.mergeCommitSha === sha && pr.baseRef === defaultBranch
      )
    },
    findPullRequestFromBranch: async (branch, base) => {
      log('findPullRequestFromBranch', branch, base)
      const pull = [...data.pullRequests]
        .reverse()
        .find((pr) => pr.headRef === branch && pr.baseRef === base)
      return pull ? { ...pull, state: pull.merged ? 'closed' : 'open' } : undefined
    },
    getPullRequest: async (pullNumber) => {
      log('getPullRequest', pullNumber)
      return data.pullRequests.find((pr) => pr.number === pullNumber)
    },
    listReviews: async (pullNumber) => {
      log('listReviews', pullNumber)
      return data.reviews[pullNumber] ?? []
    },
    pullRequestFiles: async (pullNumber) => {
      log('pullRequestFiles', pullNumber)
      return data.pullRequestFiles[pullNumber] ?? []
    },
    pushedFiles: async (before, after) => {
      log('pushedFiles', before, after)
      return data.pushedFiles[`${before}...${after}`] ?? { paths: [], complete: true }
    },
    repositoryPermission: async (login) => {
      log('repositoryPermission', login)
      return data.permissions[login.toLowerCase()] ?? 'write'
    },
    pullRequestCommitLogins: async (pullNumber) => {
      log('pullRequestCommitLogins', pullNumber)
      const author = data.pullRequests.find((pr) => pr.number === pullNumber)?.author
      return data.commitLogins[pullNumber] ?? (author ? [author] : [])
    },
    publicEmail: async (login) => {
      log('publicEmail', login)
      return data.publicEmails[login.toLowerCase()]
    },
    isTeamMember: async (org, teamSlug, login) => {
      log('isTeamMember', org, teamSlug, login)
      const members = data.teams[`${org}/${teamSlug}`]
      if (!members) return 'unknown'
      return members.includes(login.toLowerCase())
    },
    findIssueByMarker: async (label, marker) => {
      log('findIssueByMarker', label, marker)
      return data.issues.find(
        (issue) => issue.labels.includes(label) && issue.body.includes(marker)
      )
    },
    findLatestIssueWithLabel: async (label, markerPrefix, exceptMarker) => {
      log('findLatestIssueWithLabel', label, markerPrefix, exceptMarker)
      return [...data.issues]
        .reverse()
        .find(
          (issue) =>
            issue.labels.includes(label) &&
            issue.body.includes(markerPrefix) &&
            (exceptMarker === undefined || !issue.body.includes(exceptMarker))
        )
    },
    listIssuesWithMarker: async (label, marker) => {
      log('listIssuesWithMarker', label, marker)
      return data.issues.filter(
        (issue) =>
          issue.labels.includes(label) &&
          issue.body.includes(marker) &&
          issue.author === 'github-actions[bot]'
      )
    },
    createIssue: async (title, body, labels) => {
      log('createIssue', title, labels.join('|'))
      const number = data.issues.reduce((max, issue) => Math.max(max, issue.number), 0) + 1
      const issue = {
        number,
        url: `https://github.com/acme/access/issues/${number}`,
        title,
        body,
        state: 'open',
        author: 'github-actions[bot]',
        labels: [...labels]
      }
      data.issues.push(issue)
      return issue
    },
    updateIssue: async (number, fields) => {
      log('updateIssue', number)
      const issue = data.issues.find((candidate) => candidate.number === number)
      if (!issue) throw new Error(`fake: no issue ${number}`)
      Object.assign(issue, fields)
    },
    createPullRequestWithFile: async (args) => {
      log('createPullRequestWithFile', args.branch, args.base, args.path)
      prsWithFile.push(args)
      return { number: 77, url: 'https://github.com/acme/access/pull/77' }
    },
    actionsMayCreatePullRequests: async () => {
      log('actionsMayCreatePullRequests')
      return data.actionsMayCreatePullRequests
    }
  }
  return { port, data, calls, prsWithFile }
}

export interface RecordingIO extends ActionIO {
  infos: string[]
  warnings: string[]
  errors: { message: string; location?: SourceLocation }[]
  summaries: string[]
  planFiles: Plan[]
  /** Paths given to uploadPlanArtifact. */
  uploads: string[]
}

export function recordingIO(): RecordingIO {
  const io: RecordingIO = {
    infos: [],
    warnings: [],
    errors: [],
    summaries: [],
    planFiles: [],
    uploads: [],
    info: (message) => io.infos.push(message) && undefined,
    warning: (message) => io.warnings.push(message) && undefined,
    error: (message, location) => {
      io.errors.push(location ? { message, location } : { message })
    },
    appendSummary: async (markdown) => {
      io.summaries.push(markdown)
    },
    writePlanFile: async (plan) => {
      io.planFiles.push(plan)
      return '/tmp/runner/cloudflare-access-plan.json'
    },
    uploadPlanArtifact: async (path) => {
      io.uploads.push(path)
      return {
        name: 'cloudflare-access-plan.json',
        url: 'https://github.com/acme/access/actions/runs/1/artifacts/1000'
      }
    }
  }
  return io
}

/** Inputs as the action would read them from action.yml defaults plus `overrides` (by input name). */
export function inputs(
  overrides: Record<string, string> = {},
  extra: Partial<ActionInputs> = {}
): ActionInputs {
  const values: Record<string, string> = {
    'cloudflare-account-id': ACCOUNT,
    'cloudflare-api-token': 'tok_fake',
    'github-token': 'ghs_fake',
    ...overrides
  }
  return { ...readInputs((name) => values[name] ?? ''), ...extra }
}

export const PR_EVENT: EventInfo = {
  kind: 'pull_request',
  name: 'pull_request',
  isFork: false,
  pullNumber: 42,
  pullAuthor: 'author',
  headRepo: 'acme/access',
  headRef: 'feature',
  baseRef: 'main',
  baseSha: 'base-sha',
  headSha: 'head-sha',
  defaultBranch: 'main'
}

export const PUSH_EVENT: EventInfo = {
  kind: 'push',
  name: 'push',
  isFork: false,
  ref: 'refs/heads/main',
  sha: 'merge-sha',
  before: 'before-sha',
  defaultBranch: 'main'
}

export interface Harness {
  deps: ModeDeps
  io: RecordingIO
  cloudflare: FakeCloudflare
  github: FakeGitHub
  written: { path: string; text: string }[]
  readPatterns: string[]
}

export function harness(options: {
  file?: string
  files?: { path: string; text: string }[]
  event?: EventInfo
  inputs?: ActionInputs
  snapshot?: AccountSnapshot
  github?: FakeGitHub
  withGitHub?: boolean
  withCloudflare?: boolean
}): Harness {
  const io = recordingIO()
  const cloudflare = fakeCloudflare(options.snapshot ?? baseSnapshot())
  const github = options.github ?? fakeGitHub()
  const written: { path: string; text: string }[] = []
  const readPatterns: string[] = []
  const files =
    options.files ?? (options.file !== undefined ? [{ path: CONFIG, text: options.file }] : [])
  const deps: ModeDeps = {
    inputs: options.inputs ?? inputs(),
    event: options.event ?? PR_EVENT,
    repo: { owner: 'acme', repo: 'access' },
    runUrl: 'https://github.com/acme/access/actions/runs/1',
    now: () => new Date(NOW),
    io,
    readWorkspaceFiles: async (pattern) => {
      readPatterns.push(pattern)
      return files
    },
    writeWorkspaceFile: async (path, text) => {
      written.push({ path, text })
    },
    cloudflare: options.withCloudflare === false ? undefined : cloudflare.connect,
    github: options.withGitHub === false ? undefined : github.port
  }
  return { deps, io, cloudflare, github, written, readPatterns }
}

export function pullRequest(overrides: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return {
    number: 42,
    url: 'https://github.com/acme/access/pull/42',
    author: 'author',
    baseRef: 'main',
    baseSha: 'pr-base-sha',
    headSha: 'head-sha',
    mergeCommitSha: 'merge-sha',
    merged: true,
    title: 'Give erin Engineering',
    ...overrides
  }
}

export function approval(user: string, commitId = 'head-sha', id = 1): Review {
  return { id, user, state: 'APPROVED', commitId, submittedAt: `2026-03-14T10:00:0${id}Z` }
}
