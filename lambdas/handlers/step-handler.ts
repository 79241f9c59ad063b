import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { getDeps } from '../wiring/container';
import { ValidationError } from '../shared/errors';
import type { Deps } from '../provisioning/ports/deps';

/** Time kept in reserve when a step hands over to its next invocation. */
const SAFETY_MS = 30_000;

/** What a step may learn about its own invocation. */
export interface StepContext {
  /** Milliseconds this invocation may still run (Lambda timeout minus a safety margin). */
  remainingMs?: number;
}

/**
 * Builds a state-machine Task handler: parse the input with the step's
 * schema, call one use case with the process's ports, return its result.
 * Errors keep their class name, which the machine's Retry/Catch match.
 */
export function stepHandler<S extends z.ZodType, O>(schema: S, useCase: (deps: Deps, input: z.infer<S>, ctx: StepContext) => Promise<O>) {
  return middy(async (event: unknown, context?: Partial<Context>): Promise<O> => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      throw new ValidationError(
        `invalid step input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
      );
    }
    const remaining = context?.getRemainingTimeInMillis?.();
    return useCase(await getDeps(), parsed.data, { remainingMs: remaining === undefined ? undefined : Math.max(0, remaining - SAFETY_MS) });
  });
}
