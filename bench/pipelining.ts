import type { BenchContext } from './figures';
import { measureGroup, minutes } from './measure';
import { simPlan } from './plans';

/** Where the seed demo's single edge cluster is placed: the metro nearest its audience. */
export const DEMO_SITE = 'ams';

/**
 * Figure 1 (pipelining inside one provision: 2 hosts + 3 networks, and 16
 * hosts) and the 2-host half of figure 3 (its makespan projected to time
 * scale 1, beside the seed demo's 12 minutes).
 */
export async function pipeliningFigures(ctx: BenchContext): Promise<void> {
  await pipeliningFiguresFor(ctx, [2, 16]);
}

/** The pipelining figures for one provision of each host count. */
export async function pipeliningFiguresFor(ctx: BenchContext, hostCounts: readonly number[]): Promise<void> {
  for (const hosts of hostCounts) {
    const group = await measureGroup(ctx, [simPlan(hosts, `pipe${hosts}`, DEMO_SITE)]);
    const m = group.provisions[0];
    if (!m) throw new Error('no provision measured');
    ctx.emit({
      name: `pipelining.ratio.${hosts}hosts`,
      value: m.makespanMs / m.criticalPathMs,
      unit: 'makespan/critical-path',
      target: '<= 1.05',
    });
    ctx.emit({ name: `pipelining.makespan_ms.${hosts}hosts`, value: m.makespanMs, unit: 'ms' });
    ctx.emit({ name: `orchestration.transitions.${hosts}hosts`, value: group.transitions, unit: 'state transitions' });
    ctx.emit({
      name: `orchestration.cpu_ms_per_transition.${hosts}hosts`,
      value: group.cpuMs / Math.max(1, group.transitions),
      unit: 'ms',
    });
    if (hosts === 2) {
      ctx.emit({ name: 'projection.minutes.2hosts', value: minutes(m.projectedMs), unit: 'min at time scale 1 (seed demo: 12)' });
    }
  }
}
