import * as z from '../../../shared/schema';

/**
 * Connection keys of the example provider: provider `settings` merged with
 * the referenced secret, checked by the registry before the driver is built.
 * Put credentials here (they arrive from the secret, never from the plan).
 */
export const exampleConnectionSchema = z.looseObject({
  /** The provider's API; a real driver would call it. */
  endpoint: z.optional(z.url()),
  /** A credential: only ever read from the connection secret. */
  token: z.optional(z.string().check(z.minLength(1))),
});

/** Parsed example connection. */
export type ExampleConnection = z.output<typeof exampleConnectionSchema>;
