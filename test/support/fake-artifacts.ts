/**
 * A loopback stand-in for the Actions results service and its blob storage, built from how @actions/artifact 6 talks
 * to them (lib/internal/shared/artifact-twirp-client.js, lib/internal/upload/blob-upload.js): Twirp JSON POSTs to
 * /twirp/github.actions.results.api.v1.ArtifactService/{CreateArtifact,FinalizeArtifact} with the runtime token as a
 * Bearer, then Azure Blob block uploads to the signed URL CreateArtifact returns (PUT …&comp=block&blockid=…, then
 * PUT …&comp=blocklist). It checks the token and the backend ids the client reads from it, and keeps the bytes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/'
const RUN_BACKEND_ID = 'run-backend-0001'
const JOB_BACKEND_ID = 'job-backend-0001'

export interface FakeArtifact {
  id: number
  name: string
  mimeType?: string
  /** The bytes committed to blob storage; undefined until the block list is committed. */
  bytes?: Buffer
  finalized: boolean
}

export interface FakeArtifacts {
  /** ACTIONS_RESULTS_URL. */
  url: string
  /** ACTIONS_RUNTIME_TOKEN: an unsigned JWT whose scp names the run and job backend ids, as the runner's does. */
  runtimeToken: string
  artifacts: FakeArtifact[]
  /** `METHOD path` of every request, in order (the blob's query without its signature). */
  requests: string[]
  close(): Promise<void>
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export async function startFakeArtifacts(): Promise<FakeArtifacts> {
  const runtimeToken = [
    base64url({ alg: 'none', typ: 'JWT' }),
    base64url({ scp: `Actions.GenericRead Actions.Results:${RUN_BACKEND_ID}:${JOB_BACKEND_ID}` }),
    'unsigned'
  ].join('.')
  const artifacts: FakeArtifact[] = []
  const requests: string[] = []
  const blocks = new Map<string, Buffer>()
  let url = ''

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  const twirp = (method: string, body: Record<string, unknown>, res: ServerResponse) => {
    // The client sends proto field names (toJson with useProtoFieldName) and reads either form back.
    if (
      body.workflow_run_backend_id !== RUN_BACKEND_ID ||
      body.workflow_job_run_backend_id !== JOB_BACKEND_ID
    ) {
      return json(res, 400, { code: 'invalid_argument', msg: 'unknown backend ids' })
    }
    const name = String(body.name)
    if (method === 'CreateArtifact') {
      if (artifacts.some((artifact) => artifact.name === name)) {
        return json(res, 409, { code: 'already_exists', msg: 'an artifact with this name exists' })
      }
      const artifact: FakeArtifact = { id: 1000 + artifacts.length, name, finalized: false }
      // A google.protobuf.StringValue is its plain string in JSON.
      if (typeof body.mime_type === 'string') artifact.mimeType = body.mime_type
      artifacts.push(artifact)
      return json(res, 200, {
        ok: true,
        signed_upload_url: `${url}/blob/devstoreaccount1/results/${artifact.id}?sig=fake-signature`
      })
    }
    if (method === 'FinalizeArtifact') {
      const artifact = artifacts.find((candidate) => candidate.name === name)
      if (!artifact?.bytes)
        return json(res, 404, { code: 'not_found', msg: 'no upload for this name' })
      if (String(body.size) !== String(artifact.bytes.length)) {
        return json(res, 400, { code: 'invalid_argument', msg: 'size does not match the upload' })
      }
      artifact.finalized = true
      return json(res, 200, { ok: true, artifact_id: String(artifact.id) })
    }
    return json(res, 404, { code: 'bad_route', msg: `no method ${method}` })
  }

  const blob = (req: IncomingMessage, res: ServerResponse, path: URL, body: Buffer) => {
    const id = Number(path.pathname.split('/').pop())
    const artifact = artifacts.find((candidate) => candidate.id === id)
    if (!artifact || path.searchParams.get('sig') !== 'fake-signature' || req.method !== 'PUT') {
      res.writeHead(403).end()
      return
    }
    const headers = { 'x-ms-request-id': `req-${requests.length}`, 'x-ms-version': '2025-01-05' }
    const comp = path.searchParams.get('comp')
    if (comp === 'block') {
      blocks.set(`${id}:${path.searchParams.get('blockid')}`, body)
    } else if (comp === 'blocklist') {
      const ids = [
        ...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)
      ].map((match) => match[1]!)
      artifact.bytes = Buffer.concat(
        ids.map((block) => blocks.get(`${id}:${block}`) ?? Buffer.alloc(0))
      )
    } else {
      artifact.bytes = body
    }
    res.writeHead(201, { ...headers, etag: '"0x1"', 'last-modified': new Date(0).toUTCString() })
    res.end()
  }

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = new URL(req.url ?? '/', 'http://fake')
      const query = new URLSearchParams(path.search)
      query.delete('sig')
      requests.push(`${req.method} ${path.pathname}${query.size > 0 ? `?${query}` : ''}`)
      if (path.pathname.startsWith('/blob/')) return blob(req, res, path, body)
      if (!path.pathname.startsWith(SERVICE) || req.method !== 'POST') {
        return json(res, 404, { code: 'bad_route', msg: 'not a Twirp route' })
      }
      if (req.headers.authorization !== `Bearer ${runtimeToken}`) {
        return json(res, 401, { code: 'unauthenticated', msg: 'bad runtime token' })
      }
      twirp(
        path.pathname.slice(SERVICE.length),
        JSON.parse(body.toString('utf8')) as Record<string, unknown>,
        res
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    runtimeToken,
    artifacts,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
