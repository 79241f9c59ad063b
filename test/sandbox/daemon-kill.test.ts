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

  it('resumes the create a killed daemon was running — its hosts come back — and then deletes everything', async () => {
    const first = await startDaemon(home);
    const created = await first.api.createProvision(simEdgePlan());
    // Killed while a host is being configured over SSH: the simulated hosts die with the daemon.
    await until(
      () => first.api.getProvision(created.id),
      (p) => p.hosts.some((h) => h.state === 'CONFIGURING'),
      60_000,
      20,
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const machinesBefore = (JSON.parse(readFileSync(join(home, 'sim-cloud.json'), 'utf8')) as { machines: unknown[] }).machines.length;

    const restarted = await startDaemon(home);
    second = restarted.child;
    // No retry: the restarted daemon picks the execution up, as Step Functions would have kept running it.
    const after = await until(
      () => restarted.api.getProvision(created.id),
      (p) => ['RUNNING', 'DEGRADED', 'ERROR'].includes(p.state) && p.operation === null,
    );
    expect([after.state, after.failedStep]).toEqual(['RUNNING', undefined]);
    expect(after.operations[0]).toMatchObject({ kind: 'create', outcome: 'SUCCEEDED' });
    const cloudAfter = JSON.parse(readFileSync(join(home, 'sim-cloud.json'), 'utf8')) as { machines: unknown[] };
    expect(cloudAfter.machines).toHaveLength(machinesBefore);

    await restarted.api.deleteProvision(created.id, true);
    const deleted = await until(
      () => restarted.api.getProvision(created.id),
      (p) => ['DELETED', 'ERROR'].includes(p.state),
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
