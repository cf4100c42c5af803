import { constants } from 'node:fs'
import { lstat, open, realpath } from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'
import { glob } from 'tinyglobby'
import type { AccessFileSource } from './parse-access-file.js'
import { compareText } from './values.js'

/** True when the `config` input is a glob (it has * ? [ or {) rather than one file's path. */
export function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern)
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/').replace(/^\.\//, '')
}

function nothingMatched(pattern: string, cwd: string): Error {
  const what = isGlob(pattern)
    ? `The glob ${JSON.stringify(pattern)} matched no files in ${cwd}; symbolic links are not followed.`
    : `The access file ${JSON.stringify(pattern)} does not exist in ${cwd}.`
  return new Error(
    `${what} The action's \`config\` input sets where the access files are; point it at a file such as access.yml or a glob such as access/*.yml.`
  )
}

/**
 * Reads the access files the `config` input names: one path, or every file a glob matches
 * (relative posix paths, sorted, so merge order and error order are the same on every machine).
 */
export async function readAccessFiles(pattern: string, cwd: string): Promise<AccessFileSource[]> {
  const trimmed = pattern.trim()
  if (trimmed === '') {
    throw new Error(
      'The `config` input is empty; set it to the access file (such as access.yml) or a glob (such as access/*.yml).'
    )
  }
  const root = await realpath(cwd)
  if (!isGlob(trimmed)) {
    const file = toPosix(path.relative(cwd, path.resolve(cwd, trimmed)))
    try {
      return [{ path: file, text: await readWorkspaceFile(root, file) }]
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') throw nothingMatched(trimmed, cwd)
      throw error
    }
  }
  // Symbolic links are not followed: a glob lists no linked file and walks into no linked folder (a link to / would
  // walk the whole disk). Each match is still checked again when it is read.
  const files = (
    await glob(trimmed, {
      cwd,
      onlyFiles: true,
      dot: false,
      expandDirectories: false,
      followSymbolicLinks: false
    })
  )
    .map(toPosix)
    .sort(compareText)
  if (files.length === 0) throw nothingMatched(trimmed, cwd)
  return Promise.all(
    files.map(async (file) => ({ path: file, text: await readWorkspaceFile(root, file) }))
  )
}

function refused(file: string, why: string): Error {
  return new Error(
    `The access file ${JSON.stringify(file)} ${why} The action reads only regular files inside the workspace, so that a pull request cannot make it read (and quote) files such as .git/config or /proc/self/environ; commit the access file itself.`
  )
}

/**
 * Reads one access file, refusing anything but a regular file inside the workspace: no symbolic link (checkout
 * recreates links a pull request commits), no folder on the way that is a link, no path outside the workspace, no
 * device or pipe (reading one can hang or never end). Errors describe the file, never quote what it holds.
 */
async function readWorkspaceFile(root: string, file: string): Promise<string> {
  if (file === '' || file === '..' || file.startsWith('../') || path.isAbsolute(file)) {
    throw refused(file, 'is outside the workspace.')
  }
  if (file.split('/').includes('.git')) throw refused(file, 'is inside .git.')
  const absolute = path.join(root, file)
  const info = await lstat(absolute)
  if (info.isSymbolicLink()) throw refused(file, 'is a symbolic link.')
  if (info.isDirectory()) {
    throw new Error(
      `The access file ${JSON.stringify(file)} is a directory. The action's \`config\` input sets where the access files are; to read every file in it, use a glob such as ${JSON.stringify(`${file.replace(/\/$/, '')}/*.yml`)}.`
    )
  }
  if (!info.isFile()) throw refused(file, 'is not a regular file (it is a device, pipe or socket).')
  // A folder on the way that is a link makes the real path differ from the path inside the workspace.
  if ((await realpath(absolute)) !== absolute) {
    throw refused(file, 'is reached through a symbolic link to a folder.')
  }
  // O_NOFOLLOW: a link swapped in after the checks above is refused by the kernel instead of followed.
  const handle = await open(
    absolute,
    constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK
  )
  try {
    if (!(await handle.stat()).isFile()) throw refused(file, 'is not a regular file.')
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}

/**
 * Picks the access files out of a listing of repository paths (such as a git tree of the base branch), using the same
 * pattern as readAccessFiles. Sorted like readAccessFiles.
 */
export function matchAccessPaths(pattern: string, paths: readonly string[]): string[] {
  const trimmed = toPosix(pattern.trim())
  const matches = isGlob(trimmed)
    ? picomatch(trimmed, { dot: false })
    : (candidate: string) => candidate === trimmed
  return paths
    .map(toPosix)
    .filter((candidate) => matches(candidate))
    .sort(compareText)
}
