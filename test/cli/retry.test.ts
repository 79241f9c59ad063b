import { main } from '../../cli/main';
import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { startLocalApi, type LocalApiServer } from '../../sandbox/http-server';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { capturedIo } from '../support/edgectl';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

describe('edgectl retry', () => {
  let s: S;
  let api: LocalApiServer;
  beforeAll(async () => {
    s = await startMemorySandbox();
    api = await startLocalApi({ token: 'tok' });
  });
  afterAll(async () => {
    await api.close();
    await s.close();
  });

  const io = () => capturedIo(api.url);

  it('resumes a failed provision until it runs, and refuses one that is not in ERROR', async () => {
    s.cloud.injectFault('edge-host0', 'quota');
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'local', plan: simEdgePlan() });
    await s.runner.wait(p.executionId ?? '');
    expect((await s.deps.store.get(p.id))?.state).toBe('ERROR');

    s.cloud.clearFaults();
    const out = io();
    const code = await main(['retry', p.id, '--wait', '--json'], out);
    expect({ code, err: out.stderr }).toEqual({ code: 0, err: [] });
    const shown = JSON.parse(out.stdout[out.stdout.length - 1] ?? '{}') as { state: string };
    expect(shown.state).toBe('RUNNING');

    const again = io();
    expect(await main(['retry', p.id], again)).toBe(2);
    expect(again.stderr.join('\n')).toMatch(/RUNNING|ERROR/);
  });
});
