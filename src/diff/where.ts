import type { SourceLocation } from '../model/index.js'

/** `access.yaml:12`, the way people find a line. */
export function where(source: SourceLocation): string {
  return `${source.file}:${source.line}`
}
