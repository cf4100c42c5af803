/** Pull request comments: the sticky plan comment and plain comments. */
import { describeFailure } from './errors.js'
import { fitBody, sameLogin } from './logins.js'
import type { Octokit } from './octokit.js'
import type { CommentInfo, RepoRef, StickyCommentResult } from './repo.js'

const WRITE_COMMENTS = 'pull-requests: write (or issues: write)'

export async function upsertStickyComment(
  octokit: Octokit,
  repo: RepoRef,
  self: string,
  issueNumber: number,
  marker: string,
  body: string
): Promise<StickyCommentResult> {
  const updated = await updateStickyComment(octokit, repo, self, issueNumber, marker, body)
  if (updated) return updated
  const { id } = await createComment(octokit, repo, issueNumber, fitBody(body, marker))
  return { id, action: 'created' }
}

/** The edit half of upsertStickyComment: undefined when we wrote no such comment. */
export async function updateStickyComment(
  octokit: Octokit,
  repo: RepoRef,
  self: string,
  issueNumber: number,
  marker: string,
  body: string | ((existing: string) => string)
): Promise<StickyCommentResult | undefined> {
  const existing = await findOwnComment(octokit, repo, self, issueNumber, marker)
  if (!existing) return undefined
  const text = fitBody(typeof body === 'string' ? body : body(existing.body), marker)
  if (sameText(existing.body, text)) return { id: existing.id, action: 'unchanged' }
  await describeFailure(`update comment ${existing.id} on #${issueNumber}`, WRITE_COMMENTS, () =>
    octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body: text })
  )
  return { id: existing.id, action: 'updated' }
}

export async function createComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number,
  body: string
): Promise<{ id: number }> {
  const { data } = await describeFailure(`comment on #${issueNumber}`, WRITE_COMMENTS, () =>
    octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body: fitBody(body) })
  )
  return { id: data.id }
}

/** Every comment on the issue, oldest first, with who wrote it and whether it was edited since. */
export async function listIssueComments(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number
): Promise<CommentInfo[]> {
  return describeFailure(`read the comments of #${issueNumber}`, 'issues: read', async () => {
    const comments: CommentInfo[] = []
    for await (const comment of eachComment(octokit, repo, issueNumber)) comments.push(comment)
    return comments
  })
}

/** The oldest comment carrying the marker that we wrote; stops paging at the first match. */
async function findOwnComment(
  octokit: Octokit,
  repo: RepoRef,
  self: string,
  issueNumber: number,
  marker: string
): Promise<{ id: number; body: string } | undefined> {
  return describeFailure(
    `read the comments of #${issueNumber}`,
    'pull-requests: read',
    async () => {
      for await (const comment of eachComment(octokit, repo, issueNumber)) {
        if (sameLogin(comment.author, self) && comment.body.includes(marker)) {
          return { id: comment.id, body: comment.body }
        }
      }
      return undefined
    }
  )
}

/** The issue's comments page by page, oldest first; a deleted account's comments have the author `ghost`. */
async function* eachComment(
  octokit: Octokit,
  repo: RepoRef,
  issueNumber: number
): AsyncGenerator<CommentInfo> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: issueNumber,
    per_page: 100
  })
  for await (const page of pages) {
    for (const comment of page.data) {
      yield {
        id: comment.id,
        author: comment.user?.login ?? 'ghost',
        body: comment.body ?? '',
        createdAt: comment.created_at,
        updatedAt: comment.updated_at
      }
    }
  }
}

/** GitHub may hand back CRLF line ends for text sent with LF. */
function sameText(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n')
}
