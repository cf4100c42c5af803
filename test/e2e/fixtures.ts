/** What every end-to-end test of the bundle shares: the sample account, the emulator's demo token, the fake repository. */
import { join, resolve } from 'node:path'
import { loadAccountSeed } from '../../src/emulator/index.js'

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
