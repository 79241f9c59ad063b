import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { ApiError, ApiUnreachableError } from '../cli/api-client';
import { renderTimelineSvg } from '../cli/timeline';
import type { Problem } from '../lambdas/api/problem';
import type { ProvisionView } from '../lambdas/api/views';
import { PROVISION_STATES } from '../lambdas/provisioning/model';
import type { Page, ProvisionSummary } from '../lambdas/provisioning/ports/store';
import { newNonce, parseCreateForm, runCreateAction } from './create-flow';
import { startFromForm } from './day2-form';
import { consoleProblem, htmlReply, readBody, redirect, type Reply, type StreamReply } from './http';
import { eventsAfter, liveStream, type LiveTiming } from './live';
import type { Upstream } from './upstream';
import { createPage } from './views/create';
import { deletePage } from './views/delete';
import type { ConsoleContext } from './views/layout';
import { listPage, listTable, type ListModel, type ListRow } from './views/list';
import { problemPage } from './views/problem-page';
import { provisionPage } from './views/provision';
import { timelineChart } from './views/timeline';
import { toneOf } from './views/format';

/** What page handlers work with. */
export interface PageEnv {
  upstream: Upstream;
  /** Example descriptors the create page offers: file name → path. */
  examples: ReadonlyMap<string, string>;
  live?: LiveTiming;
  /** Views of resting provisions the list read recently (see {@link listModel}). */
  listCache?: Map<string, { key: string; view: ProvisionView; at: number }>;
}

/** How long the list trusts a resting provision's view whose META has not changed. */
const LIST_CACHE_MS = 10_000;

/** One request to a page. */
export interface PageRequest {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
}

/** A page route. */
export interface PageRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(env: PageEnv, r: PageRequest): Promise<Reply | StreamReply>;
}

/** Largest form the console reads (the API's body limit plus multipart framing). */
const MAX_FORM_BYTES = 1_048_576 + 64 * 1024;
const PAGE_SIZE = 25;

const NOTICES: Record<string, string> = {
  deleting: 'Delete started.',
  'deleting-cleanup': 'Delete with cleanup started: VMs on the hosts are terminated first.',
  retrying: 'Retry started: each host resumes at the step it failed in.',
  operating: 'Operation started: the hosts below follow it, and Operations shows how it ended.',
};

function ctxOf(env: PageEnv): ConsoleContext {
  return { target: env.upstream.target, now: Date.now() };
}

