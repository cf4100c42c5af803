/**
 * How to override a guard, in the words of whoever runs the plan: the Action names its input, the CLI its flag. Guard
 * messages themselves say only what is wrong and how to fix the file.
 */
import type { GuardViolation } from '../model/index.js'

export function actionOverrideAdvice(guard: Pick<GuardViolation, 'overrideInput'>): string {
  return `To go ahead anyway, set the action input ${guard.overrideInput}: true for this run.`
}

export function cliOverrideAdvice(guard: Pick<GuardViolation, 'overrideInput'>): string {
  return `To go ahead anyway, pass --${guard.overrideInput}.`
}
