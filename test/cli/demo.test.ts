import { describe, expect, it } from 'vitest'
import { runDemo } from '../../src/cli/demo-run.js'

const ACCOUNT = '/accounts/def0b17f603285ef4336f6e3e3dcd43c'
// Every list at its per-list minimum for the sample account: one page each (members at 50, the API maximum).
const SNAPSHOT = [
  'GET /user/tokens/verify',
  `GET ${ACCOUNT}/access/groups?page=1&per_page=1000`,
  `GET ${ACCOUNT}/members?page=1&per_page=50`,
  `GET ${ACCOUNT}/roles?page=1&per_page=50`,
  `GET ${ACCOUNT}/access/users?page=1&per_page=1000`
]
const ENGINEERING = `${ACCOUNT}/access/groups/6fae722f-25a0-4bf3-9141-4c734fc11e0b`
const SRE = `${ACCOUNT}/access/groups/608226dd-2864-46d5-b77c-63ea6c27099e`
const LEGACY_VPN = `${ACCOUNT}/access/groups/3855c006-6906-4372-97c5-f70495dc295b`

describe('npm run demo', () => {
  it('plans, applies and re-plans group changes, role grants, a revocation and an invitation, then grants a request and expires it, at exact request counts', async () => {
    let out = ''
    let err = ''
    const result = await runDemo({
      out: (text) => (out += text),
      err: (text) => (err += text),
      now: () => new Date('2026-12-02T12:00:00Z')
    })
    expect(err).toBe('')
    expect(result.failed).toBe(false)
    const [plan, apply, replan, review, grant, expire] = result.steps.map((step) => step.requests)

    // The plan changes groups, so it reads the applications too: one request at per_page 1000.
    expect(plan).toEqual([...SNAPSHOT, `GET ${ACCOUNT}/access/apps?page=1&per_page=1000`])
    const members = apply!.filter((request) => request.includes('/members/'))
    expect(apply!.slice(0, 5)).toEqual(SNAPSHOT)
    // Two groups and two members change, and each list is one page: each is re-read by one list request right before
    // the writes, not by two GETs.
    expect(apply!.slice(5, 7).sort()).toEqual([SNAPSHOT[1], SNAPSHOT[2]].sort())
    expect(apply!.filter((request) => request.includes('/access/groups/')).sort()).toEqual(
      [`PUT ${ENGINEERING}`, `PUT ${SRE}`].sort()
    )
    // Each role change writes the member's whole role set; the invitation is one POST.
    expect(members.filter((request) => request.startsWith('GET '))).toHaveLength(0)
    expect(members.filter((request) => request.startsWith('PUT '))).toHaveLength(2)
    expect(apply!.filter((request) => request === `POST ${ACCOUNT}/members`)).toHaveLength(1)
    expect(apply).toHaveLength(12)
    // Nothing left to change: no write, and no applications read.
    expect(replan).toEqual(SNAPSHOT)
    expect(review).toEqual(SNAPSHOT)
    // The request's grant is applied, and with the clock past its end the expire run removes it: one group each.
    expect(grant).toEqual([...SNAPSHOT, `GET ${LEGACY_VPN}`, `PUT ${LEGACY_VPN}`])
    expect(expire).toEqual([...SNAPSHOT, `GET ${LEGACY_VPN}`, `PUT ${LEGACY_VPN}`])
    expect(result.steps.flatMap((step) => step.requests)).toHaveLength(42)
    expect(out).toContain(
      'the approved request gives carol@example.com Legacy VPN until 2026-12-02T16:00:00Z'
    )
    expect(out).toContain(
      '  +  add  carol@example.com  requested  expires 2026-12-02  INC-42 customer escalation (request #1)'
    )
    expect(out).toContain('  -  remove  carol@example.com  expired')
    expect(out).toContain('  -  remove  carol@example.com  applied')

    expect(out).toContain('  ~  grant   dave@example.com   requested')
    expect(out).toContain('  +  invite  carol@example.com  requested')
    expect(out).toContain('  ~  revoke  alice@example.com  drift (in Cloudflare, not in the file)')
    expect(out).toContain(
      'ivan@example.com is named for role "Cloudflare Zero Trust" (examples/cloudflare-access.yaml:69), but their ' +
        'account membership is managed by permission policies (a permission policy says "deny")'
    )
    expect(out).toContain(
      'What these group changes open:\n' +
        '  removes mallory@example.org from Engineering: closes grafana.example.com, wiki.example.com; no longer meets the requirement of ssh.example.com\n' +
        '  adds ivan@example.com to Engineering: opens grafana.example.com, wiki.example.com; meets the requirement of ssh.example.com\n' +
        '  adds judy@example.org to Engineering: opens grafana.example.com, wiki.example.com; meets the requirement of ssh.example.com\n' +
        '  adds ivan@example.com to SRE On-Call: opens ssh.example.com\n'
    )
    expect(out).toContain('7 applied, 0 failed, 0 skipped.')
    expect(out).toContain('No changes. Cloudflare matches the access file.')
    // The review names the members role management leaves alone.
    expect(out).toMatch(
      /Members managed by permission policies[\s\S]*- grace@example\.com\n- ivan@example\.com/
    )
  })
})
