/** Reading and writing repository files through the API (the base branch's access file, the export branch). */
import { isGlob, matchAccessPaths } from '../config/index.js'
import { GitHubApiError, describeFailure, statusOf, gitHubApiError } from './errors.js'
import type { Octokit } from './octokit.js'
import type { RepoRef } from './repo.js'

const READ_CONTENTS = 'contents: read'

/**
 * The file(s) `pattern` names at `ref`. A plain path is read with the contents API (missing -> []); a glob is matched
 * against the recursive git tree and each match read as a blob, so all files come from the same tree. Sorted by path.
 */
export async function readFilesAtRef(
  octokit: Octokit,
  repo: RepoRef,
  ref: string,
  pattern: string
): Promise<{ path: string; text: string }[]> {
  // Same rules as the workspace read in src/config, so the base branch and the pull request see the same files.
  const path = pattern.trim().replace(/^\.\//, '')
  if (!isGlob(path)) {
    const file = await readFileAtRef(octokit, repo, ref, path)
    return file === undefined ? [] : [{ path, text: file.text }]
  }
  const { data: tree } = await describeFailure(
    `list the files of ${repo.owner}/${repo.repo} at ${ref}`,
    READ_CONTENTS,
    () => octokit.rest.git.getTree({ ...repo, tree_sha: ref, recursive: 'true' })
  )
  if (tree.truncated) {
    throw new GitHubApiError(
      `The file list of ${repo.owner}/${repo.repo} at ${ref} is too large for one GitHub API answer, so the ` +
        `access files matching "${pattern}" cannot all be found. Use a plain file path instead of a glob.`,
      undefined
    )
  }
  const blobs = new Map<string, string>()
  for (const entry of tree.tree) {
    if (entry.type === 'blob' && entry.path && entry.sha) blobs.set(entry.path, entry.sha)
  }
  const selected = matchAccessPaths(path, [...blobs.keys()])
  // The blobs are independent: read together, one round trip for all (the client's throttle still bounds them).
  return Promise.all(
    selected.map(async (match) => ({
      path: match,
      text: await readBlob(octokit, repo, blobs.get(match)!, match)
    }))
  )
}

/** One file at `ref`, with its blob sha; undefined when it does not exist there. */
export async function readFileAtRef(
  octokit: Octokit,
  repo: RepoRef,
  ref: string,
  path: string
): Promise<{ text: string; sha: string } | undefined> {
  const doing = `read ${path} at ${ref}`
  let data
  try {
    ;({ data } = await octokit.rest.repos.getContent({ ...repo, path, ref }))
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw gitHubApiError(error, doing, READ_CONTENTS)
  }
  if (Array.isArray(data) || data.type !== 'file') {
    throw new GitHubApiError(
      `Could not ${doing}: it is a ${Array.isArray(data) ? 'directory' : data.type}, not a file. ` +
        `To read every access file in a directory, use a glob such as ${path.replace(/\/+$/, '')}/**/*.yml.`,
      undefined
    )
  }
  // Files over 1 MB come without content; the blob API still serves them.
  if (data.encoding !== 'base64' || (data.content === '' && data.size > 0)) {
    return { text: await readBlob(octokit, repo, data.sha, path), sha: data.sha }
  }
  return { text: decodeBase64(data.content), sha: data.sha }
}

async function readBlob(
  octokit: Octokit,
  repo: RepoRef,
  sha: string,
  path: string
): Promise<string> {
  const { data } = await describeFailure(
    `read ${path} (blob ${sha.slice(0, 7)})`,
    READ_CONTENTS,
    () => octokit.rest.git.getBlob({ ...repo, file_sha: sha })
  )
  return data.encoding === 'base64' ? decodeBase64(data.content) : data.content
}

function decodeBase64(content: string): string {
  return Buffer.from(content.replace(/\s/g, ''), 'base64').toString('utf8')
}

export function encodeBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}
