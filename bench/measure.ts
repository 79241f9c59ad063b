import type { ProvisionPlan } from '../lambdas/provisioning/plan';
import { runProvisions, startBenchSandbox, type BenchSandbox, type ProvisionRun } from './bench-sandbox';
import { sandboxCpuMs } from './cpu';
import type { BenchContext } from './figures';
import { projectMakespan, upliftsOf, type CriticalPath, type Uplift } from './projection';

/** One provision measured in a bench sandbox. */
export interface MeasuredProvision extends CriticalPath {
  run: ProvisionRun;
  /** Makespan projected to time scale 1, ms. */
  projectedMs: number;
  uplifts: Uplift[];
}

/** A group of provisions created together in one fresh sandbox. */
export interface MeasuredGroup {
  provisions: MeasuredProvision[];
  /** First request → last `Provision Running`, ms. */
  makespanMs: number;
  /** The same projected to time scale 1: the latest projected end. */
  projectedMs: number;
  /** Sandbox CPU (process and finished children) while the group ran, ms. */
  cpuMs: number;
  /** State transitions and Task invocations of the create executions. */
  transitions: number;
  invocations: number;
  bench: BenchSandbox;
}

/**
 * Creates the plans together in a fresh bench sandbox and measures them.
 * `keep` leaves the sandbox running (the caller closes `bench`), e.g. to
 * delete the provisions afterwards.
 */
export async function measureGroup(ctx: BenchContext, plans: readonly ProvisionPlan[], keep = false): Promise<MeasuredGroup> {
  const bench = await startBenchSandbox({ timeScale: ctx.timeScale, seed: ctx.seed });
  try {
    const settings = bench.sandbox.deps.settings;
    const wait = { modelledMs: settings.pollSeconds * 1000, realMs: Math.max(5, settings.pollSeconds * 1000 * ctx.timeScale) };
    const cpu0 = sandboxCpuMs();
    const runs = await runProvisions(bench, plans);
    const cpuMs = sandboxCpuMs() - cpu0;
    const provisions = runs.map((run) => {
      const uplifts = upliftsOf(run.provision, bench.ledger.waits, bench.trace.waits, wait);
      return { run, uplifts, ...projectMakespan(run, uplifts) };
    });
    const start = Math.min(...runs.map((r) => Date.parse(r.provision.createdAt)));
    return {
      provisions,
      makespanMs: Math.max(...runs.map((r) => r.runningAt)) - start,
      projectedMs: Math.max(...provisions.map((p) => Date.parse(p.run.provision.createdAt) - start + p.projectedMs)),
      cpuMs,
      transitions: runs.reduce((sum, r) => sum + r.execution.transitions, 0),
      invocations: runs.reduce((sum, r) => sum + (r.execution.invocations ?? 0), 0),
      bench,
    };
  } finally {
    if (!keep) await bench.close();
  }
}

/** Milliseconds at time scale 1 → minutes. */
export const minutes = (ms: number) => ms / 60_000;
