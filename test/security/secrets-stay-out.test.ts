import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { loadDescriptorText, MemorySecretStore } from '../../lambdas/descriptor';
import { createProvision, deleteProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { simEdgePlan, withPrefix } from '../support/plans';
import { startMemorySandbox } from '../support/memory-sandbox';
import { apiEvent, call } from '../api/api-events';
import { handler as apiHandler } from '../../lambdas/handlers/api';
import { captureLogs } from '../support/logs';
import { manualWorkflows } from '../fakes/manual-workflows';
import { sandboxRegistries } from '../../sandbox/registries';

const FAKE_ACCESS = 'AKIAFAKEACCESSKEY0042';
const FAKE_SECRET = 'fAkE/SeCrEt+Value/0123456789abcdefGHIJ';

/** A real 5.12 EC2 descriptor with known fake credentials in place of the redacted ones. */
function descriptorWithSecrets(): string {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'oneprovision-examples', 'one-5.12', 'examples', 'example_ec2.yaml'), 'utf8');
  return text.replace(/ec2_access: ".*"/, `ec2_access: "${FAKE_ACCESS}"`).replace(/ec2_secret: ".*"/, `ec2_secret: "${FAKE_SECRET}"`);
}

describe('inline credentials', () => {
  it('reach the secret store only, never the plan, the table or the events', async () => {
    const s = await startMemorySandbox();
    try {
      // Nothing is provisioned: the point is what gets stored and published on create.
      s.deps.workflows = manualWorkflows();
      // Local mode: the aws provider is accepted (and never called).
      Object.assign(s.deps, sandboxRegistries(s.cloud, { EDGE_REAL_PROVIDERS: '1' }));
      const secrets = new MemorySecretStore();
      const id = newProvisionId();
      const loaded = await loadDescriptorText(descriptorWithSecrets(), {
        sourceName: 'example_ec2.yaml',
        secretStore: secrets,
        provisionId: id,
      });
      if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
      expect(loaded.plan.provider.connectionRef).toBeDefined();
      expect(JSON.stringify(loaded.plan)).not.toContain(FAKE_SECRET);
      expect(await secrets.get(loaded.plan.provider.connectionRef as string)).toMatchObject({
        access_key: FAKE_ACCESS,
        secret_key: FAKE_SECRET,
      });

      await createProvision(s.deps, { id, owner: 'alice', plan: loaded.plan });
      const items = await s.dynamo.client.send(new ScanCommand({ TableName: s.dynamo.tableName }));
      const everything = JSON.stringify([items.Items, s.bus.events]);
      expect(items.Items?.length).toBeGreaterThan(0);
      expect(everything).toContain(id);
      expect(everything).not.toContain(FAKE_SECRET);
      expect(everything).not.toContain(FAKE_ACCESS);
    } finally {
      await s.close();
    }
  });
});

describe('POST /validate', () => {
  it('stores no credential of the descriptor it checks', async () => {
    const s = await startMemorySandbox();
    // Nothing may run: the descriptor names the aws provider, accepted in local mode.
    s.deps.workflows = manualWorkflows();
    Object.assign(s.deps, sandboxRegistries(s.cloud, { EDGE_REAL_PROVIDERS: '1' }));
    const put = jest.spyOn(s.deps.secrets, 'put');
    try {
      const res = await call(
        s.deps,
        apiEvent({ method: 'POST', path: '/validate', body: descriptorWithSecrets(), headers: { 'content-type': 'application/yaml' } }),
      );
      expect(res.statusCode).toBe(200);
      expect(JSON.stringify(res.json)).not.toContain(FAKE_SECRET);
      expect(put).not.toHaveBeenCalled();
      // The same body on create does store them: the spy would have seen it.
      await call(
        s.deps,
        apiEvent({ method: 'POST', path: '/provisions', body: descriptorWithSecrets(), headers: { 'content-type': 'application/yaml' } }),
      );
      expect(put).toHaveBeenCalledTimes(1);
    } finally {
      await s.close();
    }
  });
});

describe('a deleted provision', () => {
  it('takes its own credentials secret with it, and leaves a shared one alone', async () => {
    const s = await startMemorySandbox();
    try {
      const id = newProvisionId();
      const own = await s.deps.secrets.put(`edge-provisioner/${id}/provider-connection`, { token: FAKE_SECRET });
      const shared = await s.deps.secrets.put('edge-provisioner/team/provider-connection', { token: FAKE_SECRET });
      const p = await createProvision(s.deps, {
        id,
        owner: 'alice',
        plan: simEdgePlan({ provider: { name: 'sim', connectionRef: own, settings: {} } }),
      });
      await s.runner.wait(p.executionId ?? '');
      const other = await createProvision(s.deps, {
        id: newProvisionId(),
        owner: 'alice',
        plan: withPrefix(simEdgePlan({ provider: { name: 'sim', connectionRef: shared, settings: {} } }), 'other'),
      });
      await s.runner.wait(other.executionId ?? '');
      for (const target of [p, other]) {
        const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id: target.id, cleanup: true });
        await s.runner.wait(executionId ?? '');
        expect((await s.deps.store.get(target.id))?.state).toBe('DELETED');
      }
      await expect(s.deps.secrets.get(own)).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(s.deps.secrets.get(shared)).resolves.toEqual({ token: FAKE_SECRET });
    } finally {
      await s.close();
    }
  });
});

describe('log lines', () => {
  it('never carry a credential, the SSH key or a provider secret, on success or failure', async () => {
    const s = await startMemorySandbox();
    const sshKey = (await s.deps.secrets.get('local:sandbox-ssh-key'))['privateKey'] ?? '';
    const connectionRef = await s.deps.secrets.put('sim-connection', { token: FAKE_SECRET, access_key: FAKE_ACCESS });
    const lines = await captureLogs(async () => {
      try {
        for (const [n, hosts] of ([[], [{}, { sim_fault: 'capacity' }]] as Array<Array<Record<string, string>>>).entries()) {
          // Each its own OpenNebula names: the first is still live when the second is created.
          const plan = withPrefix(
            simEdgePlan({ provider: { name: 'sim', settings: {}, connectionRef: `local:${connectionRef}` } }, hosts),
            `logs${n}`,
          );
          const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan });
          await s.runner.wait(p.executionId ?? '');
        }
        // The aws descriptor is only stored: no execution may start for it.
        s.deps.workflows = manualWorkflows();
        await apiHandler(
          apiEvent({ method: 'POST', path: '/provisions', body: descriptorWithSecrets(), headers: { 'content-type': 'application/yaml' } }),
          {} as never,
        );
      } finally {
        await s.close();
      }
    });
    const text = JSON.stringify(lines);
    expect(lines.filter((l) => l['message'] === 'step failed').length).toBeGreaterThan(0);
    expect(lines.some((l) => l['function'] === 'api')).toBe(true);
    for (const secret of [FAKE_SECRET, FAKE_ACCESS, sshKey.split('\n')[1] ?? 'no key']) expect(text).not.toContain(secret);
  });
});
