import { readFile } from 'node:fs/promises'
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
    ? `The glob ${JSON.stringify(pattern)} matched no files`
    : `The access file ${JSON.stringify(pattern)} does not exist`
  return new Error(
    `${what} in ${cwd}. The action's \`config\` input sets where the access files are; point it at a file such as access.yml or a glob such as access/*.yml.`
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
  if (!isGlob(trimmed)) {
    const file = toPosix(trimmed)
    try {
      return [{ path: file, text: await readFile(path.resolve(cwd, trimmed), 'utf8') }]
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') throw nothingMatched(trimmed, cwd)
      if (code === 'EISDIR') {
        throw new Error(
          `The access file ${JSON.stringify(trimmed)} is a directory. The action's \`config\` input sets where the access files are; to read every file in it, use a glob such as ${JSON.stringify(`${file.replace(/\/$/, '')}/*.yml`)}.`
        )
      }
      throw error
    }
  }
  const files = (
    await glob(trimmed, { cwd, onlyFiles: true, dot: false, expandDirectories: false })
  )
    .map(toPosix)
    .sort(compareText)
  if (files.length === 0) throw nothingMatched(trimmed, cwd)
  return Promise.all(
    files.map(async (file) => ({
      path: file,
      text: await readFile(path.resolve(cwd, file), 'utf8')
    }))
  )
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
