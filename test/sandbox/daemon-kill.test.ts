import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../cli/api-client';
import { EDGECTL_ENTRY } from '../../cli/connect';
import { simEdgePlan } from '../support/plans';
import { until } from '../support/until';
import { runningDaemon } from '../../sandbox/daemon';

async function startDaemon(home: string): Promise<{ child: ChildProcess; api: ApiClient }> {
  // A slower clock keeps hosts booting long enough to kill the daemon mid-execution.
  const child = spawn(process.execPath, [EDGECTL_ENTRY, 'serve', '--home', home], {
    env: { ...process.env, EDGE_TIME_SCALE: '0.02' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i += 1) {
    const info = await runningDaemon(home);
    if (info && info.pid === child.pid)
      return { child, api: ApiClient.withToken(info.url, readFileSync(join(home, 'token'), 'utf8').trim()) };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('daemon did not start');
}

describe('sandbox daemon killed during an execution', () => {
  const home = mkdtempSync(join(tmpdir(), 'edge-kill-'));
  let second: ChildProcess | undefined;
  afterAll(() => {
    second?.kill('SIGTERM');
  });

  it('leaves nothing stuck: the restarted daemon records ERROR and frees the lock, and delete with cleanup releases everything', async () => {
    const first = await startDaemon(home);
    const created = await first.api.createProvision(simEdgePlan());
    await until(
      () => first.api.getProvision(created.id),
      (p) => p.hosts.some((h) => h.state === 'BOOTING'),
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const restarted = await startDaemon(home);
    second = restarted.child;
    const after = await restarted.api.getProvision(created.id);
    expect(after.state).toBe('ERROR');
    expect(after.failedStep).toBe('interrupted');
    // The creation's operation lock does not outlive its execution.
    expect(after.operation).toBeNull();
    expect(after.operations[0]).toMatchObject({ kind: 'create', outcome: 'INTERRUPTED' });

    await restarted.api.deleteProvision(created.id, true);
    const deleted = await until(
      () => restarted.api.getProvision(created.id),
      (p) => ['DELETED', 'ERROR'].includes(p.state) && p.failedStep !== 'interrupted',
    );
    expect(deleted.state).toBe('DELETED');
    const cloud = JSON.parse(readFileSync(join(home, 'sim-cloud.json'), 'utf8')) as {
      machines: Array<{ status: string }>;
      addresses: Array<{ releasedAt?: number }>;
    };
    expect(cloud.machines.filter((m) => m.status !== 'terminated')).toEqual([]);
    expect(cloud.addresses.filter((a) => a.releasedAt === undefined)).toEqual([]);
  });
});
