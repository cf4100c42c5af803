import { describe, expect, it } from 'vitest'
import {
  codeSpan,
  escapeHtml,
  escapeMarkdown,
  escapeTableCell,
  link,
  mention,
  mentionList
} from '../../src/report/index.js'

describe('escapeMarkdown', () => {
  it('neutralises mentions, team mentions and issue references', () => {
    expect(escapeMarkdown('ping @octocat and @acme/security about #12')).toBe(
      'ping @&#8203;octocat and @&#8203;acme/security about \\#&#8203;12'
    )
  })

  it('leaves the @ of an e-mail alone, where GitHub never pings, so copied e-mails stay exact', () => {
    expect(escapeMarkdown('first_last@example.com')).toBe('first\\_last@example.com')
    expect(escapeMarkdown('removes frank@example.com, x_@octocat')).toBe(
      'removes frank@example.com, x\\_@octocat'
    )
  })

  it('neutralises a mention after any non-word character', () => {
    expect(escapeMarkdown('@octocat (@acme/security) -@x')).toBe(
      '@&#8203;octocat \\(@&#8203;acme/security\\) -@&#8203;x'
    )
  })

  it('escapes HTML and entities', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> &amp;')).toBe(
      '&lt;img src=x onerror=alert\\(1\\)&gt; &amp;amp;'
    )
  })

  it('escapes Markdown links, emphasis and code', () => {
    expect(escapeMarkdown('[click](https://evil.example) *bold* `code` ~x~ a\\b')).toBe(
      '\\[click\\]\\(https:&#8203;//evil.example\\) \\*bold\\* \\`code\\` \\~x\\~ a\\\\b'
    )
  })

  it('keeps GH-1 references and bare www. links from autolinking', () => {
    expect(escapeMarkdown('see GH-12, gh-3 and www.evil.example or WWW.x.example')).toBe(
      'see GH&#8203;-12, gh&#8203;-3 and www&#8203;.evil.example or WWW&#8203;.x.example'
    )
    // Words that merely contain the letters stay as they are.
    expect(escapeMarkdown('HIGH-5 awww.')).toBe('HIGH-5 awww.')
  })

  it('redacts anything that looks like a credential', () => {
    expect(escapeMarkdown('token=ghp_FAKEsecretThatMustNeverBePublished0042')).toBe(
      'token=\\[redacted\\]'
    )
  })

  it('folds newlines and strips control characters', () => {
    expect(escapeMarkdown('line one\r\nline two\n\n# heading\u001b[31m')).toBe(
      'line one line two \\#&#8203; heading\\[31m'
    )
  })
})

describe('escapeTableCell', () => {
  it('escapes every pipe and keeps the cell on one line', () => {
    expect(escapeTableCell('a | b | c\nd')).toBe('a \\| b \\| c d')
  })

  it('never leaves a cell empty', () => {
    expect(escapeTableCell('')).toBe(' ')
  })
})

describe('codeSpan', () => {
  it('shows an e-mail verbatim where it cannot link or ping', () => {
    expect(codeSpan('alice@example.com')).toBe('`alice@example.com`')
  })

  it('uses a longer fence around backticks', () => {
    expect(codeSpan('a`b')).toBe('``a`b``')
    expect(codeSpan('`x')).toBe('`` `x ``')
  })

  it('escapes pipes inside tables', () => {
    expect(codeSpan('a|b@example.com', { inTable: true })).toBe('`a\\|b@example.com`')
  })
})

describe('escapeHtml', () => {
  it('escapes HTML and neutralises mentions', () => {
    expect(escapeHtml(`<b a="1">'@x' & #3</b>`)).toBe(
      '&lt;b a=&quot;1&quot;&gt;&#39;@&#8203;x&#39; &amp; #&#8203;3&lt;/b&gt;'
    )
  })

  it('keeps references and links from autolinking and redacts credentials', () => {
    expect(escapeHtml('GH-1 www.x.example https://y.example Bearer abcdefghijkl')).toBe(
      'GH&#8203;-1 www&#8203;.x.example https:&#8203;//y.example Bearer [redacted]'
    )
  })
})

describe('mention', () => {
  it('renders owners as real mentions', () => {
    expect(mention('octocat')).toBe('@octocat')
    expect(mention('@acme/security')).toBe('@acme/security')
    expect(mentionList(['octocat', '@acme/security'])).toBe('@octocat, @acme/security')
    expect(mentionList([])).toBe('no owners listed')
  })

  it('escapes anything that is not a GitHub login or team', () => {
    expect(mention('bob <script>')).toBe('bob &lt;script&gt;')
    expect(mention('alice@example.com')).toBe('alice@example.com')
    expect(mention('@alice@example.com')).toBe('@&#8203;alice@example.com')
  })
})

describe('link', () => {
  it('links only http(s) URLs', () => {
    expect(link('#12', 'https://github.com/acme/access/pull/12')).toBe(
      '[\\#&#8203;12](https://github.com/acme/access/pull/12)'
    )
    expect(link('run', 'javascript:alert(1)')).toBe('run')
  })
})
