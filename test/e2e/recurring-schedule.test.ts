import { expectEventsMatchSchemas } from '../support/event-schemas';
import { startStack, until } from './e2e-support';

type Stack = Awaited<ReturnType<typeof startStack>>;

describe('recurring creation in the full sandbox', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
    expectEventsMatchSchemas(stack.sandbox.bus.events);
  });

  it('creates an edge in each of two scaled periods, each torn down by its TTL, until the schedule is deleted', async () => {
    // Every 2 h (7.2 s at the sandbox's 0.001), each edge living 30 min (1.8 s): runs never overlap.
    const created = await stack.edgectl('schedule', 'create', '--cron', '0 0/2 * * ? *', '--ttl', '30m', 'ephemeral-edge.yml');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const scheduleId = created.stdout.split('\n').at(-1) ?? '';
    expect(scheduleId).toMatch(/^s-[0-9a-f]{12}$/);

    const listed = await stack.edgectl('schedule', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: scheduleId, cron: 'cron(0 0/2 * * ? *)', ttlSeconds: 1800, name: 'ephemeral' }),
    ]);

    const two = await until(
      () => stack.client.listProvisions(),
      (page) => page.items.length >= 2,
      28_000,
    );
    expect((await stack.edgectl('schedule', 'delete', scheduleId)).code).toBe(0);
    expect(JSON.parse((await stack.edgectl('schedule', 'list', '--json')).stdout)).toEqual([]);
    const ids = two.items.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);

    const gone = await until(
      () => Promise.all(ids.map((id) => stack.client.getProvision(id))),
      (ps) => ps.every((p) => p.state === 'DELETED' || p.state === 'ERROR'),
    );
    await stack.sandbox.runner.idle();
    expect(gone.map((p) => p.state)).toEqual(ids.map(() => 'DELETED'));
    expect(gone.every((p) => p.ttlSeconds === 1800 && p.owner === 'local' && p.cluster?.name === `ephemeral-${p.id}`)).toBe(true);
    for (const id of ids) {
      const types = stack.sandbox.bus.events.filter((e) => e.detail['provisionId'] === id).map((e) => e['detail-type']);
      expect(types).toEqual(expect.arrayContaining(['Provision Requested', 'Provision Running', 'Provision Expired', 'Provision Deleted']));
    }
    expect(stack.sandbox.cloud.liveMachines()).toHaveLength(0);
  });
});
