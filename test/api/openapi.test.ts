import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { API_ROUTES } from '../../infra/handlers';
import { ROUTES } from '../../lambdas/api/api-app';
import { PROBLEM_TYPES } from '../../lambdas/api/problem';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { apiEvent, call, until } from './api-events';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: Array<{ name: string; in: string }> }>>;
  components: { schemas: Record<string, unknown> };
};

describe('GET /openapi.json', () => {
  let s: Awaited<ReturnType<typeof startMemorySandbox>>;
  let doc: Doc;
  beforeAll(async () => {
    s = await startMemorySandbox();
    const res = await call(s.deps, apiEvent({ method: 'GET', path: '/openapi.json' }));
    expect(res.statusCode).toBe(200);
    doc = res.json as unknown as Doc;
  });
  afterAll(async () => {
    await s.runner.idle();
    await s.close();
  });

  it('is OpenAPI 3.1 and documents exactly the routes the API serves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('serves every route the deployed HTTP API forwards to it', () => {
    const served = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`).filter((r) => !served.has(r))).toEqual([]);
  });

  it('documents the problem responses of every operation and names each problem type', () => {
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        for (const status of ['400', '401', '404', '405', '500']) expect(op.responses[status]).toBeDefined();
      }
    }
    const text = JSON.stringify(doc);
    for (const slug of Object.keys(PROBLEM_TYPES)) expect(text).toContain(`\`${slug}\``);
    expect(doc.paths['/provisions']?.['post']?.parameters?.map((p) => `${p.in}:${p.name}`)).toContain('header:idempotency-key');
  });

  it('describes what the API really answers: its component schemas validate live responses', async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    // The components as one schema document, their $refs pointing inside it.
    ajv.addSchema({
      $id: 'api',
      $defs: JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', 'api#/$defs/')) as object,
    });
    const ref = (name: string) => ajv.compile({ $ref: `api#/$defs/${name}` });

    const created = await call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: JSON.stringify({ plan: simEdgePlan() }) }));
    const id = String(created.json['id']);
    const view = ref('ProvisionView');
    expect(view(created.json) ? [] : view.errors).toEqual([]);
    const shown = await until(
      () => call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}` })),
      (r) => r.json['state'] === 'RUNNING',
    );
    expect(view(shown.json) ? [] : view.errors).toEqual([]);
    const page = ref('ProvisionPage');
    expect(page((await call(s.deps, apiEvent({ method: 'GET', path: '/provisions' }))).json) ? [] : page.errors).toEqual([]);
    const log = ref('LogPage');
    expect(log((await call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}/events` }))).json) ? [] : log.errors).toEqual([]);
    const problem = ref('Problem');
    expect(
      problem((await call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: '{"plan":{}}' }))).json) ? [] : problem.errors,
    ).toEqual([]);
  });
});

describe('docs/api.md', () => {
  it('documents every route and every problem type', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'docs', 'api.md'), 'utf8');
    for (const r of ROUTES) expect(text).toContain(`\`${r.method} ${r.path}`);
    for (const slug of Object.keys(PROBLEM_TYPES)) expect(text).toContain(`\`${slug}\``);
  });
});
