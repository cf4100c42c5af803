/** pushedFiles over HTTP: what a push changed, from GitHub's comparison of the two commits. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { setup, type Setup } from './helpers.js'

let s: Setup
beforeEach(async () => {
  s = await setup()
})
afterEach(async () => {
  await s.fake.close()
})

const BEFORE = 'a'.repeat(40)
const AFTER = 'b'.repeat(40)

describe('pushedFiles', () => {
  test('lists every path that differs between the commit before the push and the pushed one, in one request', async () => {
    s.fake.state.addFile(BEFORE, 'cloudflare-access.yaml', 'version: 1\n')
    s.fake.state.addFile(BEFORE, 'README.md', 'hello\n')
    s.fake.state.addFile(AFTER, 'cloudflare-access.yaml', 'version: 1\ngroups: {}\n')
    s.fake.state.addFile(AFTER, 'README.md', 'hello\n')
    s.fake.state.addFile(AFTER, '.github/workflows/access.yml', 'on: push\n')

    const pushed = await s.port.pushedFiles(BEFORE, AFTER)

    expect(pushed).toEqual({
      paths: ['.github/workflows/access.yml', 'cloudflare-access.yaml'],
      complete: true
    })
    expect(s.fake.requestLines()).toEqual([`GET /repos/acme/access/compare/${BEFORE}...${AFTER}`])
  })

  test('an unknown commit fails with what was being done', async () => {
    s.fake.state.addFile(AFTER, 'cloudflare-access.yaml', 'version: 1\n')

    await expect(s.port.pushedFiles(BEFORE, AFTER)).rejects.toThrow(
      /compare commits aaaaaaa\.\.\.bbbbbbb/
    )
  })
})
