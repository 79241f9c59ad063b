import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A fresh console access token. */
export function newConsoleToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Who may use the console. It acts with edgectl's credentials, so only the
 * holder of the token printed in its URL may: the first visit trades the
 * token for an HttpOnly, SameSite=Strict cookie; scripts send it as a
 * bearer token. Requests must name the console's own loopback host (no DNS
 * rebinding), and state-changing ones must come from its own pages (no
 * cross-site form posts, not even from another port of 127.0.0.1).
 */
export class ConsoleAuth {
  readonly cookieName: string;
  private readonly hosts: Set<string>;

  constructor(
    readonly token: string,
    readonly port: number,
  ) {
    this.cookieName = `edge_console_${port}`;
    this.hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  }

  /** True when the Host header names this console (not a name that merely resolves to loopback). */
  hostAllowed(req: IncomingMessage): boolean {
    return this.hosts.has((req.headers.host ?? '').toLowerCase());
  }

  /** True unless a state-changing request comes from another origin. */
  originAllowed(req: IncomingMessage): boolean {
    if (!UNSAFE.has(req.method ?? 'GET')) return true;
    const origin = req.headers.origin;
    if (origin !== undefined) return [...this.hosts].some((h) => origin === `http://${h}`);
    // Browsers send Origin on every cross-origin POST; without it, Fetch Metadata still tells.
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }

  /** True when the request carries the token (cookie or bearer). */
  authenticated(req: IncomingMessage): boolean {
    const auth = req.headers.authorization ?? '';
    if (auth.startsWith('Bearer ') && same(auth.slice(7), this.token)) return true;
    const cookie = this.cookieOf(req);
    return cookie !== undefined && same(cookie, this.token);
  }

  /** True when `given` (the `token` query parameter) is the token. */
  matches(given: string): boolean {
    return same(given, this.token);
  }

  /** The Set-Cookie value that signs a browser in for this console's lifetime. */
  sessionCookie(): string {
    return `${this.cookieName}=${this.token}; Path=/; HttpOnly; SameSite=Strict`;
  }

  private cookieOf(req: IncomingMessage): string | undefined {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
    }
    return undefined;
  }
}
