import * as z from './schema';

/** The variable holding each state machine's ARN, by machine name (`statemachines/<name>.asl.json`). */
export const MACHINE_ARN_ENV = {
  'create-provision': 'CREATE_MACHINE_ARN',
  'delete-provision': 'DELETE_MACHINE_ARN',
  'scale-provision': 'SCALE_MACHINE_ARN',
  'host-action': 'HOST_ACTION_MACHINE_ARN',
  'ip-action': 'IP_ACTION_MACHINE_ARN',
  'configure-provision': 'CONFIGURE_MACHINE_ARN',
} as const;

const name = z.string().check(z.minLength(1));
const optionalName = z.optional(name);
const positiveInt = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.positive()), fallback);

/** The Lambda environment, read once and checked: a missing value fails the first use, not a later request. */
const EnvSchema = z.object({
  TABLE_NAME: name,
  EVENT_BUS_NAME: name,
  CREATE_MACHINE_ARN: name,
  DELETE_MACHINE_ARN: name,
  SCALE_MACHINE_ARN: name,
  HOST_ACTION_MACHINE_ARN: name,
  IP_ACTION_MACHINE_ARN: name,
  CONFIGURE_MACHINE_ARN: name,
  /** Secrets Manager secret with `privateKey` / `publicKey` of the configuration runner. */
  SSH_KEY_SECRET_ARN: name,
  /** Secrets Manager secret with `endpoint`, `user`, `password` of the OpenNebula front-end. */
  ONE_SECRET_ARN: name,
  POLL_SECONDS: positiveInt(30),
  HOST_READY_TIMEOUT_SECONDS: positiveInt(3600),
  NETWORK_READY_TIMEOUT_SECONDS: positiveInt(600),
  /** A registered host the front-end has not monitored this long fails its register step. */
  HOST_MONITOR_TIMEOUT_SECONDS: positiveInt(600),
  CONFIGURE_BUDGET_MS: positiveInt(840_000),
  ONE_TIMEOUT_MS: positiveInt(30_000),
  // Scheduling and teardown: set only on the functions that manage schedules or rules.
  /** Schedule group of the TTL and recurring-creation schedules. */
  SCHEDULE_GROUP_NAME: optionalName,
  /** Role EventBridge Scheduler assumes to put `Provision Expired` and invoke the scheduled-create function. */
  SCHEDULER_ROLE_ARN: optionalName,
  /** ARN of the bus (the target of TTL schedules). */
  EVENT_BUS_ARN: optionalName,
  /** The function recurring schedules invoke (`lambdas/handlers/scheduled-create.ts`). */
  SCHEDULED_CREATE_FUNCTION_ARN: optionalName,
  /** The function per-provision teardown rules target (`lambdas/handlers/teardown.ts`). */
  TEARDOWN_FUNCTION_ARN: optionalName,
  /** Dead-letter queue of teardown rules (events a rule could not deliver). */
  TEARDOWN_DLQ_ARN: optionalName,
});

/** Typed configuration of the deployed functions. */
export type AwsConfig = z.infer<typeof EnvSchema>;

/** Parses the environment; the error lists every missing or malformed variable. */
export function readAwsConfig(env: NodeJS.ProcessEnv = process.env): AwsConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
