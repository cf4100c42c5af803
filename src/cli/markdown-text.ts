/**
 * Markdown written for GitHub (the review issue) as readable terminal text: no HTML comments or tags, headings as
 * underlined titles, tables as aligned columns, task boxes as [ ] and [x], inline marks and escapes removed.
 * Only the subset our renderers write is handled; anything else passes through as it is.
 */
import { PLAIN, type TextStyle } from '../report/index.js'

export function markdownToText(markdown: string, style: TextStyle = PLAIN): string {
  // A line that is only a comment goes; a comment at the end of a line (the review's box ids) leaves the line.
  const withoutComments = markdown
    .replace(/^[ \t]*<!--[\s\S]*?-->[ \t]*\n/gm, '')
    .replace(/<!--[\s\S]*?-->/g, '')
  const out: string[] = []
  let table: string[][] = []
  const flushTable = (): void => {
    if (table.length === 0) return
    const widths = table[0]!.map((_, column) =>
      Math.max(...table.map((row) => (row[column] ?? '').length))
    )
    table.forEach((row, index) => {
      const line = row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd()
      out.push(index === 0 ? style.bold(line) : line)
    })
    table = []
  }
  for (const raw of withoutComments.split('\n')) {
    const line = raw.trimEnd()
    if (/^\|.*\|$/.test(line)) {
      const cells = splitRow(line)
      if (!cells.every((cell) => /^:?-{3,}:?$/.test(cell))) table.push(cells.map(inline))
      continue
    }
    flushTable()
    if (/^<\/?details>$/.test(line)) continue
    const summary = /^<summary>(.*)<\/summary>$/.exec(line)
    const heading = /^(#{1,6}) (.*)$/.exec(line)
    if (summary) {
      out.push(style.bold(inline(summary[1]!)))
    } else if (heading) {
      const title = inline(heading[2]!)
      out.push(style.bold(title))
      if (heading[1]!.length <= 3)
        out.push((heading[1]!.length <= 2 ? '=' : '-').repeat(title.length))
    } else {
      out.push(
        inline(
          line.replace(
            /^(\s*)- \[( |x|X)\] /,
            (_, indent: string, box: string) => `${indent}[${box.toLowerCase()}] `
          )
        )
      )
    }
  }
  flushTable()
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  )
}

function splitRow(line: string): string[] {
  const cells: string[] = []
  let cell = ''
  for (let index = 1; index < line.length - 1; index++) {
    const char = line[index]!
    if (char === '\\' && line[index + 1] === '|') {
      cell += '|'
      index++
    } else if (char === '|') {
      cells.push(cell.trim())
      cell = ''
    } else {
      cell += char
    }
  }
  cells.push(cell.trim())
  return cells
}

/** Links keep their address; bold, code spans, <sub> and backslash escapes go. */
function inline(text: string): string {
  return text
    .replace(/<\/?sub>/g, '')
    .replace(/<br\s*\/?>/g, ' ')
    .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, (_, label: string, url: string) => `${label} (${url})`)
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~@])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}
