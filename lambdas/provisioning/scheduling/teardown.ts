import { EVENT_SOURCE } from '../ports/events';
import { OperationInProgressError, TransientError } from '../../shared/errors';
import { startOperation } from '../lock/start-operation';
import type { Deps } from '../ports/deps';
import type { ProvisionState } from '../model';
import { ttlScheduleName } from './names';

/** What asks for a teardown: the provision, the rule or event that matched, and the event. */
export interface TeardownRequest {
  provisionId: string;
  /** `event:<detail-type>` for the fixed rules, `rule:<name>` for a provision's own rule. */
  trigger: string;
  event?: { source?: string; 'detail-type'?: string; detail?: Record<string, unknown> };
}

/** What a teardown request led to. */
export interface TeardownOutcome {
  provisionId: string;
  action: 'started' | 'skipped' | 'postponed';
  reason?: string;
  executionId?: string;
}

/** States a teardown deletes from: the provision rests, so nothing else moves it. */
const SETTLED: readonly ProvisionState[] = ['RUNNING', 'DEGRADED', 'ERROR'];

/** How long an expiry waits when the provision is still being moved. */
export const EXPIRY_POSTPONE_SECONDS = 300;

/** The provision is still being moved by an execution; the delivery is retried. */
export class ProvisionBusyError extends TransientError {}

/**
 * Event-triggered teardown: deletes the provision with cleanup, under the
 * operation lock. Duplicate and late events are harmless: a provision that
 * is gone, DELETING or DELETED, or whose lock a delete holds, is left alone,
 * so two deliveries of one event start one execution. A provision still
 * being moved (another operation holds the lock) is not deleted under it:
 * an expiry is postponed (its schedule re-armed), other triggers fail with
 * a retryable error so the platform delivers them again.
 */
export async function teardownProvision(deps: Deps, req: TeardownRequest): Promise<TeardownOutcome> {
  const p = await deps.store.get(req.provisionId);
  const skipped = (reason: string): TeardownOutcome => ({ provisionId: req.provisionId, action: 'skipped', reason });
  if (!p) return skipped('no such provision');
  if (p.state === 'DELETED' || p.state === 'DELETING') return skipped(`the provision is already ${p.state}`);
  const expiry = req.event?.['detail-type'] === 'Provision Expired';
  if (expiry) await deps.lifecycle.note(p.id, 'Provision Expired', req.event?.detail ?? {});
  const busy = async (why: string): Promise<TeardownOutcome> => {
    if (!expiry) throw new ProvisionBusyError(`provision ${p.id} is busy (${why}); teardown is retried once it settles`);
    const at = new Date(deps.now().getTime() + EXPIRY_POSTPONE_SECONDS * 1000);
    await deps.scheduler.putEventAt(ttlScheduleName(p.id), at, {
      source: EVENT_SOURCE,
      detailType: 'Provision Expired',
      detail: req.event?.detail ?? {},
    });
    await deps.lifecycle.note(p.id, 'Teardown Postponed', { trigger: req.trigger, state: p.state, until: at.toISOString() });
    return { provisionId: p.id, action: 'postponed', reason: why };
  };
  if (!SETTLED.includes(p.state)) return busy(`the provision is ${p.state}`);
  let executionId: string;
  try {
    ({ executionId } = await startOperation(
      deps,
      p.id,
      { kind: 'delete', summary: `teardown (${req.trigger})`, machine: 'delete-provision', inStates: SETTLED, executionPrefix: 'teardown' },
      async () => ({ cleanup: true, force: false }),
    ));
  } catch (err) {
    if (!(err instanceof OperationInProgressError)) throw err;
    if (err.operation.kind === 'delete') return skipped(`delete operation ${err.operation.id} is already running`);
    return busy(`operation ${err.operation.id} (${err.operation.summary}) is running`);
  }
  await deps.lifecycle.note(p.id, 'Teardown Requested', {
    trigger: req.trigger,
    ...(req.event?.source ? { source: req.event.source } : {}),
    ...(req.event?.['detail-type'] ? { detailType: req.event['detail-type'] } : {}),
  });
  return { provisionId: p.id, action: 'started', executionId };
}
