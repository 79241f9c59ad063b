import { createProvision, deleteProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { TASK_HANDLERS } from '../../lambdas/handlers/task-handlers';
import { captureLogs } from '../support/logs';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { apiEvent } from '../api/api-events';
import { handler as api } from '../../lambdas/handlers/api';

describe('handler observability', () => {
  it('logs every step of a create and a delete as JSON lines carrying provision, host and execution', async () => {
    const s = await startMemorySandbox();
    let id = '';
    const lines = await captureLogs(async () => {
      try {
        const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: simEdgePlan() });
        id = p.id;
        await s.runner.wait(p.executionId ?? '');
        const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id: p.id, cleanup: true });
        await s.runner.wait(executionId ?? '');
        await api({ ...apiEvent({ method: 'GET', path: `/provisions/${p.id}` }), pathParameters: { id: p.id } }, {} as never);
      } finally {
        await s.close();
      }
    });
    const finished = lines.filter((l) => l['message'] === 'step finished');
    const ran = new Set(finished.map((l) => l['function']));
    for (const file of [
      'prepare-provision',
      'allocate-host',
      'configure-host',
      'register-host',
      'finalize-provision',
      'release-host',
      'finalize-delete',
      'api',
    ])
      expect(ran).toContain(file);
    expect(lines).toContainEqual(expect.objectContaining({ function: 'api', message: 'step finished', provisionId: id }));
    for (const l of lines.filter((x) => x['function'] !== 'api')) {
      expect(l).toMatchObject({ service: 'edge-provisioner', level: expect.any(String), timestamp: expect.any(String), provisionId: id });
      expect(String(l['executionName'])).toMatch(/^(create|delete)-p-[0-9a-f]{12}/);
    }
    const hostSteps = finished.filter((l) =>
      ['allocate-host', 'check-host-ready', 'configure-host', 'register-host'].includes(String(l['function'])),
    );
    expect(new Set(hostSteps.map((l) => l['hostIndex']))).toEqual(new Set([0, 1]));
    expect(finished.every((l) => typeof l['durationMs'] === 'number')).toBe(true);
    expect(Object.values(TASK_HANDLERS)).toEqual(expect.arrayContaining([...ran].filter((f) => f !== 'api')));
  });

  it('logs a failed step with its error name and counts it as a metric by error name', async () => {
    const s = await startMemorySandbox();
    process.env['POWERTOOLS_METRICS_DISABLED'] = 'false';
    const lines = await captureLogs(async () => {
      try {
        const p = await createProvision(s.deps, {
          id: newProvisionId(),
          owner: 'alice',
          plan: simEdgePlan({}, [{}, { sim_fault: 'capacity' }]),
        });
        await s.runner.wait(p.executionId ?? '');
      } finally {
        process.env['POWERTOOLS_METRICS_DISABLED'] = 'true';
        await s.close();
      }
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'step failed', function: 'allocate-host', hostIndex: 1, errorName: 'ProviderCapacityError' }),
    );
    const emf = lines.filter((l) => l['_aws']);
    expect(emf).toContainEqual(expect.objectContaining({ function: 'allocate-host', errorName: 'ProviderCapacityError', StepFailed: 1 }));
    expect(emf).toContainEqual(expect.objectContaining({ function: 'prepare-provision', StepDuration: expect.any(Number) }));
  });
});
