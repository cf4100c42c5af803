/** The end-to-end tests run the bundle on the Node.js they claim: Node 24 under `npm run test:node24`. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { BUNDLE_NODE } from './run-bundle.js'

const ROOT = resolve(import.meta.dirname, '../..')

test('the bundle runs on the Node.js version under test', () => {
  const version = execFileSync(BUNDLE_NODE, ['--version'], { encoding: 'utf8' }).trim()
  if (process.env.BUNDLE_NODE) {
    // action.yml says node24: the run that stands in for GitHub's runner must be that major version.
    const using = (
      parse(readFileSync(resolve(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string } }
    ).runs.using
    expect(`node${version.slice(1).split('.')[0]}`).toBe(using)
  } else {
    expect(version).toBe(process.version)
  }
})
