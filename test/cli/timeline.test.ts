import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { renderTimelineSvg, renderTimelineText, timelineBars } from '../../cli/timeline';
import { toView } from '../../lambdas/api/views';
import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';
import { startLocalApi, type LocalApiServer } from '../../sandbox/http-server';
import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

describe('edgectl timeline', () => {
  let s: S;
  let api: LocalApiServer;
  let id: string;
  beforeAll(async () => {
    s = await startMemorySandbox();
    api = await startLocalApi({ token: 'tok' });
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'local', plan: simEdgePlan() });
    await s.runner.wait(p.executionId ?? '');
    id = p.id;
  });
  afterAll(async () => {
    await api.close();
    await s.close();
  });

  it('has one bar per finished step of every host, in pipeline order, inside the provision’s lifetime', async () => {
    const view = toView((await s.deps.store.get(id))!);
    const bars = timelineBars(view);
    for (const host of ['edge-host0', 'edge-host1']) {
      const mine = bars.filter((b) => b.host === host);
      expect(mine.map((b) => b.step)).toEqual(['allocate', 'boot', 'assignIps', 'configure', 'register']);
      for (let i = 1; i < mine.length; i += 1) expect(mine[i]!.startMs).toBeGreaterThanOrEqual(mine[i - 1]!.startMs);
    }
    expect(bars.every((b) => b.startMs >= 0 && b.endMs >= b.startMs)).toBe(true);
    expect(renderTimelineText(view).split('\n')).toHaveLength(3);
    expect(renderTimelineSvg(view).match(/<rect /g)?.length).toBe(bars.length + 5);
  });

  it('prints the chart and writes the SVG through the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-'));
    const out: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => out.push(`ERR ${t}`),
      cwd: dir,
      env: { EDGE_ENDPOINT: api.url, EDGE_TOKEN: 'tok' },
    };
    expect(await main(['timeline', id, '--svg', 'chart.svg'], io)).toBe(0);
    expect(out[0]).toMatch(/^edge-host0 \|[.ABICR]+\|/m);
    expect(readFileSync(join(dir, 'chart.svg'), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('escapes host names in the SVG', () => {
    const view = { id: 'p-1', name: 'x', createdAt: new Date(0).toISOString(), hosts: [{ name: '<b>&"', timings: {} }] } as never;
    expect(renderTimelineSvg(view)).not.toContain('<b>&"');
  });
});
