import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDescriptorText, MemorySecretStore, type ProvisionPlan } from '../lambdas/descriptor';
import { createProvision, deleteProvision, newProvisionId, retryProvision } from '../lambdas/provisioning/commands';
import type { Provision } from '../lambdas/provisioning/model';
import { simHosts, simOpenNebula } from '../sandbox/defaults';
import { newHostPlans, scaleOut } from '../lambdas/provisioning/day2/scale';
import { audit, type RunAudit } from './audit';
import { RestartableSandbox } from './restartable';
import { Rng, runSeed } from './rng';
import { drawFaults, type FaultKind, type ScheduledFault } from './schedule';

/** What a campaign runs. */
export interface CampaignOptions {
  runs: number;
  seed: number;
  /** Number of the first run (default 0): `from: 25, runs: 1` replays run 25 of the seed alone. */
  from?: number;
  /** Hosts per provision (default 2). */
  hosts?: number;
  /** Runs in flight at once (default 1: each run alone, reproducible from its seed). */
  concurrency?: number;
  /** Real time per simulated time (default 0.0005). */
  timeScale?: number;
  /** Longest wait for one execution before the provision counts as stuck (ms). */
  executionTimeoutMs?: number;
  /** Chance that a run scales its provision out by one host once it is RUNNING or DEGRADED (default 0.3). */
  scaleChance?: number;
}

/** One run's JSON line. */
export interface RunResult extends RunAudit {
  run: number;
  seed: number;
  faults: FaultKind[];
  /** States the provision went through at the end of each operation (`scaled:STATE` after a scale-out). */
  path: string[];
  /** Faults armed for the scale-out, when the run scaled. */
  scaleFaults?: FaultKind[];
  /** Sandbox kills this run's schedule caused (the sandbox restarted over its data directory each time). */
  kills: number;
  /** This run's executions that a restarted sandbox resumed. */
  resumed: number;
  ms: number;
}

/** The campaign's last line. */
export interface CampaignSummary {
  runs: number;
  seed: number;
  leakedHosts: number;
  leakedIps: number;
  leakedOneObjects: number;
  stuck: number;
  duplicateAllocations: number;
  failedInvariant: Array<{ seed: number; run: number; invariant: string }>;
}

const OWNER = 'chaos';
const EXAMPLE = join(__dirname, '..', 'examples', 'sim-edge.yml');

/** The example edge, renamed for the run and sized to `hosts`. */
async function planFor(run: number, hosts: number): Promise<ProvisionPlan> {
  const text = readFileSync(EXAMPLE, 'utf8')
    .replace(/^name: 'sim-edge'$/m, `name: 'chaos-r${run}'`)
    .replace(/count: 2$/m, `count: ${hosts}`)
    .replace(/hostname: 'edge-host\$\{index\}'/, `hostname: 'chaos-r${run}-h\${index}'`);
  const loaded = await loadDescriptorText(text, { sourceName: 'chaos.yml', secretStore: new MemorySecretStore() });
  if (!loaded.ok) throw new Error(`chaos descriptor: ${JSON.stringify(loaded.errors)}`);
  return loaded.plan;
}

/**
 * Runs N provisions through create, sometimes one scale-out, retry and
 * delete in one sandbox over a temporary data directory (sim provider and
 * IPAM, simulated oned over XML-RPC, SSH hosts), each with a fault schedule
 * drawn from the seed, killing and restarting the sandbox where the schedule
 * says, and audits the sim provider, IPAM and oned against the store after
 * each run.
 */
