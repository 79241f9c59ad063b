import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit } from '../../chaos/audit';
import { RestartableSandbox } from '../../chaos/restartable';
import { loadDescriptorFile, MemorySecretStore } from '../../lambdas/descriptor';
import { createProvision, deleteProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { simHosts, simOpenNebula } from '../../sandbox/defaults';
import type { ExecutionRecord } from '../../sandbox/executions';

describe('RestartableSandbox', () => {
  const timeScale = 0.0005;
  let home: string;
  let sandbox: RestartableSandbox | undefined;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'edge-chaos-kill-'));
  });
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
    rmSync(home, { recursive: true, force: true });
  });

  it('kills the sandbox at the drawn transition and follows the create into the next sandbox, which resumes it to RUNNING', async () => {
    const loaded = await loadDescriptorFile('examples/sim-edge.yml', { secretStore: new MemorySecretStore() });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const plan = loaded.plan;
    sandbox = await RestartableSandbox.start({ home, timeScale, openNebula: simOpenNebula(timeScale), hostConfigurator: simHosts() });
    const id = newProvisionId();
    const firstOned = await sandbox.use(async (s) => s.oned);
    let killed = 0;
    // Deep in the hosts' pipelines: machines bought, hosts being configured.
    sandbox.armKill(id, 20, () => (killed += 1));
    const created = await sandbox.use((s) => createProvision(s.deps, { id, owner: 'chaos', plan }));
    const executionId = created.executionId ?? '';

    const record = await sandbox.wait(executionId);
    expect([killed, sandbox.generation]).toEqual([1, 1]);
    // Resumed by the new sandbox under its own id, and finished there.
    const onDisk = JSON.parse(readFileSync(join(home, 'executions.json'), 'utf8')) as ExecutionRecord[];
    expect(onDisk.find((e) => e.executionId === executionId)).toMatchObject({ resumed: 1, status: 'SUCCEEDED' });
    expect(record).toMatchObject({ status: 'SUCCEEDED', resumed: 1 });
    const after = await sandbox.use((s) => s.deps.store.get(id));
    expect(after?.state).toBe('RUNNING');
    // The audit looks at the restarted sandbox's provider, IPAM and oned, not the dead one's.
    expect(await sandbox.use(async (s) => s.oned)).not.toBe(firstOned);
    expect(await sandbox.use(async (s) => s.cloud.liveMachines(id).length)).toBe(2);

    const deleted = await sandbox.use((s) => deleteProvision(s.deps, { owner: 'chaos', id, cleanup: true, force: false }));
    await sandbox.wait(deleted.executionId ?? '');
    const found = await sandbox.use((s) => audit(s, id, plan, [], sandbox?.events()));
    expect(found).toEqual({ leakedHosts: 0, leakedIps: 0, leakedOneObjects: 0, stuck: 0, duplicateAllocations: 0, failedInvariant: [] });
    // Events of both sandboxes: one creation, one deletion.
    const kinds = sandbox
      .events()
      .filter((e) => e.detail['provisionId'] === id)
      .map((e) => e['detail-type']);
    expect(kinds.filter((k) => k === 'Provision Deleted')).toHaveLength(1);
  });
});
