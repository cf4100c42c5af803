/**
 * Escaping for text that reaches GitHub Markdown from untrusted sources: e-mails, group and role names,
 * reasons, messages. GitHub turns `@name` into a notification and `#12` into a cross-reference *after*
 * Markdown rendering, so backslash escapes do not stop them: a zero-width space after the sigil does.
 */

import { redactCredentials, sanitizeExternalText } from './untrusted-text.js'

const ZERO_WIDTH_SPACE = '&#8203;'

/** GitHub logins (`octocat`) and teams (`@acme/security`), the only things allowed to ping. */
const OWNER_PATTERN = /^@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(\/[A-Za-z0-9._-]{1,100})?$/

/** Removes control characters (ANSI escapes, NUL, ...) and folds line breaks and tabs into single spaces. */
export function toSingleLine(text: string): string {
  return (
    text
      .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
  )
}

/** One line, with anything that looks like a credential redacted: the first step of every escape for prose. */
function untrustedLine(text: string): string {
  return redactCredentials(toSingleLine(text))
}

/**
 * Escapes untrusted text for inline use in Markdown (paragraphs, headings, list items). Line breaks become
 * spaces so the text cannot start a new block; Markdown punctuation is backslash-escaped; `<`, `>` and `&`
 * become entities so no HTML or entity can be injected; `@`, `#`, `GH-1`, `://` and `www.` get a zero-width space so
 * nothing pings a person, links an issue or autolinks a URL; anything that looks like a credential is redacted. GitHub only pings `@name` when the `@` follows a non-word character, so the `@`
 * inside an e-mail is left alone: e-mails in messages stay copyable, without an invisible character in them.
 */
export function escapeMarkdown(text: string): string {
  return untrustedLine(text).replace(
    /(?<![A-Za-z0-9_])@|[\\`*_[\]|~!()#{}<>&]|:\/\/|\bGH-(?=\d)|\bwww\./gi,
    replaceMarkdown
  )
}

const MARKDOWN_REPLACEMENT: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '@': `@${ZERO_WIDTH_SPACE}`,
  '#': `\\#${ZERO_WIDTH_SPACE}`,
  // Breaks URL autolinks: a link in a reason or name could point reviewers anywhere.
  '://': `:${ZERO_WIDTH_SPACE}//`
}

/** `GH-12` is a cross-reference and `www.example.com` an autolink; a zero-width space inside breaks each. */
function replaceMarkdown(c: string): string {
  const fixed = MARKDOWN_REPLACEMENT[c]
  if (fixed) return fixed
  if (/^gh-$/i.test(c)) return `${c.slice(0, 2)}${ZERO_WIDTH_SPACE}-`
  if (/^www\.$/i.test(c)) return `${c.slice(0, 3)}${ZERO_WIDTH_SPACE}.`
  return `\\${c}`
}

/** A name or message read from Cloudflare, shortened and stripped of credentials, then escaped for Markdown. */
export function escapeExternal(text: string, maxLength = EXTERNAL_NAME_MAX_LENGTH): string {
  return escapeMarkdown(sanitizeExternalText(text, maxLength))
}

/** Cloudflare allows 350 characters in a group name; a report names things, it does not need all of them. */
const EXTERNAL_NAME_MAX_LENGTH = 120

/** Escapes untrusted text for a GFM table cell: escapeMarkdown already escapes every `|` and removes line breaks. */
export function escapeTableCell(text: string): string {
  const escaped = escapeMarkdown(text)
  return escaped === '' ? ' ' : escaped
}

/** Escapes untrusted text for HTML context (inside `<summary>`, attributes), neutralising mentions too. */
export function escapeHtml(text: string): string {
  return untrustedLine(text).replace(
    /[&<>"'@#]|\bGH-(?=\d)|\bwww\.|:\/\//gi,
    (c) => HTML_REPLACEMENT[c] ?? replaceMarkdown(c)
  )
}

const HTML_REPLACEMENT: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '@': `@${ZERO_WIDTH_SPACE}`,
  '#': `#${ZERO_WIDTH_SPACE}`
}

/**
 * Renders untrusted text (usually an e-mail) as a code span: shown verbatim and copyable, never a mailto link,
 * never a mention. In a table cell every `|` must still be backslash-escaped, even inside a code span.
 */
export function codeSpan(text: string, options: { inTable?: boolean } = {}): string {
  let content = toSingleLine(text)
  if (content === '') return '` `'
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longestRun + 1)
  if (content.startsWith('`') || content.endsWith('`')) content = ` ${content} `
  const span = `${fence}${content}${fence}`
  return options.inTable ? span.replace(/\|/g, '\\|') : span
}

/**
 * Renders an owner from the access file as a real mention (`@octocat`, `@acme/security`): owners are the only
 * people a report pings. Anything that is not a valid GitHub login or team is rendered as escaped text.
 */
export function mention(owner: string): string {
  const trimmed = owner.trim()
  const match = OWNER_PATTERN.exec(trimmed)
  if (!match) return escapeMarkdown(trimmed)
  return `@${match[1]}${match[2] ?? ''}`
}

/** Owners as mentions, comma separated; `none` text when empty. */
export function mentionList(owners: readonly string[], none = 'no owners listed'): string {
  return owners.length === 0 ? none : owners.map(mention).join(', ')
}

/** A Markdown link whose text is escaped and whose URL is only kept when it is http(s). */
export function link(text: string, url: string): string {
  const label = escapeMarkdown(text)
  if (!/^https?:\/\/[^\s<>()]+$/.test(url)) return label
  return `[${label}](${url})`
}

/** Rows of already-escaped cells as a GFM table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** "1 addition" / "3 additions". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}
