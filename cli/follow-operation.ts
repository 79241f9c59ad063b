import type { ProvisionView } from '../lambdas/api/views';
import type { ApiClient, OperationStarted } from './api-client';
import { CliExit, type CliIo } from './io';
import { hostLine } from './progress';

/** A finished operation as the provision reports it. */
export type OperationOutcomeView = ProvisionView['operations'][number];

/**
 * Follows a day-2 operation until it releases the provision's lock: one
 * line per host whenever its state changes (new hosts of a scale-out appear
 * as they are added). Returns the provision and the operation's outcome.
 */
export async function followOperation(
  api: ApiClient,
  started: OperationStarted,
  io: CliIo,
  pollMs = 150,
): Promise<{ provision: ProvisionView; outcome?: OperationOutcomeView }> {
  const operationId = started.operation?.id;
  const shown = new Map<number, string>();
  // Hosts released before this operation are history, not progress.
  const released = new Set(started.hosts.filter((h) => h.state === 'RELEASED').map((h) => h.index));
  io.out(`operation ${operationId ?? '?'}: ${started.operation?.summary ?? ''}`);
  for (;;) {
    const p = await api.getProvision(started.id);
    for (const h of p.hosts) {
      if (released.has(h.index)) continue;
      const line = hostLine(h);
      if (shown.get(h.index) !== line) {
        shown.set(h.index, line);
        io.out(`  ${line}`);
      }
    }
    if (!operationId || p.operation?.id !== operationId) {
      return { provision: p, outcome: p.operations.find((o) => o.id === operationId) };
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Describes an operation's end for people. */
export function describeOutcome(outcome: OperationOutcomeView | undefined, provision: ProvisionView): string {
  if (!outcome) return `${provision.id}: the operation's outcome is not recorded; see edgectl events ${provision.id}`;
  const why = outcome.error ? ` in ${outcome.error.step}: ${outcome.error.errorName}: ${outcome.error.message}` : '';
  return `operation ${outcome.id} (${outcome.summary}) ${outcome.outcome}${why}; provision ${provision.id} is ${provision.state}`;
}

/**
 * What every day-2 verb does once its request was accepted: without
 * `--wait`, names the operation (or prints it as JSON); with it, follows the
 * operation and ends non-zero unless it SUCCEEDED.
 */
export async function reportOperation(
  api: ApiClient,
  started: OperationStarted,
  options: { wait?: boolean; json?: boolean },
  io: CliIo,
): Promise<void> {
  if (!options.wait) {
    if (options.json) io.out(JSON.stringify(started, null, 2));
    else {
      io.out(`started operation ${started.operation?.id} (${started.operation?.summary}) on ${started.id}`);
      io.out(`follow it: edgectl events ${started.id} --follow`);
    }
    return;
  }
  const quiet: CliIo = options.json ? { ...io, out: () => undefined } : io;
  const { provision, outcome } = await followOperation(api, started, quiet);
  if (options.json) io.out(JSON.stringify({ ...provision, outcome: outcome ?? null }, null, 2));
  else io.out(describeOutcome(outcome, provision));
  if (outcome?.outcome !== 'SUCCEEDED') {
    if (options.json) io.err(`edgectl: ${describeOutcome(outcome, provision)}`);
    throw new CliExit(1);
  }
}
