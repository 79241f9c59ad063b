import { loadDescriptorFile, MemorySecretStore } from '../../lambdas/descriptor';
import { join } from 'node:path';
import { expectEventsMatchSchemas } from '../support/event-schemas';
import { E2E_FIXTURES, startStack, until } from './e2e-support';

type Stack = Awaited<ReturnType<typeof startStack>>;

describe('ephemeral edges in the full sandbox', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
    expectEventsMatchSchemas(stack.sandbox.bus.events);
  });

  it('creates an edge with a TTL over HTTP, and its expiry deletes it with cleanup', async () => {
    const loaded = await loadDescriptorFile(join(E2E_FIXTURES, 'ephemeral-edge.yml'), { secretStore: new MemorySecretStore() });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    // 3000 s at the sandbox's 0.001: 3 s after RUNNING.
    const created = await stack.client.createProvision({ ...loaded.plan, ttlSeconds: 3000 });
    expect(created.ttlSeconds).toBe(3000);
    const running = await until(
      () => stack.client.getProvision(created.id),
      (p) => p.state !== 'PENDING' && p.state !== 'PROVISIONING',
    );
    expect(running.state).toBe('RUNNING');
    expect(running.cluster?.name).toBe(`ephemeral-${created.id}`);
    const runningAt = Date.now();
    const deleted = await until(
      () => stack.client.getProvision(created.id),
      (p) => p.state === 'DELETED' || p.state === 'ERROR',
    );
    expect(deleted.state).toBe('DELETED');
    expect(Date.now() - runningAt).toBeGreaterThan(2000);
    expect(stack.sandbox.cloud.liveMachines()).toHaveLength(0);
    expect(stack.sandbox.cloud.liveAddresses()).toHaveLength(0);
    await stack.sandbox.runner.idle();

    const bus = stack.sandbox.bus.events.filter((e) => e.detail['provisionId'] === created.id).map((e) => e['detail-type']);
    expect(bus).toEqual([
      'Provision Requested',
      'Host Allocated',
      'Ip Assigned',
      'Host Configured',
      'Host Registered',
      'Provision Running',
      'Provision Expired',
      'Provision Deleting',
      'Ip Released',
      'Host Released',
      'Provision Deleted',
    ]);
    const log = (await stack.client.events(created.id, { limit: 1000 })).items.map((e) => e.type).filter((t) => t !== 'Role Output');
    expect(log).toEqual(expect.arrayContaining(['Provision Expired', 'Teardown Requested']));
    expect(log.at(-1)).toBe('Provision Deleted');
  });

  it('deletes an edge when edgectl events put sends the event its teardown_on pattern waits for', async () => {
    const created = await stack.edgectl('create', 'tournament-edge.yml', '--wait');
    expect(created.code).toBe(0);
    const id = created.stdout.trim().split('\n').at(-1) ?? '';
    expect((await stack.client.getProvision(id)).state).toBe('RUNNING');

    const other = await stack.edgectl(
      'events',
      'put',
      '--source',
      'game.events',
      '--detail-type',
      'Tournament Finished',
      '--detail',
      '{"edge":"ams-2"}',
    );
    expect(other.code).toBe(0);
    await stack.sandbox.bus.drain();
    expect((await stack.client.getProvision(id)).state).toBe('RUNNING');

    const done = await stack.edgectl(
      'events',
      'put',
      '--source',
      'game.events',
      '--detail-type',
      'Tournament Finished',
      '--detail',
      '{"edge":"fra-1"}',
    );
    expect(done.code).toBe(0);
    expect(
      (
        await until(
          () => stack.client.getProvision(id),
          (p) => p.state === 'DELETED' || p.state === 'ERROR',
        )
      ).state,
    ).toBe('DELETED');
    await stack.sandbox.runner.idle();

    const reserved = await stack.edgectl(
      'events',
      'put',
      '--source',
      'edge-provisioner',
      '--detail-type',
      'Provision Expired',
      '--detail',
      `{"provisionId":"${id}"}`,
    );
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toMatch(/reserved/);
    const shown = await stack.edgectl('events', id);
    expect(shown.stdout).toMatch(/Teardown Requested/);
  });
});
