import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, ApiUnreachableError } from '../cli/api-client';
import { matchPath } from '../lambdas/api/router';
import { loadAssets } from './assets';
import { ConsoleAuth, newConsoleToken } from './auth';
import { consoleProblem, htmlReply, problemReply, redirect, type Reply, type StreamReply } from './http';
import { PAGES, failurePage, type PageEnv } from './pages';
import { forwardToApi } from './proxy';
import type { LiveTiming } from './live';
import type { Upstream } from './upstream';
import { problemPage } from './views/problem-page';

/** Options of {@link startConsole}. */
export interface ConsoleOptions {
  upstream: Upstream;
  /** Loopback port; 0 or absent picks a free one. */
  port?: number;
  /** Access token (default: a fresh random one). */
  token?: string;
  /** Folder of example descriptors the create page offers (default: the package's `examples/`). */
  examplesDir?: string;
  live?: LiveTiming;
  /** Failures that became a 500 (the browser learns nothing of them). */
  onError?: (err: unknown) => void;
}

/** A running console. */
export interface ConsoleServer {
  /** Base URL, e.g. `http://127.0.0.1:8123`. */
  url: string;
  /** The URL to open: it carries the access token. */
  loginUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // Not no-referrer: under it browsers send `Origin: null` on form posts, and the origin check needs the real one.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/** The package's example descriptors. */
const EXAMPLES_DIR = join(__dirname, '..', 'examples');

function examplesIn(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => [f, join(dir, f)]),
  );
}

function wantsHtml(req: http.IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function write(res: http.ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...SECURITY_HEADERS, ...reply.headers });
  res.end(reply.body);
}

/**
 * Serves the web console on 127.0.0.1: pages rendered on the server (a
 * small script adds live updates), `/assets/*` from the package, and
 * `/api/*` forwarded to the API with edgectl's credentials.
 */
export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const token = options.token ?? newConsoleToken();
  const assets = loadAssets();
  const env: PageEnv = { upstream: options.upstream, examples: examplesIn(options.examplesDir ?? EXAMPLES_DIR), live: options.live };
  // Known once the port is: the allowed Host names include it.
  const bound: { auth?: ConsoleAuth } = {};

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const a = bound.auth as ConsoleAuth;
    if (!a.hostAllowed(req)) {
      write(
        res,
        problemReply(consoleProblem(421, 'misdirected', 'Misdirected request', 'the console answers only to its own loopback address')),
      );
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const asset = url.pathname.startsWith('/assets/') ? assets.get(url.pathname.slice('/assets/'.length)) : undefined;
    if (asset && (method === 'GET' || method === 'HEAD')) {
      write(res, req.headers['if-none-match'] === asset.headers['etag'] ? { ...asset, status: 304, body: '' } : asset);
      return;
    }
    const given = url.searchParams.get('token');
    if (given !== null && method === 'GET' && a.matches(given)) {
      url.searchParams.delete('token');
      write(res, redirect(url.pathname + url.search, { 'set-cookie': a.sessionCookie() }));
      return;
    }
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (!a.authenticated(req)) {
      const problem = consoleProblem(
        401,
        'unauthenticated',
        'Not authenticated',
        'open the URL `edgectl console` printed: it carries the access token (scripts send it as a bearer token)',
      );
      write(
        res,
        !isApi && wantsHtml(req)
          ? htmlReply(401, problemPage({ target: env.upstream.target, now: Date.now() }, problem))
          : problemReply(problem),
      );
      return;
    }
    if (!a.originAllowed(req)) {
      const problem = consoleProblem(
        403,
        'forbidden',
        'Cross-origin request refused',
        'state-changing requests must come from the console itself',
      );
      write(
        res,
        !isApi && wantsHtml(req)
          ? htmlReply(403, problemPage({ target: env.upstream.target, now: Date.now() }, problem))
          : problemReply(problem),
      );
      return;
    }
    if (isApi) {
      write(res, await forwardToApi(env.upstream, req, url));
      return;
    }
    let matched = false;
    for (const route of PAGES) {
      const params = matchPath(route.path, url.pathname);
      if (!params) continue;
      matched = true;
      if (route.method !== method) continue;
      let reply: Reply | StreamReply;
      try {
        reply = await route.handle(env, { req, url, params });
      } catch (err) {
        if (!(err instanceof ApiError || err instanceof ApiUnreachableError)) throw err;
        reply = failurePage(env, err);
      }
      if ('stream' in reply) reply.stream(req, res);
      else write(res, reply);
      return;
    }
    const problem = matched
      ? consoleProblem(405, 'method-not-allowed', 'Method not allowed', `${method} is not supported on ${url.pathname}`)
      : consoleProblem(404, 'not-found', 'Not found', `no page at ${url.pathname}`);
    write(res, htmlReply(problem.status, problemPage({ target: env.upstream.target, now: Date.now() }, problem)));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.onError?.(err);
      if (res.headersSent) {
        res.end();
        return;
      }
      const problem = consoleProblem(500, 'internal', 'Internal error', 'The console could not complete the request; it can be retried.');
      write(
        res,
        wantsHtml(req) ? htmlReply(500, problemPage({ target: env.upstream.target, now: Date.now() }, problem)) : problemReply(problem),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  bound.auth = new ConsoleAuth(token, port);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    loginUrl: `${url}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
