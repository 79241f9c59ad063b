import { join } from 'node:path';
import { loadDescriptorFile, MemorySecretStore, substituteProvisionId } from '../lambdas/descriptor';
import { createProvision, newProvisionId } from '../lambdas/provisioning/commands';
import type { ProvisionPlan } from '../lambdas/provisioning/plan';
import { TRIGGERED_FUNCTIONS, API_FUNCTIONS } from '../infra/handlers';
import { startBenchSandbox } from './bench-sandbox';
import { fitPerHost, PRICES, usageOf, usd, type Usage } from './cost';
import type { BenchContext } from './figures';
import { waitFor } from './lifecycle';
import { scaleSamples } from './scale-curve';

/** The example descriptor the cost of "one provision" is measured on. */
export const EXAMPLE = join(__dirname, '..', 'examples', 'sim-edge.yml');

/** The example's lifetime in the cost model: it ends by its TTL, as an ephemeral edge does. */
const TTL_SECONDS = 120;

/** Loads the example descriptor as `edgectl create` would, with a TTL. */
export async function examplePlan(): Promise<ProvisionPlan> {
  const loaded = await loadDescriptorFile(EXAMPLE, { secretStore: new MemorySecretStore() });
  if (!loaded.ok) throw new Error(`${EXAMPLE}: ${loaded.errors.map((e) => e.message).join('; ')}`);
  return { ...loaded.plan, ttlSeconds: TTL_SECONDS };
}

/**
 * The example's whole life in a fresh sandbox: POST /provisions, the create
 * machine, RUNNING, its TTL schedule firing `Provision Expired`, the
 * `teardown` function starting the delete machine, DELETED. Returns what it
 * used, at time scale 1.
 */
export async function measureExampleLifecycle(ctx: BenchContext): Promise<Usage> {
  const bench = await startBenchSandbox({ timeScale: ctx.timeScale, seed: ctx.seed });
  try {
    const deps = bench.sandbox.deps;
    const id = newProvisionId();
    const requestStarted = Date.now();
    const p = await createProvision(deps, { id, owner: 'bench-cost', plan: substituteProvisionId(await examplePlan(), id) });
    const apiMs = Date.now() - requestStarted;
    const ttlMs = TTL_SECONDS * 1000 * ctx.timeScale;
    // Watched on the bus, so the wait itself reads nothing from the table.
    const deleted = () =>
      bench.sandbox.bus.events.some((e) => e['detail-type'] === 'Provision Deleted' && e.detail['provisionId'] === p.id);
    await waitFor('the example to be deleted by its TTL', async () => (deleted() ? true : undefined), 120_000 + 4 * ttlMs);
    await bench.sandbox.runner.idle();
    const expired = bench.sandbox.bus.events.find((e) => e['detail-type'] === 'Provision Expired' && e.detail['provisionId'] === p.id);
    const deletion = bench.sandbox.runner.executions
      .list()
      .find((e) => e.machine === 'delete-provision' && e.input['provisionId'] === p.id);
    if (!expired || deletion?.status !== 'SUCCEEDED') throw new Error('the example was not deleted by its TTL');
    // The teardown function runs from the expiry event to the delete machine it starts.
    const teardownMs = Math.max(0, Date.parse(deletion.startedAt) - Date.parse(expired.time));
    const gb = (mb: number | undefined) => (mb ?? 512) / 1024;
    const settings = deps.settings;
    const wait = { modelledMs: settings.pollSeconds * 1000, realMs: Math.max(5, settings.pollSeconds * 1000 * ctx.timeScale) };
    return await usageOf(bench, new Set([p.id]), { rru: 0, wru: 0, requests: {} }, wait, {
      apiRequests: 1,
      invocations: 2,
      gbSeconds: (gb(API_FUNCTIONS['api']?.memorySize) * apiMs + gb(TRIGGERED_FUNCTIONS.teardown.memorySize) * teardownMs) / 1000,
    });
  } finally {
    await bench.close();
  }
}

const ITEMS: Array<[keyof Usage, string, string]> = [
  ['transitions', 'transitions', 'state transitions'],
  ['invocations', 'invocations', 'Lambda invocations'],
  ['gbSeconds', 'gb_seconds', 'Lambda GB-s (Arm)'],
  ['wru', 'wru', 'DynamoDB write request units'],
  ['rru', 'rru', 'DynamoDB read request units'],
  ['events', 'events', 'EventBridge events'],
  ['schedulerInvocations', 'scheduler_invocations', 'Scheduler invocations'],
];

/**
 * Figure 6: what one host and one provision of the example cost on AWS —
 * state transitions, Lambda invocations and GB-seconds, DynamoDB units,
 * EventBridge events, Scheduler invocations, and USD at list prices. The
 * example (2 hosts) is measured over its whole life; one host is the slope
 * of create + delete over the scale curve's 1 to 64 hosts.
 */
export async function costFigures(ctx: BenchContext): Promise<void> {
  const priced = `USD, ${PRICES.region} list prices ${PRICES.asOf}`;
  const example = await measureExampleLifecycle(ctx);
  for (const [key, name, unit] of ITEMS) ctx.emit({ name: `cost.${name}.2hosts`, value: example[key], unit });
  ctx.emit({ name: 'cost.usd_per_provision.2hosts', value: usd(example), unit: priced });

  const { perHost } = fitPerHost((await scaleSamples(ctx)).map((s) => ({ hosts: s.hosts, usage: s.usage })));
  for (const [key, name, unit] of ITEMS) {
    if (key === 'schedulerInvocations') continue;
    ctx.emit({ name: `cost.${name}_per_host`, value: perHost[key], unit });
  }
  ctx.emit({ name: 'cost.usd_per_host', value: usd(perHost), unit: priced });
}
