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

/** Why a pull request may not go ahead with overrides set, or undefined when it may. */
export function workflowOverrideRefusal(
  pullNumber: number,
  changedPaths: readonly string[],
  overrides: readonly string[]
): string | undefined {
  const changed = workflowFiles(changedPaths)
  if (overrides.length === 0 || changed.length === 0) return undefined
  const shown =
    changed.slice(0, 5).join(', ') + (changed.length > 5 ? ` and ${changed.length - 5} more` : '')
  return `Pull request #${pullNumber} changes ${shown}, and this run has ${overrides.join(', ')} set: a pull request that changes how the Action runs could have set that override for itself. Overrides must be in place before the pull request that uses them: merge the workflow change first without overrides, then set the override in a separate, reviewed change.`
}
