import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { handler as scheduledCreate } from '../lambdas/handlers/scheduled-create';
import { handler as teardown } from '../lambdas/handlers/teardown';
import { DynamoScheduleStore } from '../lambdas/store/dynamo-schedule-store';
import type { LocalEventBus } from './local-bus';
import { addFixedTeardownRules, LocalEventRules, type DeliveryPolicy } from './rules';
import { LocalScheduler } from './scheduler';

/** The sandbox's scheduling and teardown machinery, wired to the local bus and the handlers. */
export interface LocalScheduling {
  scheduler: LocalScheduler;
  rules: LocalEventRules;
  schedules: DynamoScheduleStore;
  /** Stops the scheduler and waits for runs and rule deliveries under way. */
  stop(): Promise<void>;
}

/** Options of {@link startLocalScheduling}. */
export interface LocalSchedulingOptions {
  bus: LocalEventBus;
  dynamo: { client: DynamoDBClient; tableName: string };
  /** Real time per scheduled time (see {@link LocalScheduler}). */
  timeScale: number;
  /** Keeps schedules and rules in `<at>(schedules.json)` and `<at>(rules.json)`. */
  at?: (file: string) => string | undefined;
  onError?(what: string, err: unknown): void;
}

/**
 * Wires what EventBridge Scheduler and the teardown rules do in AWS: the
 * local scheduler (TTL events onto the bus, recurring runs into the
 * scheduled-create handler), the fixed teardown rules and the per-provision
 * rules on the local bus, all delivering to the same teardown handler.
 */
export function startLocalScheduling(options: LocalSchedulingOptions): LocalScheduling {
  const at = options.at ?? (() => undefined);
  const invoke = (h: (event: unknown, context: Context) => Promise<unknown>) => (input: unknown) => h(input, {} as Context);
  // Lambda retries a failed asynchronous invocation twice, about a minute apart; scaled here.
  const policy: DeliveryPolicy = { attempts: 3, delayMs: Math.max(20, 60_000 * options.timeScale) };
  const target = invoke(teardown);
  addFixedTeardownRules(options.bus, target, policy);
  const rules = new LocalEventRules(options.bus, target, policy, at('rules.json'));
  const scheduler = new LocalScheduler(
    {
      putEvent: (event, time) =>
        options.bus.publish([{ Source: event.source, DetailType: event.detailType, Detail: event.detail, Time: time }]),
      runScheduledCreate: invoke(scheduledCreate),
    },
    { timeScale: options.timeScale, statePath: at('schedules.json'), onError: (name, err) => options.onError?.(`schedule ${name}`, err) },
  );
  return {
    scheduler,
    rules,
    schedules: new DynamoScheduleStore(options.dynamo.client, options.dynamo.tableName),
    stop: async () => {
      scheduler.stop();
      await scheduler.drain();
      await options.bus.drain();
    },
  };
}
