import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../shared/schema';
import { ValidationError } from '../shared/errors';
import type { Deps } from '../provisioning/ports/deps';
import type { PortGroup } from '../wiring/port-groups';
import { portsFor } from '../wiring/runtime';
import { observability } from './observe';

/** Time kept in reserve when a step hands over to its next invocation. */
const SAFETY_MS = 30_000;

/** What a step may learn about its own invocation. */
export interface StepContext {
  /** Milliseconds this invocation may still run (Lambda timeout minus a safety margin). */
  remainingMs?: number;
}

/** Who a step handler is and which ports it uses. */
export interface StepWiring {
  /** The handler file's name (`allocate-host`): the function in logs and metrics. */
  name: string;
  /**
   * The port groups its use case touches, imported from `lambdas/wiring/aws/`:
   * they are all the bundle holds, and the sandbox refuses any other.
   */
  ports: readonly PortGroup[];
}

/**
 * Builds a state-machine Task handler: parse the input with the step's
 * schema, call one use case with the function's ports, return its result.
 * Errors keep their class name, which the machine's Retry/Catch match.
 */
export function stepHandler<S extends z.Schema, O>(
  schema: S,
  useCase: (deps: Deps, input: z.output<S>, ctx: StepContext) => Promise<O>,
  wiring: StepWiring,
) {
  const handler = middy(async (event: unknown, context?: Partial<Context>): Promise<O> => {
    const parsed = z.safeParse(schema, event);
    if (!parsed.success) {
      throw new ValidationError(
        `invalid step input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
      );
    }
    const remaining = context?.getRemainingTimeInMillis?.();
    return useCase(portsFor(wiring.name, wiring.ports), parsed.data, {
      remainingMs: remaining === undefined ? undefined : Math.max(0, remaining - SAFETY_MS),
    });
  }).use(observability(wiring.name));
  // What the function declares, for the infra tests that check its permissions against it.
  return Object.assign(handler, { wiring });
}
