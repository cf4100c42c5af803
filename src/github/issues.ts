/** Access-review issues: found by label + hidden marker + our authorship, never by the search API. */
import { describeFailure, gitHubApiError, statusOf } from './errors.js'
import { fitBody, sameLogin } from './logins.js'
import type { Octokit } from './octokit.js'
import type { IssueInfo, RepoRef } from './repo.js'

const READ_ISSUES = 'issues: read'
const WRITE_ISSUES = 'issues: write'
/** Colour of labels we create (GitHub's neutral grey-blue). */
const LABEL_COLOR = 'bfd4f2'

interface IssueFields {
  number: number
  html_url: string
  title: string
  body?: string | null
  state: string
  user: { login: string } | null
  pull_request?: unknown
  labels?: (string | { name?: string })[]
}

function toIssueInfo(issue: IssueFields): IssueInfo {
  return {
    number: issue.number,
    url: issue.html_url,
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state,
    author: issue.user?.login ?? 'ghost',
    labels: (issue.labels ?? []).flatMap((label) =>
      typeof label === 'string' ? [label] : label.name ? [label.name] : []
    )
  }
}

/** Our issues with `label`, newest first, open and closed; pull requests excluded. Stops when `accept` says so. */
async function findOwnIssue(
  octokit: Octokit,
  repo: RepoRef,
  self: string,
  label: string,
  accept: (issue: IssueInfo) => boolean
): Promise<IssueInfo | undefined> {
  return describeFailure(`list the issues labelled "${label}"`, READ_ISSUES, async () => {
    const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
      ...repo,
      labels: label,
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: 100
    })
    for await (const page of pages) {
      for (const issue of page.data) {
        if (issue.pull_request || !issue.user || !sameLogin(issue.user.login, self)) continue
        const info = toIssueInfo(issue)
        if (accept(info)) return info
      }
    }
    return undefined
  })
}

export function findIssueByMarker(
  octokit: Octokit,
  repo: RepoRef,
  self: string,
  label: string,
  marker: string
): Promise<IssueInfo | undefined> {
  return findOwnIssue(octokit, repo, self, label, (issue) => issue.body.includes(marker))
}

/** Every issue of ours with `label` whose body contains `marker`, open and closed, oldest first. */
export async function listIssuesWithMarker(
  octokit: Octokit,
  repo: RepoRef,
  self: string,
  label: string,
  marker: string
): Promise<IssueInfo[]> {
  const found: IssueInfo[] = []
  await findOwnIssue(octokit, repo, self, label, (issue) => {
    if (issue.body.includes(marker)) found.push(issue)
    return false
  })
  return found.reverse()
}

export function findLatestIssueWithLabel(
  octokit: Octokit,
  repo: RepoRef,
  self: string,
  label: string,
  markerPrefix: string,
  exceptMarker?: string
): Promise<IssueInfo | undefined> {
  return findOwnIssue(
    octokit,
    repo,
    self,
    label,
    (issue) =>
      issue.body.includes(markerPrefix) &&
      (exceptMarker === undefined || !issue.body.includes(exceptMarker))
  )
}

/** One issue by number; undefined when it does not exist or is a pull request. */
export async function getIssue(
  octokit: Octokit,
  repo: RepoRef,
  number: number
): Promise<IssueInfo | undefined> {
  try {
    const { data } = await octokit.rest.issues.get({ ...repo, issue_number: number })
    return data.pull_request ? undefined : toIssueInfo(data)
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return undefined
    throw gitHubApiError(error, `read issue #${number}`, READ_ISSUES)
  }
}

export async function createIssue(
  octokit: Octokit,
  repo: RepoRef,
  title: string,
  body: string,
  labels: string[],
  /** Labels this run has made sure of already: a review writing many issues asks once. */
  ensured: Set<string> = new Set()
): Promise<IssueInfo> {
  for (const label of labels) {
    if (ensured.has(label.toLowerCase())) continue
    await ensureLabel(octokit, repo, label)
    ensured.add(label.toLowerCase())
  }
  const { data } = await describeFailure(`create the issue "${title}"`, WRITE_ISSUES, () =>
    octokit.rest.issues.create({ ...repo, title, body: fitBody(body), labels })
  )
  return toIssueInfo(data)
}

export async function updateIssue(
  octokit: Octokit,
  repo: RepoRef,
  number: number,
  fields: { title?: string; body?: string; state?: 'open' | 'closed' }
): Promise<void> {
  await describeFailure(`update issue #${number}`, WRITE_ISSUES, () =>
    octokit.rest.issues.update({
      ...repo,
      issue_number: number,
      ...fields,
      ...(fields.body === undefined ? {} : { body: fitBody(fields.body) })
    })
  )
}

/**
 * The label is how the next run finds the issue, so it is created explicitly rather than left to GitHub, which
 * creates unknown labels on a new issue only for some tokens.
 */
async function ensureLabel(octokit: Octokit, repo: RepoRef, name: string): Promise<void> {
  try {
    await octokit.rest.issues.getLabel({ ...repo, name })
    return
  } catch (error) {
    if (statusOf(error) !== 404)
      throw gitHubApiError(error, `read the label "${name}"`, READ_ISSUES)
  }
  try {
    await octokit.rest.issues.createLabel({ ...repo, name, color: LABEL_COLOR })
  } catch (error) {
    // 422 "already_exists": another run created it in the meantime.
    if (statusOf(error) !== 422)
      throw gitHubApiError(error, `create the label "${name}"`, WRITE_ISSUES)
  }
}
