import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeEventFile, missingEventFields } from '../../src/action/event-file.js'
import { describeEvent } from '../../src/github/index.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'event-file-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

describe('describeEventFile', () => {
  it('describes a file that is not JSON without quoting it', async () => {
    const message = describeEventFile(await file('bad.json', '{"token": "ghp_secret'))
    expect(message).toBe(
      'The event payload (GITHUB_EVENT_PATH, 21 bytes) is not valid JSON, so the event cannot be read and nothing was done. GitHub writes this file for every run: check that no earlier step overwrote it.'
    )
    expect(message).not.toContain('ghp_secret')
  })

  it('refuses JSON that is not an object', async () => {
    expect(describeEventFile(await file('array.json', '[1, 2]'))).toContain(
      'JSON but not an object'
    )
    expect(describeEventFile(await file('null.json', 'null'))).toContain('JSON but not an object')
  })

  it('accepts an object, and leaves a missing file or path to @actions/github', async () => {
    expect(describeEventFile(await file('ok.json', '{"action": "opened"}'))).toBeUndefined()
    expect(describeEventFile(join(dir, 'absent.json'))).toBeUndefined()
    expect(describeEventFile(undefined)).toBeUndefined()
  })
})

describe('missingEventFields', () => {
  it('names what a pull request, push or issue event lacks', () => {
    expect(missingEventFields(describeEvent('pull_request', { pull_request: 'x' }))).toBe(
      'The pull_request event payload has no pull_request.number, pull_request.head.sha, pull_request.base.sha, which GitHub always sends; nothing was done. Check that no earlier step overwrote GITHUB_EVENT_PATH.'
    )
    expect(missingEventFields(describeEvent('push', { ref: 'refs/heads/main' }))).toContain(
      'has no after,'
    )
    expect(missingEventFields(describeEvent('issues', { issue: { number: '3' } }))).toContain(
      'has no issue.number,'
    )
  })

  it('accepts complete payloads and events that need nothing from the payload', () => {
    const pull = {
      pull_request: { number: 1, head: { sha: 'h' }, base: { sha: 'b' } }
    }
    expect(missingEventFields(describeEvent('pull_request', pull))).toBeUndefined()
    expect(missingEventFields(describeEvent('push', { ref: 'r', after: 'a' }))).toBeUndefined()
    expect(missingEventFields(describeEvent('schedule', {}))).toBeUndefined()
    expect(missingEventFields(describeEvent('workflow_dispatch', {}))).toBeUndefined()
  })
})
