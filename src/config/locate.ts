import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap
} from 'yaml'
import type { ConfigError } from '../model/index.js'

export type PathSegment = string | number

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value)
  return undefined
}

interface Found {
  /** The node at the deepest path segment that exists. */
  node: unknown
  /** The key of the mapping entry holding that node, when it is a mapping value. */
  key?: Node
  /** How many path segments were found. */
  depth: number
}

/**
 * Each mapping's entries by key text, the first entry for a key winning, built on the first look-up: every grant is
 * located (a source line per member), and a linear search per look-up made a 2,000-group file quadratic.
 */
const pairsByKey = new WeakMap<YAMLMap, Map<string, Pair>>()

function pairFor(map: YAMLMap, key: string): Pair | undefined {
  let pairs = pairsByKey.get(map)
  if (!pairs) {
    pairs = new Map()
    for (const item of map.items) {
      const text = keyText(item.key)
      if (text !== undefined && !pairs.has(text)) pairs.set(text, item)
    }
    pairsByKey.set(map, pairs)
  }
  return pairs.get(key)
}

/**
 * Walks a YAML document along a zod-style path, stopping at the deepest part that exists. The document must not
 * change after its first look-up (mappings are indexed then).
 */
export function findNode(doc: Document, path: readonly PathSegment[]): Found {
  let node: unknown = doc.contents
  let key: Node | undefined
  let depth = 0
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc)
    if (isMap(node)) {
      const pair = pairFor(node, String(segment))
      if (!pair) break
      key = isScalar(pair.key) ? pair.key : undefined
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      key = undefined
      node = node.items[segment]
    } else {
      break
    }
    depth++
  }
  return { node, key, depth }
}

function start(node: unknown): number | undefined {
  if (!node || typeof node !== 'object' || !('range' in node)) return undefined
  const range = (node as Node).range
  if (!range) return undefined
  // An empty value (`members:` with nothing after it) has a zero-width range just past the colon; its key reads better.
  if (isScalar(node) && node.value === null && range[0] === range[1]) return undefined
  return range[0]
}

/** Turns paths into located errors for one file. */
export class Locator {
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lines: LineCounter
  ) {}

  error(offset: number, message: string): ConfigError {
    const { line, col } = this.lines.linePos(offset)
    return { file: this.file, line, column: col, message }
  }

  /** Points at the value at `path`, or at the nearest part of the path that exists. */
  value(path: readonly PathSegment[], message: string): ConfigError {
    const found = findNode(this.doc, path)
    const offset = start(found.node) ?? start(found.key) ?? this.documentStart()
    return this.error(offset, message)
  }

  /** Points at the key of the entry at `path` (a group name, an unknown key), or the nearest part that exists. */
  key(path: readonly PathSegment[], message: string): ConfigError {
    const found = findNode(this.doc, path)
    const offset = start(found.key) ?? start(found.node)
    return this.error(offset ?? this.documentStart(), message)
  }

  /** Where a key missing from the mapping at `parent` belongs: that mapping's own key, as in `Engineering:`. */
  missing(parent: readonly PathSegment[], message: string): ConfigError {
    if (parent.length === 0) return this.error(this.documentStart(), message)
    const found = findNode(this.doc, parent)
    const offset = start(found.key) ?? start(found.node) ?? this.documentStart()
    return this.error(offset, message)
  }

  /** The first line of content, after any leading comments. */
  documentStart(): number {
    return start(this.doc.contents) ?? 0
  }
}

/** Zod-style path as people read it: groups.Engineering.members[2], roles["Administrator Read Only"]. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment))
      text += text === '' ? segment : `.${segment}`
    else text += `[${JSON.stringify(segment)}]`
  }
  return text
}
