import { describe, expect, it } from 'vitest'
import {
  renderExtensionAccepted,
  renderExtensionPullBody,
  renderExtensionRefusal,
  renderRequestAccepted,
  renderRequestExpired,
  renderRequestPullBody,
  renderRequestRefusal
} from '../../src/report/request-comment.js'
import type { RequestedGrant } from '../../src/request/policy.js'
import { expectGolden } from './golden.js'

const GRANT: RequestedGrant = {
  kind: 'group',
  name: 'Support',
  file: 'cloudflare-access.yaml',
  email: 'erin@example.com',
  granteeLogin: 'erin',
  requester: 'dave',
  forSelf: false,
  durationMs: 36 * 3_600_000,
  expires: '2026-12-03T22:00:00Z',
  // Hostile issue text: a mention, an issue link, a URL, HTML and Markdown.
  reason: 'INC-42 @octocat see #7 https://evil.example <img src=x> **now**'
}

describe('request comments', () => {
  it('renders the accepted request, the pull request body, a refusal and the end', () => {
    expectGolden(
      'request-accepted.md',
      renderRequestAccepted({
        grant: GRANT,
        pullRequest: { number: 8, url: 'https://github.com/acme/access/pull/8' },
        openedWithWorkflowToken: true
      })
    )
    expectGolden('request-pull-body.md', renderRequestPullBody(GRANT, 7))
    expectGolden(
      'request-refused.md',
      renderRequestRefusal([
        'The duration "soon @octocat" is not one I can read.',
        "@dave may not ask on someone else's behalf for this: only requests.for_others may (@acme/leads)."
      ])
    )
    expectGolden(
      'request-expired.md',
      renderRequestExpired(
        {
          action: 'remove',
          target: { kind: 'group', name: 'Support', id: 'g1' },
          email: 'erin@example.com',
          cause: 'expired',
          expires: '2026-12-03T22:00:00.000Z',
          operation: 'group:g1',
          key: 'remove:group:g1:erin@example.com'
        },
        new Date('2026-12-03T22:10:00Z')
      )
    )
  })

  it('renders the accepted extension, its pull request body and a refusal', () => {
    const extension = {
      grant: GRANT,
      durationMs: 4 * 3_600_000,
      previousEnd: '2026-12-03T22:00:00Z',
      end: '2026-12-04T02:00:00Z'
    }
    expectGolden(
      'request-extension-accepted.md',
      renderExtensionAccepted({
        ...extension,
        pullRequest: { number: 9, url: 'https://github.com/acme/access/pull/9' },
        openedWithWorkflowToken: false
      })
    )
    expectGolden('request-extension-pull-body.md', renderExtensionPullBody(extension, 7))
    expectGolden(
      'request-extension-refused.md',
      renderExtensionRefusal([
        'Only @dave, who asked for this access, can extend it; @mallory can open a request of their own.'
      ])
    )
  })

  it('lets nothing from the issue ping, link or format', () => {
    const texts = [
      renderRequestAccepted({
        grant: GRANT,
        pullRequest: { number: 8, url: 'https://github.com/acme/access/pull/8' },
        openedWithWorkflowToken: false
      }),
      renderRequestPullBody(GRANT, 7),
      renderRequestRefusal(['@octocat <b>x</b> #7'])
    ]
    for (const text of texts) {
      expect(text).not.toMatch(/(^|[^\w`])@[A-Za-z]/m)
      expect(text).not.toContain('<img')
      expect(text).not.toContain('<b>')
      expect(text).not.toContain('https://evil.example')
    }
  })
})
