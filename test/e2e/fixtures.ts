/** What every end-to-end test of the bundle shares: the sample account, the emulator's demo token, the fake repository. */
import { join, resolve } from 'node:path'
import { loadAccountSeed, type Emulator } from '../../src/emulator/index.js'

export const ROOT = resolve(import.meta.dirname, '../..')
export const SEED = loadAccountSeed(join(ROOT, 'examples/sample-account.yaml'))
export const DEMO_TOKEN = 'demo-token-0123456789abcdef0123456789ab'
export const REPO = {
  full_name: 'acme/access',
  default_branch: 'main',
  name: 'access',
  owner: { login: 'acme' }
}
export const BASE_SHA = '1111111111111111111111111111111111111111'
export const HEAD_SHA = '2222222222222222222222222222222222222222'
export const MERGE_SHA = '3333333333333333333333333333333333333333'

/**
 * The example file on main already asks for ivan in SRE On-Call and for alice's Cloudflare Zero Trust role to go,
 * which the sample account does not reflect: changes nobody in these tests approves (the owners are teams the
 * workflow token cannot read), so apply, which requires approval for every planned change, would refuse to write
 * them. Put them in the account, as an earlier approved apply would have, so a test's merge plans only its own changes.
 */
export function applyMainBacklog(emulator: Emulator): void {
  const group = emulator.state.groups.find((candidate) => candidate.name === 'SRE On-Call')!
  group.include.push({ email: { email: 'ivan@example.com' } })
  const role = emulator.state.roles.find((candidate) => candidate.name === 'Cloudflare Zero Trust')!
  const alice = emulator.state.members.find((member) => member.user.email === 'alice@example.com')!
  alice.roles = alice.roles.filter((id) => id !== role.id)
}
