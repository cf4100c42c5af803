/** What a hostile test searches for secrets: everything a bundle run published or logged. */
import type { FakeGitHub } from '../support/fake-github.js'
import type { BundleRun } from '../e2e/run-bundle.js'

/** Comments, issues, the job summary, outputs, stdout and stderr, as one text. */
export function published(run: BundleRun, github: FakeGitHub): string {
  return [
    ...github.state.comments.map((comment) => comment.body),
    ...github.state.issues.map((issue) => `${issue.title}\n${issue.body}`),
    run.summary,
    JSON.stringify(run.outputs),
    run.stdout,
    run.stderr
  ].join('\n')
}
