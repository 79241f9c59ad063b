import { STEP_FUNCTIONS } from '../infra/handlers';
import type { BenchSandbox } from './bench-sandbox';
import type { CapacityTotals } from './capacity';
import { upliftWithin, upliftsOf, type Uplift, type WaitScale } from './projection';

/**
 * AWS list prices the cost model uses: us-east-1, on-demand, as published in
 * March 2026 (the same as docs/operations.md), without free tiers.
 */
export const PRICES = {
  region: 'us-east-1',
  asOf: '2026-03',
  /** Step Functions Standard, per state transition ($0.025 per 1,000). */
  transition: 0.025 / 1000,
  /** Lambda, per request ($0.20 per million). */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda on Arm, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** DynamoDB on demand, per write request unit ($0.625 per million). */
  wru: 0.625 / 1e6,
  /** DynamoDB on demand, per read request unit ($0.125 per million). */
  rru: 0.125 / 1e6,
  /** EventBridge custom events put on a bus ($1.00 per million). */
  event: 1 / 1e6,
  /** EventBridge Scheduler invocations ($1.00 per million). */
  schedulerInvocation: 1 / 1e6,
  /** API Gateway HTTP API requests ($1.00 per million). */
  apiRequest: 1 / 1e6,
} as const;

/** What a provision's lifecycle uses of each billed AWS item. */
export interface Usage {
  transitions: number;
  /** Lambda invocations: Task steps (retries included), API requests and event-triggered functions. */
  invocations: number;
  /** Lambda GB-seconds at time scale 1. */
  gbSeconds: number;
  rru: number;
  wru: number;
  /** Events put on the bus. */
  events: number;
  schedulerInvocations: number;
  apiRequests: number;
}

/** Memory (MB) the CDK app gives a step function's handler file. */
export function memoryMbOf(handler: string): number {
  return STEP_FUNCTIONS[handler]?.memorySize ?? 512;
}

/** USD of a usage at {@link PRICES}. */
export function usd(u: Usage): number {
  return (
    u.transitions * PRICES.transition +
    u.invocations * PRICES.lambdaRequest +
    u.gbSeconds * PRICES.lambdaGbSecond +
    u.wru * PRICES.wru +
    u.rru * PRICES.rru +
    u.events * PRICES.event +
    u.schedulerInvocations * PRICES.schedulerInvocation +
    u.apiRequests * PRICES.apiRequest
  );
}

/** `a - b`, item by item. */
export function minus(a: Usage, b: Usage): Usage {
  const out = { ...a };
  for (const k of Object.keys(out) as Array<keyof Usage>) out[k] = a[k] - b[k];
  return out;
}

/**
 * Least-squares line through (hosts, usage) points, item by item: `perHost`
 * is the slope (what one more host costs), `fixed` the intercept.
 */
export function fitPerHost(points: ReadonlyArray<{ hosts: number; usage: Usage }>): { perHost: Usage; fixed: Usage } {
  const n = points.length;
  if (n < 2) throw new Error('a line needs two points');
  const mx = points.reduce((s, p) => s + p.hosts, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.hosts - mx) ** 2, 0);
  const keys = Object.keys(points[0]?.usage ?? {}) as Array<keyof Usage>;
  const perHost = {} as Usage;
  const fixed = {} as Usage;
  for (const k of keys) {
    const my = points.reduce((s, p) => s + p.usage[k], 0) / n;
    const slope = points.reduce((s, p) => s + (p.hosts - mx) * (p.usage[k] - my), 0) / sxx;
    perHost[k] = slope;
    fixed[k] = my - slope * mx;
  }
  return { perHost, fixed };
}

/** What the API and event-triggered functions (`teardown`) added to a lifecycle: they run outside the machines. */
export interface OutsideWork {
  apiRequests: number;
  /** Lambda invocations besides the machines' Tasks: the API requests and the triggered functions. */
  invocations: number;
  gbSeconds: number;
}

/**
 * What the given provisions used in a bench sandbox since `since` (the
 * capacity meter then): their executions' transitions, their Task
 * invocations with durations projected to time scale 1 at the memory CDK
 * gives each function, the table's capacity units, their events (a
 * `Provision Expired` event is the Scheduler's invocation), and `outside`.
 */
export async function usageOf(
  bench: BenchSandbox,
  provisionIds: ReadonlySet<string>,
  since: CapacityTotals,
  wait: WaitScale,
  outside: OutsideWork,
): Promise<Usage> {
  const now = bench.capacity.snapshot();
  const executions = bench.sandbox.runner.executions.list().filter((e) => provisionIds.has(String(e.input['provisionId'])));
  const invocations = bench.trace.invocations.filter((i) => i.provisionId !== undefined && provisionIds.has(i.provisionId));
  const uplifts = new Map<string, Uplift[]>();
  for (const id of provisionIds) {
    const p = await bench.capacity.unmetered(() => bench.sandbox.deps.store.get(id));
    if (p) uplifts.set(id, upliftsOf(p, bench.ledger.waits, bench.trace.waits, wait));
  }
  let gbSeconds = 0;
  for (const i of invocations) {
    const u = uplifts.get(i.provisionId ?? '') ?? [];
    const seconds = (i.endedAt - i.startedAt + upliftWithin(u, i.startedAt, i.endedAt, i.index ?? 'provision')) / 1000;
    gbSeconds += (memoryMbOf(i.handler) / 1024) * seconds;
  }
  const events = bench.sandbox.bus.events.filter((e) => provisionIds.has(String(e.detail['provisionId'])));
  return {
    transitions: executions.reduce((s, e) => s + e.transitions, 0),
    invocations: invocations.length + outside.invocations,
    gbSeconds: gbSeconds + outside.gbSeconds,
    rru: now.rru - since.rru,
    wru: now.wru - since.wru,
    events: events.length,
    schedulerInvocations: events.filter((e) => e['detail-type'] === 'Provision Expired').length,
    apiRequests: outside.apiRequests,
  };
}
