import { randomBytes } from 'node:crypto';
import { createProvision, newProvisionId } from '../lambdas/provisioning/commands';
import type { Provision } from '../lambdas/provisioning/model';
import type { ProvisionPlan } from '../lambdas/provisioning/plan';
import { simHosts, simOpenNebula } from '../sandbox/defaults';
import type { ExecutionRecord } from '../sandbox/executions';
import { LatencyLedger, LatencyModel, type BootProfile } from '../sandbox/latency-model';
import { startSandbox, type Sandbox } from '../sandbox/sandbox';
import { CapacityMeter } from './capacity';
import { RunTrace } from './trace';

/** A full sandbox on the calibrated latency model, with everything a benchmark measures. */
export interface BenchSandbox {
  sandbox: Sandbox;
  model: LatencyModel;
  ledger: LatencyLedger;
  trace: RunTrace;
  capacity: CapacityMeter;
  close(): Promise<void>;
}

/** Options of {@link startBenchSandbox}. */
export interface BenchSandboxOptions {
  timeScale: number;
  seed: number;
  boot?: BootProfile;
}

/**
 * Starts the sandbox the product runs (the real ASL on aws-local-stepfunctions,
 * dynalite, the simulated oned over XML-RPC, one `ssh2` host per machine
 * running the real roles), in memory, on the calibrated latency model.
 */
export async function startBenchSandbox(options: BenchSandboxOptions): Promise<BenchSandbox> {
  const ledger = new LatencyLedger();
  const model = new LatencyModel({ timeScale: options.timeScale, seed: options.seed, boot: options.boot, ledger });
  const sandbox = await startSandbox({
    latencyModel: model,
    openNebula: simOpenNebula(model.timeScale, model),
    hostConfigurator: simHosts(model),
    // The IPAM's default account quota (64) is below the largest run's addresses.
    cloud: { addressQuota: 240 },
  });
  const trace = new RunTrace();
  sandbox.runner.observe(trace);
  const capacity = new CapacityMeter(sandbox.dynamo.client);
  return { sandbox, model, ledger, trace, capacity, close: () => sandbox.close() };
}

/** A provision that reached RUNNING, with its execution and when it got there. */
export interface ProvisionRun {
  provision: Provision;
  execution: ExecutionRecord;
  /** Epoch ms of its `Provision Running` event. */
  runningAt: number;
}

/** Creates the plans' provisions at once (one owner, as one operator would) and waits until each is RUNNING. */
export async function runProvisions(
  bench: BenchSandbox,
  plans: readonly ProvisionPlan[],
  owner = `bench-${randomBytes(3).toString('hex')}`,
): Promise<ProvisionRun[]> {
  const deps = bench.sandbox.deps;
  const created = await Promise.all(plans.map((plan) => createProvision(deps, { id: newProvisionId(), owner, plan })));
  return Promise.all(
    created.map(async (p) => {
      const execution = await bench.sandbox.runner.wait(p.executionId ?? '');
      const done = await bench.capacity.unmetered(() => deps.store.get(p.id));
      if (!done || done.state !== 'RUNNING' || !execution) {
        throw new Error(`bench provision ${p.name} ended ${done?.state ?? 'missing'}: ${execution?.cause ?? ''}`);
      }
      const running = bench.sandbox.bus.events.find((e) => e['detail-type'] === 'Provision Running' && e.detail['provisionId'] === p.id);
      return { provision: done, execution, runningAt: Date.parse(running?.time ?? '') };
    }),
  );
}
