import fc from 'fast-check';
import { ROUTES } from '../../lambdas/api/api-app';
import { startMemorySandbox } from '../support/memory-sandbox';
import { apiEvent, call } from './api-events';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/yaml',
  'text/yaml',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  '',
  ';;;',
  'APPLICATION/JSON',
];

/** A path segment: an id-like string, an odd string, or an escape (valid or not). */
const segment = fc.oneof(
  fc.constantFrom('p-0123456789ab', 's-0123456789ab', 'hosts', 'retry', 'poweroff', '..', '%2F', '%E0%A4%A', '%00', '%'),
  fc.string({ maxLength: 12 }).map((x) => encodeURIComponent(x)),
);

/** A route's path with its parameters filled in (from odd segments now and then). */
function filled(template: string, segs: string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => segs[i++] ?? 'x');
}

/** Method and path: mostly a route's own, sometimes another method, sometimes random segments. */
const target = fc.oneof(
  {
    weight: 7,
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTES), fc.array(segment, { minLength: 3, maxLength: 3 }))
      .map(([r, segs]) => ({ method: r.method, path: filled(r.path, segs) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...METHODS), fc.constantFrom(...ROUTES.map((r) => r.path)), fc.array(segment, { minLength: 3, maxLength: 3 }))
      .map(([method, t, segs]) => ({ method, path: filled(t, segs) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...METHODS), fc.array(segment, { maxLength: 5 }))
      .map(([method, segs]) => ({ method, path: `/${segs.join('/')}` })),
  },
);

/** Bodies: JSON values, JSON-ish objects shaped like the API's, YAML-ish text, garbage, and big ones. */
const body = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.record({ plan: fc.anything({ maxDepth: 3 }) }).map((x) => JSON.stringify(x)),
  fc
    .record({ descriptor: fc.oneof(fc.string(), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))) }, { requiredKeys: [] })
    .map((x) => JSON.stringify(x)),
  fc
    .record({ cron: fc.string(), ttl: fc.oneof(fc.string(), fc.integer()), plan: fc.object() }, { requiredKeys: [] })
    .map((x) => JSON.stringify(x)),
  fc.record({ source: fc.string(), 'detail-type': fc.string(), detail: fc.anything() }, { requiredKeys: [] }).map((x) => JSON.stringify(x)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('name: [', 'hosts: 3', '---\n- a\n- b', '{"plan": {"name": "x", "hosts": "many"}}', ''),
  fc.integer({ min: 1_048_000, max: 1_050_000 }).map((n) => 'x'.repeat(n)),
  // Deep nesting, where a body's value or a descriptor's tree would be walked recursively.
  fc
    .tuple(fc.integer({ min: 15, max: 3000 }), fc.constantFrom('plan', 'descriptor', 'detail', 'teardownOn'), fc.boolean())
    .map(([n, key, arrays]) => `{"${key}":${arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n)}}`),
  fc.integer({ min: 15, max: 2000 }).map((n) => `name: ${'['.repeat(n)}${']'.repeat(n)}\n`),
);

const query = fc.dictionary(
  fc.constantFrom('state', 'limit', 'cursor', 'after', 'cleanup', 'x'),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('RUNNING', '0', '-1', '1e9', 'true', 'eyJQSyI6IngifQ'),
    fc.base64String({ maxLength: 40 }),
  ),
);

const headers = fc.record(
  {
    'content-type': fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    ),
    'idempotency-key': fc.oneof(fc.string({ maxLength: 140 }), fc.constantFrom('k', 'x'.repeat(129), ' ', 'ключ')),
  },
  { requiredKeys: [] },
);

describe('API fuzzing', () => {
  let s: Awaited<ReturnType<typeof startMemorySandbox>>;
  beforeAll(async () => {
    s = await startMemorySandbox();
  });
  afterAll(async () => {
    await s.runner.idle();
    await s.close();
  });

  const statuses = new Map<number, number>();

  it('answers random requests without a 500, and every error as problem JSON without internals', async () => {
    await fc.assert(
      fc.asyncProperty(
        target,
        fc.option(body, { nil: undefined }),
        headers,
        query,
        fc.integer({ min: 0, max: 9 }),
        async ({ method, path }, b, h, q, who) => {
          // One request in ten carries no identity.
          const res = await call(s.deps, apiEvent({ method, path, body: b, headers: h, query: q, owner: who === 0 ? null : undefined }));
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          expect(res.statusCode).not.toBe(500);
          expect(res.statusCode).toBeLessThan(502);
          if (res.statusCode >= 400) {
            expect(res.headers?.['content-type']).toBe('application/problem+json');
            expect(res.json).toMatchObject({
              type: expect.stringMatching(/^https:\/\/edge-provisioner\.dev\/problems\//),
              status: res.statusCode,
              title: expect.any(String),
              detail: expect.any(String),
            });
            expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
          }
        },
      ),
      { numRuns: 400, seed: Number(process.env['FUZZ_SEED'] ?? 20261125) },
    );
    // The runs reached past routing and authentication into the handlers.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([400, 401, 404, 405, 415, 422]));
  });
});
