/** Cloudflare API emulator: a faithful local stand-in for the endpoints this Action uses (see API-NOTES). */
export { startEmulator } from './server.js'
export type { Emulator, EmulatorOptions, Fault, RequestLogEntry } from './server.js'
export { loadAccountSeed, parseAccountSeed, stateFromSeed } from './seed.js'
export type { AccountSeed } from './seed.js'
export {
  SUPER_ADMINISTRATOR_ROLE,
  TOKEN_SCOPES,
  findGroupById,
  findGroupByName,
  findGroupsByName,
  findMemberByEmail,
  findMemberById,
  findRole,
  findUserByEmail,
  groupEmails,
  memberRoleNames,
  permissionGroupIdOf
} from './state.js'
export type {
  EmulatorGroup,
  EmulatorKey,
  EmulatorMember,
  EmulatorMemberUser,
  EmulatorPolicy,
  EmulatorRole,
  EmulatorRule,
  EmulatorState,
  EmulatorToken,
  EmulatorUser,
  TokenScope
} from './state.js'
