import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isGlob, matchAccessPaths, readAccessFiles } from '../../src/config/index.js'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'access-files-'))
  await mkdir(path.join(dir, 'access', 'teams'), { recursive: true })
  await writeFile(path.join(dir, 'access.yml'), 'version: 1\n')
  await writeFile(path.join(dir, 'access', 'roles.yml'), 'roles: {}\n')
  await writeFile(path.join(dir, 'access', 'b.yaml'), 'b\n')
  await writeFile(path.join(dir, 'access', 'Z.yml'), 'z\n')
  await writeFile(path.join(dir, 'access', 'teams', 'eng.yml'), 'eng\n')
  await writeFile(path.join(dir, 'access', 'notes.md'), 'notes\n')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('readAccessFiles', () => {
  it('reads one plain path', async () => {
    expect(await readAccessFiles('access.yml', dir)).toEqual([
      { path: 'access.yml', text: 'version: 1\n' }
    ])
    expect(await readAccessFiles('./access/roles.yml', dir)).toEqual([
      { path: 'access/roles.yml', text: 'roles: {}\n' }
    ])
  })

  it('expands a glob to sorted relative posix paths', async () => {
    expect(await readAccessFiles('access/**/*.{yml,yaml}', dir)).toEqual([
      { path: 'access/Z.yml', text: 'z\n' },
      { path: 'access/b.yaml', text: 'b\n' },
      { path: 'access/roles.yml', text: 'roles: {}\n' },
      { path: 'access/teams/eng.yml', text: 'eng\n' }
    ])
    expect((await readAccessFiles('access/*.yml', dir)).map((file) => file.path)).toEqual([
      'access/Z.yml',
      'access/roles.yml'
    ])
  })

  it('says which path or glob matched nothing and which input sets it', async () => {
    await expect(readAccessFiles('missing.yml', dir)).rejects.toThrow(
      new Error(
        `The access file "missing.yml" does not exist in ${dir}. The action's \`config\` input sets where the access files are; point it at a file such as access.yml or a glob such as access/*.yml.`
      )
    )
    await expect(readAccessFiles('nothing/*.yml', dir)).rejects.toThrow(
      new Error(
        `The glob "nothing/*.yml" matched no files in ${dir}. The action's \`config\` input sets where the access files are; point it at a file such as access.yml or a glob such as access/*.yml.`
      )
    )
    await expect(readAccessFiles('access', dir)).rejects.toThrow(
      new Error(
        'The access file "access" is a directory. The action\'s `config` input sets where the access files are; to read every file in it, use a glob such as "access/*.yml".'
      )
    )
  })
})

describe('matchAccessPaths and isGlob', () => {
  const tree = [
    'README.md',
    'access.yml',
    'access/teams/eng.yml',
    'access/roles.yml',
    'access/b.yaml'
  ]

  it('selects the same files from a repository listing as from disk', () => {
    expect(matchAccessPaths('access/**/*.yml', tree)).toEqual([
      'access/roles.yml',
      'access/teams/eng.yml'
    ])
    expect(matchAccessPaths('access.yml', tree)).toEqual(['access.yml'])
    expect(matchAccessPaths('./access.yml', tree)).toEqual(['access.yml'])
    expect(matchAccessPaths('other.yml', tree)).toEqual([])
  })

  it('recognises globs', () => {
    expect(['a/*.yml', 'a?.yml', 'a/[ab].yml', 'a/{b,c}.yml', 'access.yml'].map(isGlob)).toEqual([
      true,
      true,
      true,
      true,
      false
    ])
  })
})
