import { randomBytes } from 'node:crypto';
import { ApiClient } from '../cli/api-client';
import { startConsole } from '../console/server';
import { Upstream } from '../console/upstream';
import { LIVE_TIMING } from '../console/live';
import type { Provision } from '../lambdas/provisioning/model';
import { startSandboxWithApi } from '../sandbox/daemon';
import { simPlan } from './plans';

/** What the console costs: page times, page weight, and how long an event takes to reach an open page. */
export interface ConsoleMeasure {
  /** First load: every provision of the page read from the API. */
  listPageColdMs: number;
  /** The list's refreshes: resting, unchanged provisions come from the console's short cache. */
  listPageMs: number;
  provisionPageMs: number;
  pageBytes: number;
  eventLatencyMedianMs: number;
  eventLatencyMaxMs: number;
  listed: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function timeGet(url: string, headers: Record<string, string>, times = 10): Promise<{ ms: number; bytes: number }> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < times; i += 1) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    bytes = (await res.arrayBuffer()).byteLength;
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), bytes };
}

/**
 * The console in front of a full sandbox: `listed` stored provisions of 4
 * hosts each (the list reads every one for its running hosts), one 2-host
 * provision created through the create form and followed over server-sent
 * events from the moment it is created.
 */
export async function measureConsole(timeScale: number, listed = 25): Promise<ConsoleMeasure> {
  const token = randomBytes(8).toString('hex');
  const stack = await startSandboxWithApi({ token, timeScale, seed: 11 });
  const web = await startConsole({ upstream: new Upstream(async () => ApiClient.withToken(stack.api.url, token), 'local sandbox', true) });
  const auth = { authorization: `Bearer ${web.token}`, accept: 'text/html' };
  try {
    const now = new Date().toISOString();
    for (let i = 0; i < listed; i += 1) {
      const plan = simPlan(4, `listed${i}`);
      const p: Provision = {
        id: `p-${i.toString(16).padStart(12, '0')}`,
        owner: 'local',
        name: plan.name,
        state: 'RUNNING',
        plan,
        hosts: plan.hosts.map((h) => ({ index: h.index, name: h.name, state: 'RUNNING', publicIps: [], version: 1, updatedAt: now })),
        datastores: [],
        networks: [],
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await stack.sandbox.deps.store.create(p);
    }

    // Through the console's own /api forwarding, as a script would.
    const created = await new ApiClient(web.url, async () => ({ authorization: `Bearer ${web.token}` })).send('POST', '/api/provisions', {
      body: JSON.stringify({ plan: simPlan(2, 'followed') }),
      headers: { 'content-type': 'application/json' },
    });
    const id = ((await created.json()) as { id: string }).id;

    // Follow it as a page does; each log entry's delay is its arrival minus its own timestamp.
    const latencies: number[] = [];
    const ac = new AbortController();
    const connectedAt = Date.now();
    const res = await fetch(`${web.url}/provisions/${id}/live?after=0`, { headers: auth, signal: ac.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let buffer = '';
    let seen = '';
    const deadline = Date.now() + 120_000;
    while (!seen.includes('"state":"RUNNING"') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      const arrived = Date.now();
      buffer += Buffer.from(value).toString();
      // Complete messages only; only `events` messages carry new log entries (updates hold older times too).
      const cut = buffer.lastIndexOf('\n\n');
      for (const message of buffer.slice(0, cut + 2).split('\n\n')) {
        if (!message.includes('event: events')) continue;
        for (const m of message.matchAll(/datetime=\\"([^\\"]+)\\"/g)) {
          // Entries logged before the page connected arrive with its first message: they were never late.
          const at = Date.parse(m[1] ?? '');
          if (at >= connectedAt) latencies.push(arrived - at);
        }
      }
      seen += buffer.slice(0, cut + 2);
      buffer = buffer.slice(cut + 2);
    }
    ac.abort();

    const cold = await timeGet(`${web.url}/`, auth, 1);
    const list = await timeGet(`${web.url}/`, auth);
    const page = await timeGet(`${web.url}/provisions/${id}`, auth);
    const css = await timeGet(`${web.url}/assets/console.css`, auth, 1);
    const js = await timeGet(`${web.url}/assets/console.js`, auth, 1);
    return {
      listPageColdMs: cold.ms,
      listPageMs: list.ms,
      provisionPageMs: page.ms,
      pageBytes: page.bytes + css.bytes + js.bytes,
      eventLatencyMedianMs: median(latencies),
      eventLatencyMaxMs: Math.max(...latencies),
      listed,
    };
  } finally {
    await web.close();
    await stack.close();
  }
}

/** The poll interval the latency figure is bounded by. */
export const LIVE_POLL_MS = LIVE_TIMING.movingMs;