/** An API failure as a page: its problem details and status (502 when the API did not answer). */
export function failurePage(env: PageEnv, err: unknown): Reply {
  if (err instanceof ApiError) {
    const problem: Partial<Problem> = { status: err.status, ...err.problem };
    return htmlReply(err.status, problemPage(ctxOf(env), problem));
  }
  if (err instanceof ApiUnreachableError) {
    return htmlReply(502, problemPage(ctxOf(env), consoleProblem(502, 'api-unreachable', 'The API cannot be reached', err.message)));
  }
  throw err;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

/** The list's rows: one page of provisions, each read for its provider and running hosts. */
export async function listModel(env: PageEnv, url: URL): Promise<ListModel> {
  const stateParam = url.searchParams.get('state') ?? '';
  const state = (PROVISION_STATES as readonly string[]).includes(stateParam) ? stateParam : undefined;
  const cursor = url.searchParams.get('cursor') || undefined;
  const q = new URLSearchParams({ limit: String(PAGE_SIZE), ...(state ? { state } : {}), ...(cursor ? { cursor } : {}) });
  const page = await env.upstream.call<Page<ProvisionSummary>>('GET', `/provisions?${q.toString()}`);
  const cache = (env.listCache ??= new Map<string, { key: string; view: ProvisionView; at: number }>());
  if (cache.size > 1000) cache.clear();
  const rows = await mapLimit(page.items, 6, async (s): Promise<ListRow> => {
    try {
      // A provision at rest whose META has not changed is read again only every few seconds: the list refreshes every 3 s.
      const key = `${s.state}|${s.updatedAt}`;
      const hit = cache.get(s.id);
      const fresh = hit && hit.key === key && Date.now() - hit.at < LIST_CACHE_MS;
      const v = fresh ? hit.view : await env.upstream.call<ProvisionView>('GET', `/provisions/${encodeURIComponent(s.id)}`);
      if (!fresh && toneOf(v.state) !== 'busy') cache.set(s.id, { key, view: v, at: Date.now() });
      const running = v.hosts.filter((h) => h.state === 'RUNNING').length;
      return { id: v.id, name: v.name, state: v.state, provider: v.provider, running, total: v.hosts.length, createdAt: v.createdAt };
    } catch {
      return { id: s.id, name: s.name, state: s.state, total: s.hostCount, createdAt: s.createdAt };
    }
  });
  return { rows, ...(state ? { state } : {}), ...(page.cursor ? { next: page.cursor } : {}), ...(cursor ? { cursor } : {}) };
}

async function provisionReply(
  env: PageEnv,
  id: string,
  extra: { notice?: string; problem?: Partial<Problem>; status?: number; showOutput?: boolean },
): Promise<Reply> {
  const view = await env.upstream.call<ProvisionView>('GET', `/provisions/${encodeURIComponent(id)}`);
  const events = await eventsAfter(env.upstream, id, 0);
  const ctx = ctxOf(env);
  return htmlReply(extra.status ?? 200, provisionPage(ctx, { view, events, timeline: timelineChart(view, ctx.now), ...extra }));
}

function formOf(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

const idOf = (r: PageRequest) => r.params['id'] ?? '';
const pathOf = (id: string) => `/provisions/${encodeURIComponent(id)}`;

/** Every page of the console. */
export const PAGES: PageRoute[] = [
  {
    method: 'GET',
    path: '/',
    async handle(env, r) {
      return htmlReply(200, listPage(ctxOf(env), await listModel(env, r.url)));
    },
  },
  {
    method: 'GET',
    path: '/fragments/list',
    async handle(env, r) {
      return htmlReply(200, listTable(ctxOf(env), await listModel(env, r.url)).value);
    },
  },
  {
    method: 'GET',
    path: '/provisions/new',
    async handle(env, r) {
      const example = r.url.searchParams.get('example');
      const path = example ? env.examples.get(example) : undefined;
      const descriptor = path ? readFileSync(path, 'utf8') : '';
      return htmlReply(200, createPage(ctxOf(env), { descriptor, inputs: '', nonce: newNonce(), examples: [...env.examples.keys()] }));
    },
  },
  {
    method: 'POST',
    path: '/provisions/new',
    async handle(env, r) {
      const body = await readBody(r.req, MAX_FORM_BYTES);
      const ctx = ctxOf(env);
      const examples = [...env.examples.keys()];
      if (body === undefined) {
        const problem = consoleProblem(413, 'too-large', 'Request body too large', `the descriptor exceeds ${MAX_FORM_BYTES} bytes`);
        return htmlReply(
          413,
          createPage(ctx, { descriptor: '', inputs: '', nonce: newNonce(), examples, outcome: { kind: 'problem', problem } }),
        );
      }
      const form = await parseCreateForm(r.req.headers['content-type'] ?? '', body);
      if ('status' in form) {
        return htmlReply(
          form.status,
          createPage(ctx, { descriptor: '', inputs: '', nonce: newNonce(), examples, outcome: { kind: 'problem', problem: form } }),
        );
      }
      let outcome;
      try {
        outcome = await runCreateAction(env.upstream, form);
      } catch (err) {
        return failurePage(env, err);
      }
      if (outcome.kind === 'created') return redirect(pathOf(outcome.id));
      const status = outcome.kind === 'problem' ? (outcome.problem.status ?? 422) : 200;
      return htmlReply(status, createPage(ctx, { descriptor: form.descriptor, inputs: form.inputs, nonce: newNonce(), examples, outcome }));
    },
  },
  {
    method: 'GET',
    path: '/provisions/{id}',
    async handle(env, r) {
      const notice = NOTICES[r.url.searchParams.get('notice') ?? ''];
      return provisionReply(env, idOf(r), { ...(notice ? { notice } : {}), showOutput: r.url.searchParams.get('output') === '1' });
    },
  },
  {
    method: 'GET',
    path: '/provisions/{id}/live',
    async handle(env, r) {
      // Reading the provision first turns a bad id into a 404 rather than an empty stream.
      await env.upstream.call<ProvisionView>('GET', pathOf(idOf(r)));
      const after = Number(r.url.searchParams.get('after') ?? '0');
      return liveStream(env.upstream, idOf(r), Number.isInteger(after) && after >= 0 ? after : 0, env.live);
    },
  },
  {
    method: 'GET',
    path: '/provisions/{id}/timeline.svg',
    async handle(env, r) {
      const view = await env.upstream.call<ProvisionView>('GET', pathOf(idOf(r)));
      return {
        status: 200,
        headers: {
          'content-type': 'image/svg+xml; charset=utf-8',
          'content-disposition': `attachment; filename="${view.id}-timeline.svg"`,
          'cache-control': 'no-store',
        },
        body: renderTimelineSvg(view),
      };
    },
  },
  {
    method: 'GET',
    path: '/provisions/{id}/delete',
    async handle(env, r) {
      const view = await env.upstream.call<ProvisionView>('GET', pathOf(idOf(r)));
      return htmlReply(200, deletePage(ctxOf(env), view));
    },
  },
  {
    method: 'POST',
    path: '/provisions/{id}/delete',
    async handle(env, r) {
      const cleanup = formOf((await readBody(r.req, 4096)) ?? Buffer.alloc(0)).get('cleanup') === 'true';
      const id = idOf(r);
      try {
        await env.upstream.call('DELETE', `${pathOf(id)}${cleanup ? '?cleanup=true' : ''}`);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500 || err.status === 404) throw err;
        const view = await env.upstream.call<ProvisionView>('GET', pathOf(id));
        return htmlReply(err.status, deletePage(ctxOf(env), view, { status: err.status, ...err.problem }));
      }
      return redirect(`${pathOf(id)}?notice=${cleanup ? 'deleting-cleanup' : 'deleting'}`);
    },
  },
  {
    method: 'POST',
    path: '/provisions/{id}/retry',
    async handle(env, r) {
      await readBody(r.req, 4096);
      const id = idOf(r);
      try {
        await env.upstream.call('POST', `${pathOf(id)}/retry`);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500 || err.status === 404) throw err;
        return provisionReply(env, id, { problem: { status: err.status, ...err.problem }, status: err.status });
      }
      return redirect(`${pathOf(id)}?notice=retrying`);
    },
  },
  {
    method: 'POST',
    path: '/provisions/{id}/operate',
    async handle(env, r) {
      const form = formOf((await readBody(r.req, 4096)) ?? Buffer.alloc(0));
      const id = idOf(r);
      try {
        const started = await env.upstream.with(async (api) => startFromForm(api, id, form));
        if (!started) {
          const problem = consoleProblem(400, 'bad-request', 'Unknown operation', `no day-2 operation '${form.get('op') ?? ''}'`);
          return provisionReply(env, id, { problem, status: 400 });
        }
      } catch (err) {
        // A refusal (409 naming the VMs or the running operation, 422 naming the field, 404 for a host) shows on the provision page.
        if (!(err instanceof ApiError) || err.status >= 500) throw err;
        return provisionReply(env, id, { problem: { status: err.status, ...err.problem }, status: err.status });
      }
      return redirect(`${pathOf(id)}?notice=operating`);
    },
  },
];
