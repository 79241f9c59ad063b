import { manualWorkflows } from '../fakes/manual-workflows';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { apiEvent, call } from './api-events';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

describe('provisions API under the operation lock', () => {
  let s: S;
  beforeAll(async () => {
    s = await startMemorySandbox();
    // The creation stays RUNNING: nothing executes it.
    s.deps.workflows = manualWorkflows();
  });
  afterAll(async () => {
    await s.close();
  });

  it('answers 409 operation-in-progress naming the running creation to a delete and a retry, and shows it', async () => {
    const created = await call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: JSON.stringify({ plan: simEdgePlan() }) }));
    expect(created.statusCode).toBe(202);
    const id = String(created.json['id']);
    const operation = created.json['operation'] as { id: string; kind: string; executionId: string };
    expect(operation).toMatchObject({ id: expect.stringMatching(/^op-[0-9a-f]{12}$/), kind: 'create', executionId: `manual:create-${id}` });

    for (const event of [
      apiEvent({ method: 'DELETE', path: `/provisions/${id}`, query: { cleanup: 'true' } }),
      apiEvent({ method: 'POST', path: `/provisions/${id}/retry` }),
    ]) {
      const res = await call(s.deps, event);
      expect(res.statusCode).toBe(409);
      expect(res.headers?.['content-type']).toBe('application/problem+json');
      expect(res.json).toMatchObject({
        type: 'https://edge-provisioner.dev/problems/operation-in-progress',
        operation: { id: operation.id, kind: 'create' },
        detail: expect.stringContaining(operation.id),
      });
    }
    const shown = await call(s.deps, apiEvent({ method: 'GET', path: `/provisions/${id}` }));
    expect(shown.json['operation']).toMatchObject({ id: operation.id, kind: 'create' });
    expect(shown.json['operations']).toEqual([]);
  });
});
