import { describe, expect, it } from 'vitest'
import { PLAN_COMMENT_MARKER, markPlanOutOfDate } from '../../src/report/index.js'

const EARLIER = `${PLAN_COMMENT_MARKER}\n### Cloudflare Access plan\n\n**✅ No changes: Cloudflare matches the access file.**\n`

describe('markPlanOutOfDate', () => {
  it('puts a banner naming the failed commit above the earlier plan', () => {
    const body = markPlanOutOfDate(EARLIER, {
      headSha: '0123456789abcdef0123456789abcdef01234567',
      message: 'Cloudflare API GET /accounts/x/members: HTTP 503 on each of 4 attempts.',
      runUrl: 'https://github.com/acme/access/actions/runs/9'
    })
    expect(body).toBe(
      [
        PLAN_COMMENT_MARKER,
        '<!-- cloudflare-access-as-code:plan-failed -->',
        '> [!CAUTION]',
        '> **The plan for commit `0123456789ab` failed:** Cloudflare API GET /accounts/x/members: HTTP 503 on each of 4 attempts.',
        '>',
        '> Everything below is out of date: it is the plan of an earlier commit, not of this one. Fix the cause and push again, or re-run [the workflow run](https://github.com/acme/access/actions/runs/9).',
        '<!-- /cloudflare-access-as-code:plan-failed -->',
        '',
        '### Cloudflare Access plan',
        '',
        '**✅ No changes: Cloudflare matches the access file.**',
        ''
      ].join('\n')
    )
  })

  it('replaces an earlier banner and keeps the message to one escaped, redacted, shortened line', () => {
    const once = markPlanOutOfDate(EARLIER, { message: 'first' })
    const twice = markPlanOutOfDate(once, {
      message: `line one\n# @octocat Authorization: Bearer abcdefghijklmnop ${'x'.repeat(2_000)}`
    })
    expect(twice.match(/\[!CAUTION\]/g)).toHaveLength(1)
    expect(twice).not.toContain('first')
    expect(twice).not.toContain('abcdefghijklmnop')
    expect(twice).toContain('line one \\#&#8203; @&#8203;octocat Authorization: \\[redacted\\]')
    expect(twice.length).toBeLessThan(EARLIER.length + 1_200)
    expect(twice.endsWith(EARLIER.replace(`${PLAN_COMMENT_MARKER}\n`, ''))).toBe(true)
  })
})