export async function runCampaign(options: CampaignOptions, onRun: (r: RunResult) => void = () => undefined): Promise<CampaignSummary> {
  const hosts = options.hosts ?? 2;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const timeScale = options.timeScale ?? 0.0005;
  // A data directory, so that a killed sandbox's successor finds what it was doing.
  const home = mkdtempSync(join(tmpdir(), 'edge-chaos-'));
  const sandbox = await RestartableSandbox.start({
    home,
    timeScale,
    seed: options.seed,
    openNebula: simOpenNebula(timeScale),
    hostConfigurator: simHosts(),
  });
  const summary: CampaignSummary = {
    runs: 0,
    seed: options.seed,
    leakedHosts: 0,
    leakedIps: 0,
    leakedOneObjects: 0,
    stuck: 0,
    duplicateAllocations: 0,
    failedInvariant: [],
  };
  const settings: RunSettings = {
    seed: options.seed,
    hosts,
    timeScale,
    timeoutMs: options.executionTimeoutMs ?? 180_000,
    scaleChance: options.scaleChance ?? 0.3,
  };
  const from = options.from ?? 0;
  let next = from;
  const worker = async () => {
    while (next < from + options.runs) {
      const run = next;
      next += 1;
      const result = await oneRun(sandbox, run, settings);
      // Alone, a run leaves nothing armed for the next one: each run is reproducible from its seed.
      if (concurrency === 1) await sandbox.use(async (s) => s.faults.clear());
      summary.runs += 1;
      summary.leakedHosts += result.leakedHosts;
      summary.leakedIps += result.leakedIps;
      summary.leakedOneObjects += result.leakedOneObjects;
      summary.stuck += result.stuck;
      summary.duplicateAllocations += result.duplicateAllocations;
      for (const invariant of result.failedInvariant) summary.failedInvariant.push({ seed: options.seed, run, invariant });
      onRun(result);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
  return summary;
}

interface RunSettings {
  seed: number;
  hosts: number;
  timeScale: number;
  timeoutMs: number;
  scaleChance: number;
}

async function oneRun(sandbox: RestartableSandbox, run: number, settings: RunSettings): Promise<RunResult> {
  const { seed, timeoutMs, timeScale } = settings;
  const started = Date.now();
  const rng = new Rng(runSeed(seed, run));
  const plan = await planFor(run, settings.hosts);
  const hostNames = plan.hosts.map((h) => h.name);
  const faults = drawFaults(rng, hostNames, timeScale);
  // Drawn whatever happens, so the draws after it do not depend on how the create went.
  const scales = rng.chance(settings.scaleChance);
  const scaleFaults = rng.chance(0.5) ? drawFaults(rng, ['(added host)'], timeScale, 1) : [];
  const path: string[] = [];
  const invariants: string[] = [];
  const id = newProvisionId();
  const executions = new Set<string>();
  let kills = 0;
  const disarms: Array<() => void> = [];
  const arm = (scheduled: ScheduledFault[]) =>
    sandbox.use(async (s) => {
      for (const f of scheduled) {
        if (f.spec) s.faults.arm(f.spec);
        if (f.killAfterTransitions !== undefined) disarms.push(sandbox.armKill(id, f.killAfterTransitions, () => (kills += 1)));
      }
    });
  const settle = async (executionId: string | undefined, what: string, label = ''): Promise<Provision | undefined> => {
    if (executionId) {
      executions.add(executionId);
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        sandbox.wait(executionId).then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!finished) invariants.push(`${what}: execution ${executionId} still running after ${timeoutMs} ms`);
    }
    const p = await sandbox.use((s) => s.deps.store.get(id));
    path.push(`${label}${p?.state ?? 'absent'}`);
    return p;
  };

  let finalPlan = plan;
  try {
    await arm(faults);
    const created = await sandbox.use((s) => createProvision(s.deps, { id, owner: OWNER, plan }));
    let p = await settle(created.executionId, 'create');
    // A retry from ERROR: faults heal after their calls, so a retry gets further each time.
    for (let attempt = 0; attempt < 2 && p?.state === 'ERROR'; attempt += 1) {
      const retried = await sandbox.use((s) => retryProvision(s.deps, { owner: OWNER, id }));
      p = await settle(retried.executionId, 'retry');
    }
    // Day 2 once: one more host, through the same per-host pipeline, sometimes under a fault of its own.
    if (scales && p && (p.state === 'RUNNING' || p.state === 'DEGRADED')) {
      const added = newHostPlans(p, { count: 1 })[0]?.name ?? '';
      await arm(scaleFaults.map((f) => retargeted(f, added)));
      const scaled = await sandbox.use((s) => scaleOut(s.deps, { owner: OWNER, id, count: 1 }));
      p = await settle(scaled.executionId, 'scale out', 'scaled:');
    }
    // Delete with cleanup; a delete that ends in ERROR is retried once, then forced.
    for (const how of ['cleanup', 'retry', 'force'] as const) {
      if (!p || p.state === 'DELETED') break;
      if (how === 'retry' && p.state !== 'ERROR') continue;
      const op = await sandbox.use((s) =>
        how === 'retry'
          ? retryProvision(s.deps, { owner: OWNER, id })
          : deleteProvision(s.deps, { owner: OWNER, id, cleanup: true, force: how === 'force' }),
      );
      p = await settle(op.executionId, `delete (${how})`);
    }
    if (p && p.state !== 'DELETED') invariants.push(`provision ${id} is ${p.state} after delete --force`);
    if (p) finalPlan = p.plan;
  } catch (err) {
    const e = err as Error;
    invariants.push(`an operation on ${id} threw ${e.name}: ${e.message}`);
  }
  // A kill the run's executions never reached is not left armed for a later one.
  for (const disarm of disarms) disarm();
  const audited = await sandbox.use((s) => audit(s, id, finalPlan, invariants, sandbox.events()));
  const resumed = await sandbox.use(async (s) => [...executions].filter((e) => (s.runner.executions.get(e)?.resumed ?? 0) > 0).length);
  return {
    run,
    seed,
    faults: faults.map((f) => f.kind),
    path,
    ...(scales ? { scaleFaults: scaleFaults.map((f) => f.kind) } : {}),
    kills,
    resumed,
    ms: Date.now() - started,
    ...audited,
  };
}

/** A fault drawn for "the added host" aimed at the host the scale-out adds. */
function retargeted(fault: ScheduledFault, host: string): ScheduledFault {
  const spec = fault.spec;
  if (!spec) return fault;
  const aim = <T>(byHost: Record<string, T> | undefined) =>
    byHost ? Object.fromEntries(Object.values(byHost).map((v) => [host, v])) : undefined;
  const provider = aim(spec.provider);
  const ssh = aim(spec.ssh);
  return { ...fault, spec: { ...spec, ...(provider ? { provider } : {}), ...(ssh ? { ssh } : {}) } };
}
