/** In-memory state of the fake GitHub API, with seeding helpers for tests. */
import { createHash } from 'node:crypto'

export interface FakeTokenOptions {
  /** The login the token acts as, e.g. `octocat`, `github-actions[bot]`, `zt-access[bot]`. */
  login: string
  /**
   * user: a personal token (GET /user answers). actions: the workflow GITHUB_TOKEN (GET /user 403, no team reads).
   * app: a GitHub App installation token (GET /user 403, team reads allowed). Default: from the login.
   */
  kind?: 'user' | 'actions' | 'app'
  /** Overrides the kind's default for organization team reads (members: read). */
  canReadTeams?: boolean
  /** Every write answers 403, as for pull requests from forks. */
  readOnly?: boolean
}

export interface FakeToken {
  login: string
  kind: 'user' | 'actions' | 'app'
  canReadTeams: boolean
  readOnly: boolean
}

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  author: string
  labels: string[]
  createdAt: string
}

export interface FakeComment {
  id: number
  issueNumber: number
  body: string
  author: string
  createdAt: string
  updatedAt: string
}

export interface FakePullRequest {
  number: number
  title: string
  body: string
  author: string
  state: 'open' | 'closed'
  baseRef: string
  baseSha: string
  headRef: string
  headSha: string
  /** `owner/repo` of the head; null for a deleted fork. */
  headRepo: string | null
  mergedAt: string | null
  mergeCommitSha: string | null
  labels: string[]
  createdAt: string
  /** Who authored and who committed each commit (logins; null for an address GitHub links to no account). */
  commits: { author: string | null; committer: string | null }[]
}

export interface FakeReview {
  id: number
  pullNumber: number
  user: string
  state: string
  commitId: string
  submittedAt: string
}

export interface FakeLabel {
  name: string
  color: string
}

export interface AddPullRequestOptions {
  number?: number
  title?: string
  body?: string
  author?: string
  baseRef?: string
  baseSha?: string
  headRef?: string
  headSha?: string
  /** Default: this repository. */
  headRepo?: string | null
  /** Marks the pull request merged (state closed) with this merge commit, and associates the commit with it. */
  mergeCommitSha?: string
  /** Closed without merging. */
  closed?: boolean
  labels?: string[]
  /** Default: one commit authored and committed by the author. */
  commits?: { author: string | null; committer: string | null }[]
}

/** A repository permission as GitHub's role_name gives it. */
export type FakePermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read'

/** Git's blob id, so shas look and behave like GitHub's. */
export function gitBlobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex')
}

export class FakeGitHubState {
  readonly owner: string
  readonly repo: string
  defaultBranch = 'main'
  readonly tokens = new Map<string, FakeToken>()
  readonly labels = new Map<string, FakeLabel>()
  readonly issues: FakeIssue[] = []
  readonly comments: FakeComment[] = []
  readonly pulls: FakePullRequest[] = []
  readonly reviews: FakeReview[] = []
  /** Commit sha -> pull request numbers (what GET /commits/{sha}/pulls lists). */
  readonly commitPulls = new Map<string, number[]>()
  /** Commit sha -> files (path -> text). */
  readonly commits = new Map<string, Map<string, string>>()
  readonly branches = new Map<string, string>()
  readonly blobs = new Map<string, string>()
  /**
   * login (lower case) -> permission on this repository. Anyone not listed reads it as on a public repository:
   * GitHub answers `read` for a stranger.
   */
  readonly permissions = new Map<string, FakePermission>()
  /** login (lower case) -> the public e-mail of the account; none shows one unless listed. */
  readonly publicEmails = new Map<string, string>()
  /**
   * The repository setting "Allow GitHub Actions to create and approve pull requests". GitHub's default for new
   * repositories is off; the fake's is on, so tests that are not about it can open pull requests with GITHUB_TOKEN.
   */
  actionsMayCreatePullRequests = true
  /** `org/slug` (lower case) -> login (lower case) -> membership state. */
  readonly teams = new Map<string, Map<string, 'active' | 'pending'>>()
  private nextNumber = 1
  private nextId = 1000
  private commitCounter = 0
  private clock = Date.parse('2026-01-05T09:00:00Z')

  constructor(owner = 'acme', repo = 'access') {
    this.owner = owner
    this.repo = repo
  }

  get fullName(): string {
    return `${this.owner}/${this.repo}`
  }

  /** Registers a token. Returns the token for chaining in tests. */
  addToken(token: string, options: FakeTokenOptions): string {
    const kind =
      options.kind ??
      (options.login === 'github-actions[bot]'
        ? 'actions'
        : options.login.endsWith('[bot]')
          ? 'app'
          : 'user')
    this.tokens.set(token, {
      login: options.login,
      kind,
      canReadTeams: options.canReadTeams ?? kind !== 'actions',
      readOnly: options.readOnly ?? false
    })
    return token
  }

  /** A timestamp one minute after the previous one: deterministic order without a real clock. */
  tick(): string {
    this.clock += 60_000
    return new Date(this.clock).toISOString()
  }

  newId(): number {
    return this.nextId++
  }

  newNumber(): number {
    return this.nextNumber++
  }

  /** A fresh, unique 40-hex commit sha. */
  newCommitSha(): string {
    this.commitCounter += 1
    return createHash('sha1').update(`fake-commit-${this.commitCounter}`).digest('hex')
  }

  addLabel(name: string, color = 'ededed'): FakeLabel {
    const label = { name, color }
    this.labels.set(name.toLowerCase(), label)
    return label
  }

