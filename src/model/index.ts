export type * from './desired.js'
export type * from './live.js'
export type * from './plan.js'
export { SUPER_ADMIN_ROLE } from './live.js'
