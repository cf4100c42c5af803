import nock from 'nock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordFetchRequests } from '../support/fetch-recorder.js'

const API = 'https://api.cloudflare.com'
const ACCOUNT = '0123456789abcdef0123456789abcdef'

beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())

describe('recordFetchRequests', () => {
  it('passes requests the subset describes and names the ones it does not', async () => {
    nock(API)
      .get(`/client/v4/accounts/${ACCOUNT}/members`)
      .query(true)
      .reply(200, {})
      .post(`/client/v4/accounts/${ACCOUNT}/members`)
      .reply(200, {})
    const recorder = recordFetchRequests()
    try {
      await fetch(`${API}/client/v4/accounts/${ACCOUNT}/members?page=1&per_page=50`)
      expect(() => recorder.assertRequestsMatchContract()).not.toThrow()

      // POST members takes role ids as strings; objects are what PUT takes.
      await fetch(`${API}/client/v4/accounts/${ACCOUNT}/members`, {
        method: 'POST',
        body: JSON.stringify({ email: 'a@example.com', roles: [{ id: 'x' }] })
      })
    } finally {
      recorder.restore()
    }
    expect(recorder.entries.map((entry) => `${entry.method} ${entry.status}`)).toEqual([
      'GET 200',
      'POST 200'
    ])
    expect(() => recorder.assertRequestsMatchContract()).toThrow(
      /Requests outside the OpenAPI subset:\n {2}- POST \/client\/v4\/accounts\/0123456789abcdef0123456789abcdef\/members/
    )
  })
})
