import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isUtf8 } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { MAX_BODY_BYTES } from '../lambdas/api/body';
import { problemResponse } from '../lambdas/api/problem';
import { handler as apiHandler } from '../lambdas/handlers/api';

/** The local API server. */
export interface LocalApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Options of {@link startLocalApi}. */
export interface LocalApiOptions {
  port?: number;
  /** Bearer token every request must carry; its holder is the owner `local`. */
  token: string;
}

/**
 * Serves the HTTP API on loopback with the same handler as API Gateway: each
 * request becomes an API Gateway v2 event whose IAM identity is the local
 * token's owner. Requests without the token get 401 problem JSON.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApiServer> {
  const server = http.createServer((req, res) => {
    void serve(req, res, options.token).catch(() => {
      if (!res.headersSent)
        reply(res, problemResponse({ type: 'about:blank', title: 'Internal error', status: 500, detail: 'request failed' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(req: http.IncomingMessage, res: http.ServerResponse, token: string): Promise<void> {
  const auth = req.headers.authorization ?? '';
  const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (!sameSecret(given, token)) {
    reply(
      res,
      problemResponse({
        type: 'https://edge-provisioner.dev/problems/unauthenticated',
        title: 'Not authenticated',
        status: 401,
        detail: 'send Authorization: Bearer <token> (see the sandbox data directory)',
      }),
    );
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    reply(
      res,
      problemResponse({
        type: 'https://edge-provisioner.dev/problems/too-large',
        title: 'Request body too large',
        status: 413,
        detail: `the body exceeds ${MAX_BODY_BYTES} bytes`,
      }),
    );
    return;
  }
  const text = isUtf8(body);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.fromEntries(url.searchParams),
    // As API Gateway does with a body that is not text: base64, for the handler to decode (and refuse if it is not UTF-8).
    body: text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !text,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: `local-${Date.now().toString(36)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      authorizer: { iam: { userArn: 'local', userId: 'local' } },
    },
  } as unknown as APIGatewayProxyEventV2;
  const result = (await apiHandler(event, {} as never)) as APIGatewayProxyResultV2;
  reply(res, result);
}

function reply(res: http.ServerResponse, result: APIGatewayProxyResultV2): void {
  const r = typeof result === 'string' ? { statusCode: 200, body: result } : result;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k] = String(v);
  res.writeHead(r.statusCode ?? 200, headers);
  res.end(r.body ?? '');
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
