import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDescriptorText, MemorySecretStore, type ProvisionPlan } from '../lambdas/descriptor';
import { createProvision, deleteProvision, newProvisionId, retryProvision } from '../lambdas/provisioning/commands';
import type { Provision } from '../lambdas/provisioning/model';
import { simHosts, simOpenNebula } from '../sandbox/defaults';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { audit, type RunAudit } from './audit';
import { Rng, runSeed } from './rng';
import { drawFaults, type FaultKind } from './schedule';

/** What a campaign runs. */
export interface CampaignOptions {
  runs: number;
  seed: number;
  /** Hosts per provision (default 2). */
  hosts?: number;
  /** Runs in flight at once (default 1: each run alone, reproducible from its seed). */
  concurrency?: number;
  /** Real time per simulated time (default 0.0005). */
  timeScale?: number;
  /** Longest wait for one execution before the provision counts as stuck (ms). */
  executionTimeoutMs?: number;
}

/** One run's JSON line. */
export interface RunResult extends RunAudit {
  run: number;
  seed: number;
  faults: FaultKind[];
  /** States the provision went through at the end of each operation. */
  path: string[];
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
 * Runs N provisions through create, retry and delete in one sandbox (sim
 * provider and IPAM, simulated oned over XML-RPC, SSH hosts), each with a
 * fault schedule drawn from the seed, and audits the sim provider, IPAM
 * and oned against the store after each run.
 */
export async function runCampaign(options: CampaignOptions, onRun: (r: RunResult) => void = () => undefined): Promise<CampaignSummary> {
  const hosts = options.hosts ?? 2;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const timeScale = options.timeScale ?? 0.0005;
  const sandbox = await startSandbox({
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
  let next = 0;
  const worker = async () => {
    while (next < options.runs) {
      const run = next;
      next += 1;
      const result = await oneRun(sandbox, run, options.seed, hosts, timeScale, options.executionTimeoutMs ?? 180_000);
      // Alone, a run leaves nothing armed for the next one: each run is reproducible from its seed.
      if (concurrency === 1) sandbox.faults.clear();
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
  }
  return summary;
}

async function oneRun(
  sandbox: Sandbox,
  run: number,
  seed: number,
  hosts: number,
  timeScale: number,
  timeoutMs: number,
): Promise<RunResult> {
  const started = Date.now();
  const rng = new Rng(runSeed(seed, run));
  const plan = await planFor(run, hosts);
  const hostNames = plan.hosts.map((h) => h.name);
  const faults = drawFaults(rng, hostNames, timeScale);
  const path: string[] = [];
  const invariants: string[] = [];
  const id = newProvisionId();
  const settle = async (executionId: string | undefined, what: string): Promise<Provision | undefined> => {
    if (executionId) {
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        sandbox.runner.wait(executionId).then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!finished) invariants.push(`${what}: execution ${executionId} still running after ${timeoutMs} ms`);
    }
    const p = await sandbox.deps.store.get(id);
    path.push(p?.state ?? 'absent');
    return p;
  };

  for (const f of faults) sandbox.faults.arm(f.spec);
  try {
    const created = await createProvision(sandbox.deps, { id, owner: OWNER, plan });
    let p = await settle(created.executionId, 'create');
    // A retry from ERROR: faults heal after their calls, so a retry gets further each time.
    for (let attempt = 0; attempt < 2 && p?.state === 'ERROR'; attempt += 1) {
      const retried = await retryProvision(sandbox.deps, { owner: OWNER, id });
      p = await settle(retried.executionId, 'retry');
    }
    // Delete with cleanup; a delete that ends in ERROR is retried once, then forced.
    for (const how of ['cleanup', 'retry', 'force'] as const) {
      if (!p || p.state === 'DELETED') break;
      if (how === 'retry' && p.state !== 'ERROR') continue;
      const op =
        how === 'retry'
          ? await retryProvision(sandbox.deps, { owner: OWNER, id })
          : await deleteProvision(sandbox.deps, { owner: OWNER, id, cleanup: true, force: how === 'force' });
      p = await settle(op.executionId, `delete (${how})`);
    }
    if (p && p.state !== 'DELETED') invariants.push(`provision ${id} is ${p.state} after delete --force`);
  } catch (err) {
    const e = err as Error;
    invariants.push(`an operation on ${id} threw ${e.name}: ${e.message}`);
  }
  const audited = await audit(sandbox, id, plan, invariants);
  return { run, seed, faults: faults.map((f) => f.kind), path, ms: Date.now() - started, ...audited };
}
