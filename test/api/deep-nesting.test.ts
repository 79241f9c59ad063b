import { startMemorySandbox } from '../support/memory-sandbox';
import { manualWorkflows } from '../fakes/manual-workflows';
import { apiEvent, call } from './api-events';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

const object = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const array = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const indented = (n: number) => `name: x\ndefaults:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}a:`).join('\n')} 1\n`;

const BODIES: Array<[string, string, string]> = [
  ['a plan nested 700 levels', 'application/json', `{"plan":${object(700)}}`],
  ['a descriptor object nested 700 levels', 'application/json', `{"descriptor":${object(700)}}`],
  ['a descriptor nested 5000 levels of lists', 'application/json', `{"descriptor":${array(5000)}}`],
  ['a teardown pattern nested 40 levels', 'application/json', `{"plan":{"name":"x","teardownOn":${object(40)}}}`],
  ['YAML nested 700 flow levels', 'application/yaml', `name: ${array(700)}\n`],
  ['YAML nested 3000 flow levels', 'application/yaml', `name: ${array(3000)}\n`],
  ['YAML indented 700 levels', 'application/yaml', indented(700)],
];

describe('deeply nested bodies', () => {
  let s: S;
  beforeAll(async () => {
    s = await startMemorySandbox();
    s.deps.workflows = manualWorkflows();
  });
  afterAll(async () => {
    await s.close();
  });

  it.each(BODIES)('answer %s with a 4xx at every route that takes a body', async (_what, contentType, body) => {
    for (const path of ['/provisions', '/validate', '/schedules', '/events']) {
      const res = await call(s.deps, apiEvent({ method: 'POST', path, body, headers: { 'content-type': contentType } }));
      expect({ path, status: res.statusCode }).toEqual({ path, status: expect.any(Number) });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.body).not.toMatch(/RangeError|call stack/);
    }
    const list = await call(s.deps, apiEvent({ method: 'GET', path: '/provisions' }));
    expect(list.json['items']).toEqual([]);
  });

  it('names the nesting in the answer', async () => {
    const res = await call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: `{"plan":${object(700)}}` }));
    expect(res.statusCode).toBe(400);
    expect(res.json['detail']).toMatch(/nests deeper than 20 levels/);
  });
});
