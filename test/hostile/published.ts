/** What a hostile test searches for secrets: everything a bundle run published or logged. */
import type { FakeGitHub } from '../support/fake-github.js'
import type { BundleRun } from '../e2e/run-bundle.js'

/**
 * Comments, issues, the job summary, outputs, stdout and stderr, as one text. `::add-mask::` lines are left out: the
 * runner consumes them (they are how the run tells it what to hide), so they are never shown.
 */
export function published(run: BundleRun, github: FakeGitHub): string {
  const printed = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
  return [
    ...github.state.comments.map((comment) => comment.body),
    ...github.state.issues.map((issue) => `${issue.title}\n${issue.body}`),
    run.summary,
    JSON.stringify(run.outputs),
    printed(run.stdout),
    printed(run.stderr)
  ].join('\n')
}
