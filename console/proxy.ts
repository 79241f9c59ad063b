import type { IncomingMessage } from 'node:http';
import { MAX_BODY_BYTES } from '../lambdas/api/body';
import { ApiUnreachableError } from '../cli/api-client';
import { consoleProblem, problemReply, readBody, type Reply } from './http';
import type { Upstream } from './upstream';

/** Request headers that reach the API; the browser's cookie and authorisation never do. */
const REQUEST_HEADERS = ['content-type', 'accept', 'idempotency-key'];
/** Response headers the browser gets back. */
const RESPONSE_HEADERS = ['content-type', 'location', 'idempotent-replayed', 'retry-after'];

/**
 * Forwards `/api/<path>` to the API's `/<path>` with edgectl's own
 * authentication (the sandbox token or SigV4), the way `kubectl proxy`
 * does: the browser never holds AWS credentials, and what comes back —
 * problem details included — is exactly what the API answered.
 */
export async function forwardToApi(upstream: Upstream, req: IncomingMessage, url: URL): Promise<Reply> {
  const method = (req.method ?? 'GET').toUpperCase();
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === undefined)
    return problemReply(consoleProblem(413, 'too-large', 'Request body too large', `the body exceeds ${MAX_BODY_BYTES} bytes`));
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const v = req.headers[name];
    if (typeof v === 'string') headers[name] = v;
  }
  const path = (url.pathname.slice('/api'.length) || '/') + url.search;
  let res: Response;
  try {
    res = await upstream.send(method, path, {
      headers,
      ...(body.length && method !== 'GET' && method !== 'HEAD' ? { body: body.toString('utf8') } : {}),
    });
  } catch (err) {
    if (err instanceof ApiUnreachableError)
      return problemReply(consoleProblem(502, 'api-unreachable', 'The API cannot be reached', err.message));
    throw err;
  }
  const out: Record<string, string> = { 'cache-control': 'no-store' };
  for (const name of RESPONSE_HEADERS) {
    const v = res.headers.get(name);
    if (v === null) continue;
    out[name] = name === 'location' && v.startsWith('/') ? `/api${v}` : v;
  }
  return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
}
