import type { RemovalLimit } from '../model/index.js'

export interface PlanOptions {
  /** The only clock the engine reads: expiry and warnings are decided against it. */
  now: Date
  /** Flag grants expiring within this many days (the action's default is 14). */
  expiryWarningDays: number
  /** From the action input; wins over desired.settings.maxRemovals. */
  maxRemovals?: RemovalLimit
  /** Overrides the max-removals guard. */
  allowMassRemoval: boolean
  /** Overrides the last-super-admin and self-removal guards. */
  allowLockout: boolean
}
