/**
 * How deep a request body or descriptor may nest. Real descriptors nest
 * fewer than ten levels; a bound keeps recursive validation, rendering and
 * storage (DynamoDB allows 32 levels in an item, the plan sits two below the top) far from their limits.
 */
export const MAX_NESTING_DEPTH = 20;

/**
 * The nesting depth of a JSON-like value (a scalar is 0, `{}` and `[]` are 1),
 * computed without recursion; stops counting past `limit`.
 */
export function nestingDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop() as { value: unknown; depth: number };
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(next.value) ? next.value : Object.values(next.value)) stack.push({ value: child, depth });
  }
  return deepest;
}
