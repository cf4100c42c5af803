/** What a push changed: the files between the branch tip before it and the commit pushed. */
import { describeFailure } from './errors.js'
import type { Octokit } from './octokit.js'
import type { RepoRef } from './repo.js'

/** GitHub lists at most this many files for a whole comparison; a list this long may have been cut. */
export const COMPARE_FILE_LIMIT = 300

export interface PushedFiles {
  /** Every path the push changes (both names of a rename), as far as GitHub lists them. */
  paths: string[]
  /** false when GitHub may have left files out (its list stops at COMPARE_FILE_LIMIT). */
  complete: boolean
}

export async function listPushedFiles(
  octokit: Octokit,
  repo: RepoRef,
  before: string,
  after: string
): Promise<PushedFiles> {
  // No paging parameter: the files are listed on the first page only, and only when none is given.
  const { data } = await describeFailure(
    `compare commits ${before.slice(0, 7)}...${after.slice(0, 7)}`,
    'contents: read',
    () =>
      octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${before}...${after}` })
  )
  const files = data.files ?? []
  const paths = files.flatMap((file) =>
    file.previous_filename ? [file.filename, file.previous_filename] : [file.filename]
  )
  return { paths: [...new Set(paths)], complete: files.length < COMPARE_FILE_LIMIT }
}
