import { createServer, type Server } from 'node:net';
import { MemoryDriverStateStore } from '../../lambdas/drivers/memory-driver-state';
import { createProvision, deleteProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import type { DriverStateStore } from '../../lambdas/provisioning/ports/driver-state';
import { DynamoDriverStateStore } from '../../lambdas/store/dynamo-driver-state';
import { driverRegistries } from '../../lambdas/wiring/build/registries';
import type { PortGroup, PortGroupName } from '../../lambdas/wiring/port-groups';
import { useLocalPorts } from '../../lambdas/wiring/runtime';
import { REAL_PROVIDERS_ENV } from '../../sandbox/registries';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

/** Two machines the operator owns: sshd stand-ins on loopback that accept a TCP connection. */
async function listeners(n: number): Promise<Server[]> {
  return Promise.all(
    Array.from({ length: n }, () => {
      const server = createServer((socket) => socket.destroy());
      return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    }),
  );
}

function onpremPlan(servers: Server[]) {
  const ports = servers.map((s) => String((s.address() as { port: number }).port));
  return simEdgePlan(
    { name: 'onprem-edge', provider: { name: 'onprem', settings: { public_ips: '198.51.100.10, 198.51.100.11' } } },
    ports.map((port) => ({ address: '127.0.0.1', port })),
  );
}

/**
 * Every time a handler uses its drivers it gets registries built anew, as a
 * separate Lambda function (or a new cold start) would: nothing but the
 * driver state store carries an on-prem record from AllocateHost to
 * CheckHostReady, AssignPublicIps and ReleaseHost.
 */
function separateFunctions(s: S, store: () => DriverStateStore): void {
  let builds = 0;
  useLocalPorts({
    ...s.ports,
    build: <K extends PortGroupName>(group: PortGroup<K>) => {
      if (group.name !== 'drivers') return s.ports.build(group);
      builds += 1;
      return driverRegistries({ driverState: store() }) as ReturnType<typeof s.ports.build<K>>;
    },
  });
  Object.assign(s, { driverBuilds: () => builds });
}

describe('an on-prem provision run by separate functions', () => {
  let s: S;
  let servers: Server[];
  const localMode = process.env[REAL_PROVIDERS_ENV];
  beforeEach(async () => {
    // On-prem machines are real ones: the sandbox accepts them only in local mode.
    process.env[REAL_PROVIDERS_ENV] = '1';
    s = await startMemorySandbox();
    servers = await listeners(2);
  });
  afterEach(async () => {
    if (localMode === undefined) delete process.env[REAL_PROVIDERS_ENV];
    else process.env[REAL_PROVIDERS_ENV] = localMode;
    await s.close();
    await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
  });

  it('reaches RUNNING and deletes cleanly when each function reads on-prem records from the provision table', async () => {
    separateFunctions(s, () => new DynamoDriverStateStore(s.dynamo.client, s.dynamo.tableName));
    const created = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: onpremPlan(servers) });
    const exec = await s.runner.wait(created.executionId ?? '');
    const p = await s.deps.store.get(created.id);
    expect([exec?.status, p?.state]).toEqual(['SUCCEEDED', 'RUNNING']);
    expect(p?.hosts.map((h) => [h.providerId?.startsWith('onprem-'), h.sshHost])).toEqual([
      [true, '127.0.0.1'],
      [true, '127.0.0.1'],
    ]);
    // Hosts are allocated in parallel: which one gets which address is not fixed, that each gets one is.
    expect(p?.hosts.flatMap((h) => h.publicIps.map((ip) => ip.address)).sort()).toEqual(['198.51.100.10', '198.51.100.11']);
    expect((s as S & { driverBuilds(): number }).driverBuilds()).toBeGreaterThan(4);

    // The records live in the table, where any later function finds them.
    const table = new DynamoDriverStateStore(s.dynamo.client, s.dynamo.tableName);
    expect(await table.list('onprem-host')).toHaveLength(2);
    expect(await table.list('onprem-address')).toHaveLength(2);

    const { executionId } = await deleteProvision(s.deps, { owner: 'alice', id: created.id, cleanup: true });
    expect((await s.runner.wait(executionId ?? ''))?.status).toBe('SUCCEEDED');
    expect((await s.deps.store.get(created.id))?.state).toBe('DELETED');
    expect((await table.list<{ status: string }>('onprem-host')).map((h) => h.status)).toEqual(['terminated', 'terminated']);
    expect(await table.list('onprem-address')).toEqual([]);
    expect(await table.list('onprem-claim')).toEqual([]);
  });

  it('loses the host between AllocateHost and CheckHostReady when each function keeps on-prem records in its own memory', async () => {
    separateFunctions(s, () => new MemoryDriverStateStore());
    const created = await createProvision(s.deps, { id: newProvisionId(), owner: 'alice', plan: onpremPlan(servers) });
    await s.runner.wait(created.executionId ?? '');
    const p = await s.deps.store.get(created.id);
    expect(p?.state).toBe('ERROR');
    expect(p?.hosts[0]?.error).toMatchObject({ step: 'waitReady', errorName: 'HostBootFailedError' });
  });
});