  addIssue(options: {
    title: string
    body?: string
    author: string
    labels?: string[]
    state?: 'open' | 'closed'
    number?: number
  }): FakeIssue {
    for (const label of options.labels ?? []) {
      if (!this.labels.has(label.toLowerCase())) this.addLabel(label)
    }
    const issue: FakeIssue = {
      number: this.claimNumber(options.number),
      title: options.title,
      body: options.body ?? '',
      state: options.state ?? 'open',
      author: options.author,
      labels: options.labels ?? [],
      createdAt: this.tick()
    }
    this.issues.push(issue)
    return issue
  }

  addComment(issueNumber: number, author: string, body: string): FakeComment {
    const at = this.tick()
    const comment = {
      id: this.newId(),
      issueNumber,
      body,
      author,
      createdAt: at,
      updatedAt: at
    }
    this.comments.push(comment)
    return comment
  }

  addPullRequest(options: AddPullRequestOptions = {}): FakePullRequest {
    const baseRef = options.baseRef ?? this.defaultBranch
    const pull: FakePullRequest = {
      number: this.claimNumber(options.number),
      title: options.title ?? 'Change access',
      body: options.body ?? '',
      author: options.author ?? 'alice',
      state: options.mergeCommitSha || options.closed ? 'closed' : 'open',
      baseRef,
      baseSha: options.baseSha ?? this.branches.get(baseRef) ?? this.newCommitSha(),
      headRef: options.headRef ?? 'change-access',
      headSha: options.headSha ?? this.newCommitSha(),
      headRepo: options.headRepo === undefined ? this.fullName : options.headRepo,
      mergedAt: options.mergeCommitSha ? this.tick() : null,
      mergeCommitSha: options.mergeCommitSha ?? null,
      labels: options.labels ?? [],
      createdAt: this.tick(),
      commits: options.commits ?? [
        { author: options.author ?? 'alice', committer: options.author ?? 'alice' }
      ]
    }
    this.pulls.push(pull)
    if (options.mergeCommitSha) this.associateCommit(options.mergeCommitSha, pull.number)
    return pull
  }

  grantPermission(login: string, permission: FakePermission): void {
    this.permissions.set(login.toLowerCase(), permission)
  }

  /** Lists `pullNumber` under GET /commits/{sha}/pulls (e.g. an open pull request containing the commit). */
  associateCommit(sha: string, pullNumber: number): void {
    const list = this.commitPulls.get(sha) ?? []
    if (!list.includes(pullNumber)) list.push(pullNumber)
    this.commitPulls.set(sha, list)
  }

  addReview(
    pullNumber: number,
    review: { user: string; state: string; commitId?: string; submittedAt?: string }
  ): FakeReview {
    const pull = this.pulls.find((candidate) => candidate.number === pullNumber)
    const added = {
      id: this.newId(),
      pullNumber,
      user: review.user,
      state: review.state,
      commitId: review.commitId ?? pull?.headSha ?? '',
      submittedAt: review.submittedAt ?? this.tick()
    }
    this.reviews.push(added)
    return added
  }

  /**
   * Writes a file at `ref`. A branch name (existing, or anything that is not 40 hex digits) gets the file on its
   * current commit; a 40-hex sha gets a commit of that sha.
   */
  addFile(ref: string, path: string, text: string): void {
    let sha = this.resolveRef(ref)
    if (sha === undefined) {
      sha = /^[0-9a-f]{40}$/.test(ref) ? ref : this.newCommitSha()
      if (!/^[0-9a-f]{40}$/.test(ref)) this.branches.set(ref, sha)
      this.commits.set(sha, new Map())
    }
    this.commits.get(sha)!.set(path, text)
    this.blobs.set(gitBlobSha(text), text)
  }

  /** Points a branch at a commit (created empty when unknown). */
  setBranch(name: string, sha: string): void {
    if (!this.commits.has(sha)) this.commits.set(sha, new Map())
    this.moveBranch(name, sha)
  }

  /** As on GitHub, an open pull request from our own branch follows that branch's tip. */
  private moveBranch(name: string, sha: string): void {
    this.branches.set(name, sha)
    for (const pull of this.pulls) {
      if (pull.state === 'open' && pull.headRef === name && pull.headRepo === this.fullName) {
        pull.headSha = sha
      }
    }
  }

  /** A new commit on `branch` with `path` set to `text`; returns its sha. */
  commitFile(branch: string, path: string, text: string): string {
    const parent = this.branches.get(branch)
    const files = new Map(parent ? this.commits.get(parent) : [])
    files.set(path, text)
    const sha = this.newCommitSha()
    this.commits.set(sha, files)
    this.moveBranch(branch, sha)
    this.blobs.set(gitBlobSha(text), text)
    return sha
  }

  /** Files at a branch name or commit sha; undefined when the ref is unknown. */
  filesAt(ref: string): Map<string, string> | undefined {
    const sha = this.resolveRef(ref)
    return sha === undefined ? undefined : this.commits.get(sha)
  }

  resolveRef(ref: string): string | undefined {
    const name = ref.replace(/^refs\/heads\//, '').replace(/^heads\//, '')
    if (this.branches.has(name)) return this.branches.get(name)
    return this.commits.has(ref) ? ref : undefined
  }

  /** Adds a team with active members. */
  addTeam(org: string, slug: string, members: string[] = [], pending: string[] = []): void {
    const team = new Map<string, 'active' | 'pending'>()
    for (const login of members) team.set(login.toLowerCase(), 'active')
    for (const login of pending) team.set(login.toLowerCase(), 'pending')
    this.teams.set(`${org}/${slug}`.toLowerCase(), team)
  }

  commentsOn(issueNumber: number): FakeComment[] {
    return this.comments.filter((comment) => comment.issueNumber === issueNumber)
  }

  private claimNumber(requested: number | undefined): number {
    if (requested === undefined) return this.newNumber()
    this.nextNumber = Math.max(this.nextNumber, requested + 1)
    return requested
  }
}
