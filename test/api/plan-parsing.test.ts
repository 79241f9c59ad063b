import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ProvisionPlanSchema } from '../../lambdas/provisioning/plan';
import { startMemorySandbox } from '../support/memory-sandbox';
import { apiEvent, call } from './api-events';
import { manualWorkflows } from '../fakes/manual-workflows';

const DESCRIPTOR = readFileSync(join(__dirname, '..', '..', 'examples', 'sim-edge.yml'), 'utf8');

describe('POST /provisions', () => {
  it.each([
    ['a YAML body', { body: DESCRIPTOR, headers: { 'content-type': 'application/yaml' } }],
    ['a descriptor object', { body: JSON.stringify({ descriptor: parseYaml(DESCRIPTOR) as unknown }) }],
    ['a descriptor string', { body: JSON.stringify({ descriptor: DESCRIPTOR }) }],
  ])('parses the plan schema once for %s', async (_what, request) => {
    const s = await startMemorySandbox();
    s.deps.workflows = manualWorkflows();
    const parses = [jest.spyOn(ProvisionPlanSchema, 'safeParse'), jest.spyOn(ProvisionPlanSchema, 'parse')];
    try {
      const res = await call(s.deps, apiEvent({ method: 'POST', path: '/provisions', ...request }));
      expect(res.statusCode).toBe(202);
      expect(parses.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBe(1);
    } finally {
      parses.forEach((spy) => spy.mockRestore());
      await s.close();
    }
  });

  it('names the path of a bad field in a descriptor object', async () => {
    const s = await startMemorySandbox();
    try {
      const descriptor = { ...(parseYaml(DESCRIPTOR) as Record<string, unknown>), hosts: 'not a list' };
      const res = await call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: JSON.stringify({ descriptor }) }));
      expect(res.statusCode).toBe(422);
      expect(JSON.stringify(res.json)).toContain('hosts');
    } finally {
      await s.close();
    }
  });
});
