import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTimelineSvg } from '../cli/timeline';
import { toView, type ProvisionView } from '../lambdas/api/views';
import { EDGE_SITES, LatencyModel, type SiteProfile } from '../sandbox/latency-model';
import type { BenchContext } from './figures';
import { measureGroup, minutes, type MeasuredGroup } from './measure';
import { edgeSitePlans, simPlan, siteProvisionName } from './plans';

/** Hosts per edge site in the fan-out (the seed demo's 2-host clusters). */
const HOSTS_PER_SITE = 2;

/** File of the fan-out's Gantt chart under docs/. */
export const FANOUT_SVG = 'bench-fanout-17sites.svg';

/** The site whose provision the model makes slowest (its slowest host's boot plus roles). */
export function slowestSite(model: LatencyModel, sites: readonly SiteProfile[] = EDGE_SITES): SiteProfile {
  const span = (site: SiteProfile) =>
    Math.max(
      ...Array.from({ length: HOSTS_PER_SITE }, (_, i) => model.pipelineModelledMs(`${siteProvisionName(site)}-host${i}`, site.code)),
    );
  return sites.reduce((slowest, site) => (span(site) > span(slowest) ? site : slowest));
}

/** Every host of a group of provisions as one chart: one row per host, time from the first request. */
export function groupTimeline(group: MeasuredGroup, name: string): ProvisionView {
  const views = group.provisions.map((p) => toView(p.run.provision));
  const first = views.reduce((a, b) => (Date.parse(a.createdAt) <= Date.parse(b.createdAt) ? a : b));
  return { ...first, id: 'fan-out', name, hosts: views.flatMap((v) => v.hosts) };
}

/**
 * Figure 2 (17 provisions × 2 hosts in 17 sites started together, against
 * one provision alone in the slowest site) and the 17-site half of figure 3;
 * writes the fan-out's per-host Gantt chart into docs/.
 */
export async function fanoutFigures(ctx: BenchContext): Promise<void> {
  const model = new LatencyModel({ timeScale: ctx.timeScale, seed: ctx.seed });
  const slowest = slowestSite(model);
  const group = await measureGroup(ctx, edgeSitePlans(EDGE_SITES, HOSTS_PER_SITE));
  // The same provision (names, so the same per-host latencies) in a sandbox of its own.
  const alone = await measureGroup(ctx, [simPlan(HOSTS_PER_SITE, siteProvisionName(slowest), slowest.code)]);
  ctx.note(`fan-out: slowest site ${slowest.code} (${slowest.city})`);
  ctx.emit({
    name: 'fanout.ratio.17sites',
    value: group.makespanMs / alone.makespanMs,
    unit: '17 sites / slowest site alone',
    target: '<= 1.1',
  });
  ctx.emit({ name: 'fanout.makespan_ms.17sites', value: group.makespanMs, unit: 'ms' });
  ctx.emit({ name: 'fanout.makespan_ms.slowest_alone', value: alone.makespanMs, unit: 'ms' });
  // Request → first allocation: the shared setup each provision does before its hosts start.
  const setup = (g: MeasuredGroup) => Math.max(...g.provisions.map((p) => p.setupMs));
  ctx.emit({ name: 'fanout.setup_ms.17sites', value: setup(group), unit: 'ms (slowest provision)' });
  ctx.emit({ name: 'fanout.setup_ms.slowest_alone', value: setup(alone), unit: 'ms' });
  ctx.emit({ name: 'projection.minutes.17sites', value: minutes(group.projectedMs), unit: 'min at time scale 1 (seed demo: 25)' });
  const svg = renderTimelineSvg(groupTimeline(group, `17 edge sites × ${HOSTS_PER_SITE} hosts at time scale ${ctx.timeScale}`));
  writeFileSync(join(ctx.docsDir, FANOUT_SVG), `${svg}\n`);
}
