import type { z } from 'zod';
import { HttpProblem } from './problem';

/**
 * Parses query parameters with a schema. A malformed query is the client's
 * syntax error, so it is a 400 (not the 422 of a well-formed but invalid
 * body), with one entry per parameter in `errors`.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string>): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new HttpProblem(
    400,
    'bad-request',
    'Invalid query parameters',
    `${parsed.error.issues.length} query parameter(s) are invalid`,
    parsed.error.issues.map((i) => ({ path: `query.${i.path.map(String).join('.')}`, message: i.message })),
  );
}
