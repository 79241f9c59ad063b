import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { simHosts, simOpenNebula } from '../../sandbox/defaults';
import type { ExecutionRecord } from '../../sandbox/executions';
import { startSandbox, type Sandbox } from '../../sandbox/sandbox';
import { simEdgePlan } from '../support/plans';

describe('Sandbox.kill', () => {
  const timeScale = 0.0005;
  const home = mkdtempSync(join(tmpdir(), 'edge-sandbox-kill-'));
  let second: Sandbox | undefined;
  afterAll(async () => {
    await second?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('stops without settling its executions (RUNNING on disk), and the next sandbox over the same home resumes them', async () => {
    let atTransition: (() => void) | undefined;
    let transitions = 0;
    const options = { home, timeScale, openNebula: simOpenNebula(timeScale), hostConfigurator: simHosts() };
    const first = await startSandbox({
      ...options,
      onTransition: () => {
        transitions += 1;
        if (transitions === 15) atTransition?.();
      },
    });
    const id = newProvisionId();
    const killed = new Promise<void>((resolve) => (atTransition = () => setImmediate(() => void first.kill().then(resolve))));
    const created = await createProvision(first.deps, { id, owner: 'alice', plan: simEdgePlan() });
    await killed;

    const left = JSON.parse(readFileSync(join(home, 'executions.json'), 'utf8')) as ExecutionRecord[];
    expect(left.find((e) => e.executionId === created.executionId)?.status).toBe('RUNNING');

    second = await startSandbox(options);
    const record = await second.runner.wait(created.executionId ?? '');
    expect(record).toMatchObject({ status: 'SUCCEEDED', resumed: 1 });
    expect((await second.deps.store.get(id))?.state).toBe('RUNNING');
  });
});
