import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScheduledEvent } from '../../lambdas/provisioning/ports/scheduler';
import { LocalScheduler } from '../../sandbox/scheduler';

function recorder() {
  const events: Array<{ event: ScheduledEvent; at: number }> = [];
  const runs: Array<{ scheduleId: string; scheduledTime: string; at: number }> = [];
  return {
    events,
    runs,
    targets: {
      putEvent: async (event: ScheduledEvent) => {
        events.push({ event, at: Date.now() });
      },
      runScheduledCreate: async (input: { scheduleId: string; scheduledTime: string }) => {
        runs.push({ ...input, at: Date.now() });
      },
    },
  };
}

const expired: ScheduledEvent = { source: 'edge-provisioner', detailType: 'Provision Expired', detail: { provisionId: 'p-0123456789ab' } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LocalScheduler', () => {
  let scheduler: LocalScheduler | undefined;
  afterEach(() => scheduler?.stop());

  it('fires a one-time schedule after its delay times the time scale, once, and then forgets it', async () => {
    const r = recorder();
    scheduler = new LocalScheduler(r.targets, { timeScale: 0.001 });
    const start = Date.now();
    await scheduler.putEventAt('ttl-a', new Date(Date.now() + 200_000), expired);
    expect(scheduler.names()).toEqual(['ttl-a']);
    await sleep(400);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]?.event).toEqual(expired);
    expect((r.events[0]?.at ?? 0) - start).toBeGreaterThanOrEqual(190);
    expect(scheduler.names()).toEqual([]);
  });

  it('replaces a schedule put again under the same name, and removes one that is deleted early', async () => {
    const r = recorder();
    scheduler = new LocalScheduler(r.targets, { timeScale: 0.001 });
    await scheduler.putEventAt('ttl-b', new Date(Date.now() + 50_000), expired);
    await scheduler.putEventAt('ttl-b', new Date(Date.now() + 120_000), { ...expired, detail: { provisionId: 'p-000000000002' } });
    await scheduler.putEventAt('ttl-c', new Date(Date.now() + 50_000), expired);
    await scheduler.remove('ttl-c');
    await scheduler.remove('never-there');
    await sleep(300);
    expect(r.events.map((e) => e.event.detail['provisionId'])).toEqual(['p-000000000002']);
  });

  it('runs a recurring schedule at each cron time of its scaled clock, passing the due time', async () => {
    const r = recorder();
    // 1 real ms = 1 scheduled second: an every-minute cron runs every 60 ms.
    scheduler = new LocalScheduler(r.targets, { timeScale: 0.001 });
    await scheduler.putRecurringCreate('create-s-1', 'cron(* * ? * * *)', 'UTC', 's-000000000001');
    await sleep(400);
    await scheduler.remove('create-s-1');
    const count = r.runs.length;
    expect(count).toBeGreaterThanOrEqual(2);
    const times = r.runs.map((x) => Date.parse(x.scheduledTime));
    expect(times.every((t) => t % 60_000 === 0)).toBe(true);
    expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toEqual(Array(count - 1).fill(60_000));
    await sleep(150);
    expect(r.runs).toHaveLength(count);
  });

  it('keeps its schedules in the state file, so a restarted sandbox still fires them', async () => {
    const statePath = join(mkdtempSync(join(tmpdir(), 'sched-')), 'schedules.json');
    const first = recorder();
    const before = new LocalScheduler(first.targets, { timeScale: 0.001, statePath });
    await before.putEventAt('ttl-d', new Date(Date.now() + 100_000), expired);
    before.stop();
    const second = recorder();
    scheduler = new LocalScheduler(second.targets, { timeScale: 0.001, statePath });
    expect(scheduler.names()).toEqual(['ttl-d']);
    await sleep(250);
    expect(first.events).toHaveLength(0);
    expect(second.events).toHaveLength(1);
  });

  it('refuses a recurring schedule that is not an AWS cron expression', async () => {
    scheduler = new LocalScheduler(recorder().targets, { timeScale: 0.001 });
    await expect(scheduler.putRecurringCreate('x', 'cron(0 8 * * * *)', 'UTC', 's-000000000001')).rejects.toThrow(/AWS cron/);
  });
});
