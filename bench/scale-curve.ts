import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './figures';
import { deleteAndWait } from './lifecycle';
import { measureGroup } from './measure';
import { simPlan } from './plans';
import { usageOf, type Usage } from './cost';
import { renderScaleSvg, type ScalePoint } from './scale-chart';

/** Host counts of the scale curve. */
export const SCALE_HOSTS = [1, 4, 16, 64] as const;

/** File of the scale curve's chart under docs/. */
export const SCALE_SVG = 'bench-scale-curve.svg';

/** One provision of the curve: its create measured, then deleted, and what the whole lifecycle used. */
export interface ScaleSample extends ScalePoint {
  transitions: number;
  invocations: number;
  cpuMs: number;
  /** Create and delete, at time scale 1. */
  usage: Usage;
}

/** Creates one provision of `hosts` hosts in a fresh sandbox, measures it, deletes it. */
export async function measureScale(ctx: BenchContext, hosts: number): Promise<ScaleSample> {
  const group = await measureGroup(ctx, [simPlan(hosts, `scale${hosts}`, 'ams')], true);
  const bench = group.bench;
  try {
    const m = group.provisions[0];
    if (!m) throw new Error('no provision measured');
    const p = m.run.provision;
    await deleteAndWait(bench, p.owner, p.id);
    const settings = bench.sandbox.deps.settings;
    const wait = { modelledMs: settings.pollSeconds * 1000, realMs: Math.max(5, settings.pollSeconds * 1000 * ctx.timeScale) };
    // POST /provisions and DELETE /provisions/{id}: two API requests.
    const usage = await usageOf(bench, new Set([p.id]), { rru: 0, wru: 0, requests: {} }, wait, {
      apiRequests: 2,
      invocations: 2,
      gbSeconds: 0,
    });
    return {
      hosts,
      makespanMs: m.makespanMs,
      cpuMs: group.cpuMs,
      cpuMsPerHost: group.cpuMs / hosts,
      transitions: group.transitions,
      invocations: group.invocations,
      transitionsPerHost: group.transitions / hosts,
      invocationsPerHost: group.invocations / hosts,
      usage,
    };
  } finally {
    await bench.close();
  }
}

/** The curve's samples, measured once per bench run (the cost model fits on them too). */
export function scaleSamples(ctx: BenchContext): Promise<ScaleSample[]> {
  return ctx.memo('scale-samples', async () => {
    const samples: ScaleSample[] = [];
    for (const hosts of SCALE_HOSTS) samples.push(await measureScale(ctx, hosts));
    return samples;
  });
}

/**
 * Figure 5: one provision of 1, 4, 16 and 64 hosts — makespan, state
 * transitions, Lambda invocations and sandbox CPU per host; CPU per host at
 * 64 within 1.5× of that at 1. Writes the curve's chart into docs/.
 */
export async function scaleFigures(ctx: BenchContext): Promise<void> {
  const samples = await scaleSamples(ctx);
  for (const s of samples) {
    ctx.emit({ name: `scale.makespan_ms.${s.hosts}hosts`, value: s.makespanMs, unit: 'ms' });
    ctx.emit({ name: `scale.transitions.${s.hosts}hosts`, value: s.transitions, unit: 'state transitions' });
    ctx.emit({ name: `scale.invocations.${s.hosts}hosts`, value: s.invocations, unit: 'Lambda invocations' });
    ctx.emit({ name: `scale.cpu_ms_per_host.${s.hosts}hosts`, value: s.cpuMsPerHost, unit: 'ms' });
  }
  const one = samples.find((s) => s.hosts === 1);
  const most = samples.find((s) => s.hosts === 64);
  if (one && most) {
    ctx.emit({
      name: 'scale.cpu_growth.64v1',
      value: most.cpuMsPerHost / one.cpuMsPerHost,
      unit: 'cpu per host, 64 hosts / 1 host',
      target: '<= 1.5',
    });
  }
  writeFileSync(
    join(ctx.docsDir, SCALE_SVG),
    `${renderScaleSvg(samples, `One provision of 1 to 64 hosts at time scale ${ctx.timeScale}`)}\n`,
  );
}
