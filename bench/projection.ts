import type { Provision } from '../lambdas/provisioning/model';
import type { LatencyWait } from '../sandbox/latency-model';
import type { ProvisionRun } from './bench-sandbox';
import type { TracedWait } from './trace';

const t = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/** Makespan and critical path of one provision, from its own record. */
export interface CriticalPath {
  /** `Provision Requested` → `Provision Running`. */
  makespanMs: number;
  /** Shared setup + the slowest host's own pipeline + shared tail. */
  criticalPathMs: number;
  /** Request → the first host's allocation. */
  setupMs: number;
  /** Last registration → running. */
  tailMs: number;
  /** Each host's pipeline: allocate start → register end, by host index. */
  chains: Array<{ index: number; startMs: number; endMs: number }>;
}

/**
 * Critical path of a provision from its own record: the shared setup before
 * the first host starts, the slowest host's own pipeline (allocate start →
 * register end), and the shared tail after the last host (overlay
 * convergence, finalize).
 */
export function criticalPath(p: Provision, runningAt: number): CriticalPath {
  const requested = t(p.createdAt);
  const chains = p.hosts.map((h) => ({
    index: h.index,
    startMs: t(h.timings?.['allocate']?.start),
    endMs: t(h.timings?.['register']?.end),
  }));
  const slowest = Math.max(...chains.map((c) => c.endMs - c.startMs));
  const setupMs = Math.min(...chains.map((c) => c.startMs)) - requested;
  const tailMs = runningAt - Math.max(...chains.map((c) => c.endMs));
  return { makespanMs: runningAt - requested, criticalPathMs: setupMs + slowest + tailMs, setupMs, tailMs, chains };
}

/**
 * What a modelled wait adds at time scale 1: the sandbox slept `realMs` for
 * what takes `modelledMs`. `index` is the host it was on behalf of; none for
 * the provision's own work (its network polls, provider network).
 */
export interface Uplift {
  at: number;
  index?: number;
  ms: number;
}

/** Length of a Wait state: what the ASL says (modelled) and what the sandbox waits (real). */
export interface WaitScale {
  modelledMs: number;
  realMs: number;
}

/**
 * The uplifts of one provision: the latency model's waits served for its
 * hosts (by host name) or for it (by id), and its Wait states, which stand
 * for the ASL's poll interval.
 */
export function upliftsOf(p: Provision, ledger: readonly LatencyWait[], waits: readonly TracedWait[], wait: WaitScale): Uplift[] {
  const byName = new Map(p.hosts.map((h) => [h.name, h.index]));
  const out: Uplift[] = [];
  for (const w of ledger) {
    if (w.key === p.id) out.push({ at: w.at, ms: w.modelledMs - w.realMs });
    else if (w.key !== undefined && byName.has(w.key)) out.push({ at: w.at, index: byName.get(w.key), ms: w.modelledMs - w.realMs });
  }
  for (const w of waits) {
    if (w.provisionId !== p.id) continue;
    out.push({ at: w.at, index: w.index, ms: wait.modelledMs - wait.realMs });
  }
  return out;
}

/**
 * Uplift of a time window. For one host (`index`), its waits add up (its
 * pipeline is sequential). For the provision (`'provision'`), its own waits
 * add up and the hosts' waits in the window count as the slowest host's
 * (ConvergeOverlay reaches every host at once).
 */
export function upliftWithin(uplifts: readonly Uplift[], fromMs: number, toMs: number, owner: number | 'provision'): number {
  const inside = uplifts.filter((u) => u.at >= fromMs && u.at < toMs);
  if (owner !== 'provision') return inside.filter((u) => u.index === owner).reduce((sum, u) => sum + u.ms, 0);
  const perHost = new Map<number, number>();
  let own = 0;
  for (const u of inside) {
    if (u.index === undefined) own += u.ms;
    else perHost.set(u.index, (perHost.get(u.index) ?? 0) + u.ms);
  }
  return own + Math.max(0, ...perHost.values());
}

/**
 * The provision's makespan projected to time scale 1: each segment of the
 * critical path as measured plus what its modelled waits add at full
 * length; the sandbox's own work (CPU, I/O) stays as measured. The slack
 * between the measured makespan and critical path is kept as measured.
 */
export function projectMakespan(run: ProvisionRun, uplifts: readonly Uplift[]): { projectedMs: number } & CriticalPath {
  const cp = criticalPath(run.provision, run.runningAt);
  const requested = t(run.provision.createdAt);
  const firstStart = Math.min(...cp.chains.map((c) => c.startMs));
  const lastEnd = Math.max(...cp.chains.map((c) => c.endMs));
  const setup = cp.setupMs + upliftWithin(uplifts, requested, firstStart, 'provision');
  const slowest = Math.max(...cp.chains.map((c) => c.endMs - c.startMs + upliftWithin(uplifts, c.startMs, c.endMs, c.index)));
  const tail = cp.tailMs + upliftWithin(uplifts, lastEnd, run.runningAt + 1, 'provision');
  return { ...cp, projectedMs: setup + slowest + tail + (cp.makespanMs - cp.criticalPathMs) };
}
