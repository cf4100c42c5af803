import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
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
        `The glob "nothing/*.yml" matched no files in ${dir}; symbolic links are not followed. The action's \`config\` input sets where the access files are; point it at a file such as access.yml or a glob such as access/*.yml.`
      )
    )
    await expect(readAccessFiles('access', dir)).rejects.toThrow(
      new Error(
        'The access file "access" is a directory. The action\'s `config` input sets where the access files are; to read every file in it, use a glob such as "access/*.yml".'
      )
    )
  })
})

describe('readAccessFiles refuses what is not a regular file inside the workspace', () => {
  const SECRET = 'ghs_fakeCheckoutToken1234567890'
  let outside: string
  let work: string

  beforeAll(async () => {
    outside = await mkdtemp(path.join(tmpdir(), 'outside-'))
    await writeFile(path.join(outside, 'secret.yml'), `token: ${SECRET}\n`)
    await mkdir(path.join(outside, 'folder'))
    await writeFile(path.join(outside, 'folder', 'team.yml'), `token: ${SECRET}\n`)
    work = await mkdtemp(path.join(tmpdir(), 'workspace-'))
    await mkdir(path.join(work, '.git'))
    await writeFile(
      path.join(work, '.git', 'config'),
      `extraheader = AUTHORIZATION: basic ${SECRET}\n`
    )
    await writeFile(path.join(work, 'ok.yml'), 'version: 1\n')
    await symlink(path.join(outside, 'secret.yml'), path.join(work, 'linked.yml'))
    await symlink('.git/config', path.join(work, 'git-config.yml'))
    await mkdir(path.join(work, 'access'))
    await writeFile(path.join(work, 'access', 'a.yml'), 'version: 1\n')
    await symlink(path.join(outside, 'folder'), path.join(work, 'access', 'linked'))
    await symlink(path.join(outside, 'folder'), path.join(work, 'teams'))
    execFileSync('mkfifo', [path.join(work, 'pipe.yml')])
  })

  afterAll(async () => {
    await rm(outside, { recursive: true, force: true })
    await rm(work, { recursive: true, force: true })
  })

  async function refusal(pattern: string): Promise<string> {
    const error = await readAccessFiles(pattern, work).then(
      () => undefined,
      (caught: unknown) => caught as Error
    )
    expect(error).toBeInstanceOf(Error)
    expect(error!.message).not.toContain(SECRET)
    return error!.message
  }

  it('refuses a symbolic link to a file outside the workspace or to .git/config', async () => {
    expect(await refusal('linked.yml')).toMatch(
      /^The access file "linked.yml" is a symbolic link\. The action reads only regular files inside the workspace/
    )
    expect(await refusal('git-config.yml')).toMatch(
      /^The access file "git-config.yml" is a symbolic link\./
    )
  })

  it('refuses a path outside the workspace and a path inside .git', async () => {
    expect(await refusal(path.join(outside, 'secret.yml'))).toMatch(/is outside the workspace\./)
    expect(await refusal(`../${path.basename(outside)}/secret.yml`)).toMatch(
      /is outside the workspace\./
    )
    expect(await refusal('.git/config')).toMatch(
      /^The access file ".git\/config" is inside \.git\./
    )
  })

  it('refuses a file reached through a linked folder, by path or by glob', async () => {
    expect(await refusal('teams/team.yml')).toMatch(
      /is reached through a symbolic link to a folder\./
    )
    // Otherwise a glob lists no link, to a file or to a folder, and no pipe: only the real files are read.
    // A glob that starts inside the linked folder lists its files; each is refused when read.
    expect(await refusal('teams/*.yml')).toMatch(/is reached through a symbolic link to a folder\./)
    expect(await readAccessFiles('*.yml', work)).toEqual([{ path: 'ok.yml', text: 'version: 1\n' }])
    // The glob does not walk into the linked folder, so only the real file is read.
    expect(await readAccessFiles('access/**/*.yml', work)).toEqual([
      { path: 'access/a.yml', text: 'version: 1\n' }
    ])
  })

  it('refuses a pipe without opening it (reading one would hang)', async () => {
    expect(await refusal('pipe.yml')).toMatch(/is not a regular file/)
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
