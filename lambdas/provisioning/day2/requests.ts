import * as z from '../../shared/schema';
import type { HostPlan } from '../plan';

/**
 * What each day-2 machine is started with (besides `provisionId` and
 * `operationId`, which `startOperation` adds). The request use cases build
 * them on the locked provision; the machines' first step reads them back.
 */

/** Host actions of `POST /provisions/{id}/hosts/{host}/{action}`. */
export const HOST_ACTIONS = ['poweroff', 'reboot', 'resume'] as const;
export type HostAction = (typeof HOST_ACTIONS)[number];

/** Longest drain an operator may ask for (a day). */
export const MAX_DRAIN_TIMEOUT_SECONDS = 86_400;
/** Drain timeout when none is given. */
export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 600;

const index = z.int().check(z.nonnegative());
const indexes = z.array(index).check(z.minLength(1));

// The plans were validated by the request that took the lock; the step checks their shape only,
// so its function does not carry the descriptor schemas.
const HostPlanShape = z.pipe(
  z.looseObject({ index, name: z.string().check(z.minLength(1)) }),
  z.transform((h) => h as unknown as HostPlan),
);

export const ScaleOutInputSchema = z.object({
  direction: z.literal('out'),
  /** Plans of the hosts to add, fixed when the lock was taken (indexes never used before). */
  hosts: z.array(HostPlanShape).check(z.minLength(1)),
});

export const ScaleInInputSchema = z.object({
  direction: z.literal('in'),
  indexes,
  /** Disable the hosts in OpenNebula and wait for their VMs to leave. */
  drain: z.boolean(),
  /** Terminate the VMs instead of waiting for them. */
  force: z.boolean(),
  drainTimeoutSeconds: z.int().check(z.positive(), z.maximum(MAX_DRAIN_TIMEOUT_SECONDS)),
});

export const ScaleInputSchema = z.discriminatedUnion('direction', [ScaleOutInputSchema, ScaleInInputSchema]);

export const HostActionInputSchema = z.object({
  index,
  action: z.enum(HOST_ACTIONS),
  /** reboot: a power cycle (stop, start) instead of the provider's reboot. */
  hard: z.boolean(),
  /** Pause the host's VMs (poweroff-hard) first, and resume them when it is back. */
  force: z.boolean(),
});

export const IpAddInputSchema = z.object({
  action: z.literal('add'),
  /** One entry per address: the host it is routed to and the public network whose vnet gets it. */
  assignments: z.array(z.object({ index, network: z.string().check(z.minLength(1)) })).check(z.minLength(1)),
});

export const IpRemoveInputSchema = z.object({
  action: z.literal('remove'),
  address: z.string().check(z.minLength(1)),
});

export const IpActionInputSchema = z.discriminatedUnion('action', [IpAddInputSchema, IpRemoveInputSchema]);

export const ConfigureInputSchema = z.object({
  indexes,
  /** Every role from the first, on hosts that are configured already. */
  force: z.boolean(),
});

export type ScaleOutInput = z.output<typeof ScaleOutInputSchema>;
export type ScaleInInput = z.output<typeof ScaleInInputSchema>;
export type HostActionInput = z.output<typeof HostActionInputSchema>;
export type IpActionInput = z.output<typeof IpActionInputSchema>;
export type ConfigureInput = z.output<typeof ConfigureInputSchema>;
