/** Access files shared by the mode tests, as YAML text. Live state is baseSnapshot() in fakes.ts. */

/** Matches the live account except that erin is added to Engineering. */
export const ADD_ERIN = `version: 1
groups:
  Engineering:
    owners: [octocat]
    members: [alice@example.com, bob@example.com, erin@example.com]
  Ops:
    members: [olga@example.com]
roles:
  Administrator Read Only:
    owners: ['@acme/security']
    members: [carol@example.com, dave@example.com]
`

/** Matches the live account exactly. */
export const IN_SYNC = ADD_ERIN.replace(', erin@example.com', '')
