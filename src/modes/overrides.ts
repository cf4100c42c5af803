/**
 * Overrides must be in place before the pull request that uses them: a pull request that changes how the Action runs
 * (a workflow, an action definition) could set them for its own merge, so a run with any override set refuses a pull
 * request that changes such files. Pure; the plan and apply modes both ask it.
 */
import type { ActionInputs } from '../action/inputs.js'

/** The inputs that loosen a check, by name, when set on this run. */
export function overridesSet(inputs: ActionInputs): string[] {
  const set: string[] = []
  if (inputs.allowUnapproved) set.push('allow-unapproved')
  if (inputs.allowMassRemoval) set.push('allow-mass-removal')
  if (inputs.allowLockout) set.push('allow-lockout')
  return set
}

/** Paths that change what runs: anything under .github/workflows/, and any action.yml or action.yaml. */
export function workflowFiles(paths: readonly string[]): string[] {
  return paths.filter(
    (path) => path.startsWith('.github/workflows/') || /(^|\/)action\.ya?ml$/.test(path)
  )
}

const WHY =
  'Overrides must be in place before the change that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change.'

/**
 * Why a push accepted without a pull request (allow-unapproved) may not go ahead with overrides set, or undefined when
 * it may. `paths` is what GitHub listed between the tip before the push and the pushed commit; undefined when there
 * is no tip before (a new branch) or GitHub's list may be cut: what the push changed is then unknown.
 */
export function pushWorkflowOverrideRefusal(
  sha: string,
  pushed: { paths: readonly string[]; complete: boolean } | undefined,
  overrides: readonly string[]
): string | undefined {
  if (overrides.length === 0) return undefined
  const set = overrides.join(', ')
  if (!pushed || !pushed.complete) {
    return `This run has ${set} set, and which files commit ${sha} changes cannot be listed in full (${pushed ? 'GitHub lists at most 300 files for a comparison' : 'the push has no earlier commit to compare with'}), so it cannot be shown that the push leaves the workflows alone. ${WHY}`
  }
  const changed = workflowFiles(pushed.paths)
  if (changed.length === 0) return undefined
  return `Commit ${sha} changes ${shown(changed)}, and this run has ${set} set: a push that changes how the Action runs could have set that override for itself. ${WHY}`
}

function shown(paths: readonly string[]): string {
  return paths.slice(0, 5).join(', ') + (paths.length > 5 ? ` and ${paths.length - 5} more` : '')
}

/** Why a pull request may not go ahead with overrides set, or undefined when it may. */
export function workflowOverrideRefusal(
  pullNumber: number,
  changedPaths: readonly string[],
  overrides: readonly string[]
): string | undefined {
  const changed = workflowFiles(changedPaths)
  if (overrides.length === 0 || changed.length === 0) return undefined
  return `Pull request #${pullNumber} changes ${shown(changed)}, and this run has ${overrides.join(', ')} set: a pull request that changes how the Action runs could have set that override for itself. Overrides must be in place before the pull request that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change.`
}
