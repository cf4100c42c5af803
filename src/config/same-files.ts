import { compareText } from './values.js'

/** Same paths and texts; line endings do not count (a checkout may convert them). */
export function sameAccessFiles(
  local: { path: string; text: string }[],
  remote: { path: string; text: string }[]
): boolean {
  const normalize = (files: { path: string; text: string }[]) =>
    files
      .map((file) => ({ path: file.path, text: file.text.replace(/\r\n/g, '\n') }))
      .sort((a, b) => compareText(a.path, b.path))
  return JSON.stringify(normalize(local)) === JSON.stringify(normalize(remote))
}
