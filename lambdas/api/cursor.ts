import { HttpProblem } from './problem';

/** Key fields a page cursor carries (the table's and its index's keys). */
const CURSOR_KEYS = ['PK', 'SK', 'GSI1PK', 'GSI1SK'] as const;

function malformed(detail: string): HttpProblem {
  return new HttpProblem(400, 'bad-request', 'Invalid cursor', detail, [
    { path: 'query.cursor', message: 'not a cursor this API issued for this listing' },
  ]);
}

/**
 * Checks a paging cursor before it reaches the table: it must be one this
 * API issued, for this caller's listing (and state filter). A malformed or
 * foreign cursor is a 400, never a silent restart from the first page and
 * never a 500 from the database refusing the start key.
 */
export function checkCursor(cursor: string | undefined, expected: { partition: string; sortPrefix?: string }): string | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed('the cursor does not decode');
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw malformed('the cursor does not decode');
  const fields = key as Record<string, unknown>;
  const names = Object.keys(fields).sort();
  if (names.join() !== [...CURSOR_KEYS].sort().join() || !names.every((n) => typeof fields[n] === 'string'))
    throw malformed('the cursor does not decode');
  if (fields['GSI1PK'] !== expected.partition) throw malformed('the cursor belongs to another listing');
  if (expected.sortPrefix && !String(fields['GSI1SK']).startsWith(expected.sortPrefix))
    throw malformed('the cursor belongs to another state filter');
  return cursor;
}
