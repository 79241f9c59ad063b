import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../cli/api-client';
import type { ProvisionView } from '../lambdas/api/views';
import type { ProvisionLogEntry } from '../lambdas/provisioning/model';
import type { Page } from '../lambdas/provisioning/ports/store';
import { TERMINAL_PROVISION_STATES, type ProvisionState } from '../lambdas/provisioning/model';
import type { StreamReply } from './http';
import type { Upstream } from './upstream';
import { eventItems } from './views/events';
import { toneOf } from './views/format';
import { currentRoles, liveSections } from './views/provision';
import { timelineChart } from './views/timeline';

/** How often the stream polls the API. */
export interface LiveTiming {
  /** While the provision moves. */
  movingMs: number;
  /** While it rests (a delete or retry started elsewhere still shows up). */
  restingMs: number;
  /** Comment lines that keep proxies and browsers from closing an idle stream. */
  keepAliveMs: number;
}

/** Defaults: a host step is seen within half a second; a resting provision costs one request every 2 s. */
export const LIVE_TIMING: LiveTiming = { movingMs: 400, restingMs: 2000, keepAliveMs: 15_000 };

/** Reads the event log after `after`, every page of it. */
export async function eventsAfter(upstream: Upstream, id: string, after: number): Promise<ProvisionLogEntry[]> {
  const all: ProvisionLogEntry[] = [];
  let cursor = after > 0 ? String(after) : undefined;
  for (let i = 0; i < 100; i += 1) {
    const q = new URLSearchParams({ limit: '1000', ...(cursor ? { after: cursor } : {}) });
    const page = await upstream.call<Page<ProvisionLogEntry>>('GET', `/provisions/${encodeURIComponent(id)}/events?${q.toString()}`);
    all.push(...page.items);
    const last = page.items[page.items.length - 1];
    if (!last || page.items.length < 1000) break;
    cursor = String(last.seq);
  }
  return all;
}

/** Short sentences for screen readers about what changed between two views. */
export function changes(before: ProvisionView | undefined, after: ProvisionView): string[] {
  if (!before) return [];
  const out: string[] = [];
  if (before.state !== after.state) out.push(`Provision ${after.name} is ${after.state}`);
  for (const h of after.hosts) {
    const old = before.hosts.find((x) => x.index === h.index);
    if (old?.state !== h.state) out.push(`${h.name} is ${h.state}`);
  }
  return out;
}

function send(res: ServerResponse, event: string, data: unknown, id?: number): void {
  res.write(`${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * Server-sent events of a provision page: `events` with new log entries
 * (rendered, in order; the entry's seq is the SSE id, so a reconnecting
 * browser resumes where it was), `update` with the page sections that
 * changed and what to announce, `gone` when the provision cannot be read.
 * The stream polls the events API and the provision; it ends when the
 * browser goes away.
 */
export function liveStream(upstream: Upstream, id: string, after: number, timing: LiveTiming = LIVE_TIMING): StreamReply {
  return {
    stream(req: IncomingMessage, res: ServerResponse) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write('retry: 2000\n\n');
      let closed = false;
      req.on('close', () => {
        closed = true;
      });
      const lastId = Number(req.headers['last-event-id']);
      void follow(upstream, id, Number.isInteger(lastId) && lastId > 0 ? lastId : after, timing, res, () => closed);
    },
  };
}

async function follow(
  upstream: Upstream,
  id: string,
  after: number,
  timing: LiveTiming,
  res: ServerResponse,
  closed: () => boolean,
): Promise<void> {
  const roles = new Map<string, string>();
  const sent: Record<string, string> = {};
  let view: ProvisionView | undefined;
  let cursor = 0;
  let lastWrite = Date.now();
  let first = true;
  while (!closed()) {
    let resting = false;
    try {
      // The first read starts at the beginning so the roles under way are known; only entries after `after` are sent.
      // The provision first, then its log: the entries sent are at least as new as the state shown.
      const next = await upstream.call<ProvisionView>('GET', `/provisions/${encodeURIComponent(id)}`);
      const entries = await eventsAfter(upstream, id, first ? 0 : cursor);
      currentRoles(entries, roles);
      const fresh = entries.filter((e) => e.seq > Math.max(after, cursor));
      const last = entries[entries.length - 1];
      if (last) cursor = last.seq;
      if (first) cursor = Math.max(cursor, after);
      if (fresh.length) {
        send(res, 'events', { html: eventItems(fresh).value }, fresh[fresh.length - 1]?.seq);
        lastWrite = Date.now();
      }
      const now = Date.now();
      const sections = liveSections(next, roles, { target: upstream.target, now }, timelineChart(next, now));
      // Ages in the summary tick every second; they alone are no reason to send.
      const changed = Object.fromEntries(
        Object.entries(sections).filter(
          ([k, v]) => sent[k] !== v && !(k === 'summary' && !first && view?.updatedAt === next.updatedAt && view.state === next.state),
        ),
      );
      if (Object.keys(changed).length) {
        Object.assign(sent, changed);
        send(res, 'update', { sections: changed, announce: changes(view, next), state: next.state });
        lastWrite = Date.now();
      }
      view = next;
      first = false;
      resting = TERMINAL_PROVISION_STATES.includes(next.state as ProvisionState) && next.hosts.every((h) => toneOf(h.state) !== 'busy');
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 401 || err.status === 403)) {
        send(res, 'gone', { status: err.status, ...err.problem });
        res.end();
        return;
      }
      send(res, 'problem', { detail: err instanceof Error ? err.message : String(err) });
      lastWrite = Date.now();
      resting = true;
    }
    if (Date.now() - lastWrite >= timing.keepAliveMs) {
      res.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
    await new Promise((r) => setTimeout(r, resting ? timing.restingMs : timing.movingMs));
  }
  res.end();
}
