import type { AccountSeed, Emulator } from '../../src/emulator/index.js'

export const ACCOUNT_ID = '0123456789abcdef0123456789abcdef'
export const TOKEN = 'test-token-0123456789abcdef0123456789abc'
export const READ_ONLY_TOKEN = 'read-only-token-0123456789abcdef01234567'
export const DISABLED_TOKEN = 'disabled-token-0123456789abcdef012345678'
export const ACCOUNT_TOKEN = 'account-token-0123456789abcdef0123456789'
export const KEY_EMAIL = 'owner@example.com'
export const GLOBAL_KEY = '0123456789abcdef0123456789abcdef01234'

export const ADMIN_ROLE_ID = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
export const READ_ONLY_ROLE_ID = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
export const DNS_ROLE_ID = 'cccccccccccccccccccccccccccccccc'
export const SUPER_ADMIN_ID = '33666b9c79b9a5273fc7344ff42f953d'

export const ENGINEERING_ID = '11111111-1111-4111-8111-111111111111'
export const CONTRACTORS_ID = '22222222-2222-4222-8222-222222222222'

/** Small account used by the emulator and contract tests. */
export function testSeed(): AccountSeed {
  return {
    account_id: ACCOUNT_ID,
    credentials: {
      tokens: [
        { value: TOKEN, id: 'dddddddddddddddddddddddddddddddd' },
        {
          value: READ_ONLY_TOKEN,
          id: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
          scopes: ['access:read', 'access-users:read', 'members:read']
        },
        { value: DISABLED_TOKEN, id: 'ffffffffffffffffffffffffffffffff', status: 'disabled' },
        { value: ACCOUNT_TOKEN, id: '99999999999999999999999999999999', owner: 'account' }
      ],
      keys: [{ email: KEY_EMAIL, key: GLOBAL_KEY }]
    },
    roles: [
      {
        id: ADMIN_ROLE_ID,
        name: 'Administrator',
        description: 'Full access',
        permissions: { zones: { read: true, edit: true } }
      },
      { id: READ_ONLY_ROLE_ID, name: 'Administrator Read Only', description: 'Read only' },
      { id: DNS_ROLE_ID, name: 'DNS' }
    ],
    members: [
      { email: 'owner@example.com', roles: ['Super Administrator - All Privileges'] },
      { email: 'alice@example.com', roles: ['Administrator'], first_name: 'Alice' },
      { email: 'bob@example.com', roles: [READ_ONLY_ROLE_ID, 'DNS'] },
      { email: 'frank@example.com', status: 'pending', roles: ['DNS'] },
      {
        email: 'grace@example.com',
        policies: [
          {
            id: '12121212121212121212121212121212',
            access: 'allow',
            permission_groups: [{ id: '34343434343434343434343434343434' }],
            resource_groups: [
              {
                id: '56565656565656565656565656565656',
                scope: [
                  { key: `com.cloudflare.api.account.${ACCOUNT_ID}`, objects: [{ key: '*' }] }
                ]
              }
            ]
          }
        ]
      }
    ],
    groups: [
      {
        id: ENGINEERING_ID,
        name: 'Engineering',
        include: [
          { email: { email: 'alice@example.com' } },
          { email: { email: 'bob@example.com' } },
          { ip: { ip: '10.0.0.0/8' } }
        ],
        require: [{ auth_method: { auth_method: 'mfa' } }]
      },
      {
        id: CONTRACTORS_ID,
        name: 'Contractors',
        include: [{ email: { email: 'judy@example.org' } }],
        exclude: [{ geo: { country_code: 'KP' } }]
      },
      { name: 'Legacy VPN', include: [{ email: { email: 'olaf@example.org' } }] },
      { name: 'Legacy VPN', include: [{ everyone: {} }] }
    ],
    users: [
      { email: 'alice@example.com', name: 'Alice', last_successful_login: '2026-11-01T10:00:00Z' },
      { email: 'bob@example.com', last_successful_login: null },
      { email: 'judy@example.org', gateway_seat: true }
    ]
  }
}

export interface ApiAnswer {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any
}

export interface CallOptions {
  body?: unknown
  /** Raw body text (for malformed JSON). */
  rawBody?: string
  /** Replaces the default Bearer TOKEN header. */
  headers?: Record<string, string>
}

/** One raw call to the emulator; `path` is relative to emulator.url. */
export async function call(
  emulator: Emulator,
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<ApiAnswer> {
  const headers: Record<string, string> = options.headers ?? { authorization: `Bearer ${TOKEN}` }
  let body: string | undefined
  if (options.rawBody !== undefined) body = options.rawBody
  else if (options.body !== undefined) body = JSON.stringify(options.body)
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : undefined
  }
}

export const account = (suffix = ''): string => `/accounts/${ACCOUNT_ID}${suffix}`
