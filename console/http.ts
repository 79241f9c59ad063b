import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Problem } from '../lambdas/api/problem';
import { TYPE_BASE } from '../lambdas/api/problem';

/** A complete response of the console. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** A response the handler writes itself (server-sent events). */
export interface StreamReply {
  stream(req: IncomingMessage, res: ServerResponse): void;
}

/** An HTML page. */
export function htmlReply(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}

/** A 303 to a page (after a form post, so a reload does not post again). */
export function redirect(location: string, extra: Record<string, string> = {}): Reply {
  return { status: 303, headers: { location, 'cache-control': 'no-store', ...extra }, body: '' };
}

/** Problem details (RFC 9457), shaped as the API shapes them. */
export function problemReply(p: Problem): Reply {
  return {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
    body: JSON.stringify(p),
  };
}

/** A problem of the console itself (the API never answered). */
export function consoleProblem(status: number, slug: string, title: string, detail: string): Problem {
  return { type: TYPE_BASE + slug, title, status, detail };
}

/** Reads a request body up to `limit` bytes; undefined when it is larger. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
