import { describe, expect, it } from 'vitest'
import { markdownToText } from '../../src/cli/markdown-text.js'

describe('markdownToText', () => {
  it('drops comments and tags, underlines headings, aligns tables, keeps boxes, links and escaped text', () => {
    const markdown = [
      '<!-- marker -->',
      '## Review: **November**',
      '',
      '### Progress',
      '',
      '| Owner | Left |',
      '| --- | --- |',
      '| @octocat | 5 of 5 |',
      '| @acme/vendors | 1 \\| 2 |',
      '',
      '<details>',
      '<summary>Decision log</summary>',
      '',
      '- [ ] keep `bob@example.com` in [Engineering](https://example.com/g)',
      '- [x] revoke erin\\_x',
      '- alice@example.com',
      '  - [x] keep <!-- keep cert:a -->',
      '  - [ ] revoke <!-- revoke cert:a -->',
      '</details>',
      '<sub>Workflow run</sub>'
    ].join('\n')

    expect(markdownToText(markdown)).toBe(
      [
        'Review: November',
        '================',
        '',
        'Progress',
        '--------',
        '',
        'Owner          Left',
        '@octocat       5 of 5',
        '@acme/vendors  1 | 2',
        '',
        'Decision log',
        '',
        '[ ] keep bob@example.com in Engineering (https://example.com/g)',
        '[x] revoke erin_x',
        '- alice@example.com',
        '  [x] keep',
        '  [ ] revoke',
        'Workflow run',
        ''
      ].join('\n')
    )
  })
})
