/**
 * Every Cloudflare token permission the repository prints or documents is one Cloudflare has: an approver who copies a
 * name from an error or the README into the token editor must find it there.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TOKEN_PERMISSIONS } from '../../src/cloudflare/errors.js'

const ROOT = resolve(import.meta.dirname, '../..')
/** What we write, in source, docs and examples (not dist/, which is built from src/, nor the reference material). */
const files = execFileSync(
  'git',
  ['ls-files', '--', 'src', 'README.md', 'action.yml', 'docs', 'examples', 'SECURITY.md'],
  {
    cwd: ROOT,
    encoding: 'utf8'
  }
)
  .split('\n')
  .filter(Boolean)
const texts = files.map((file) => [file, readFileSync(resolve(ROOT, file), 'utf8')] as const)

/** Names Cloudflare does not have, or no longer uses, that the Action once printed. */
const WRONG = [
  /Access: Users\b/,
  /Access: Users \*\*Read\*\*/,
  /Account Settings (Write|\*\*Write\*\*)/,
  /Members (Read|Edit|Write)\b/
]

describe('token permission names', () => {
  it('no file names a permission Cloudflare does not have', () => {
    const found = texts.flatMap(([file, text]) =>
      WRONG.filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern}`)
    )
    expect(found).toEqual([])
  })

  it('every quoted "Access: …" or "Account Settings …" permission in src/ is one of the known names', () => {
    const known = new Set<string>(Object.values(TOKEN_PERMISSIONS))
    const quoted = texts
      .filter(([file]) => file.startsWith('src/'))
      .flatMap(([file, text]) =>
        [...text.matchAll(/"((?:Access: |Account Settings )[^"]*)"/g)].map((m) => [file, m[1]!])
      )
      // "Account Settings Read/Edit" stands for both names.
      .filter(
        ([, name]) =>
          !name!
            .split('/')
            .every((part, i) => known.has(i === 0 ? part : name!.replace(/\S+$/, part)))
      )
    expect(quoted).toEqual([])
  })

  it('the README token table names the permissions the Action asks for', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8')
    const table = readme.split('\n### Cloudflare API tokens\n')[1]!.split('\n### ')[0]!
    for (const name of [
      'Access: Organizations, Identity Providers, and Groups',
      'Account Settings',
      TOKEN_PERMISSIONS.usersRead,
      TOKEN_PERMISSIONS.appsRead
    ]) {
      expect(table).toContain(`| ${name}`)
    }
  })
})
