import type { AccessFileText } from '../model/index.js'
import { compareText } from './values.js'

/** Same paths and texts; line endings do not count (a checkout may convert them). */
export function sameAccessFiles(local: AccessFileText[], remote: AccessFileText[]): boolean {
  const normalize = (files: AccessFileText[]) =>
    files
      .map((file) => ({ path: file.path, text: file.text.replace(/\r\n/g, '\n') }))
      .sort((a, b) => compareText(a.path, b.path))
  return JSON.stringify(normalize(local)) === JSON.stringify(normalize(remote))
}
