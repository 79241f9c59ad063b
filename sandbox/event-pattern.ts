/**
 * EventBridge event patterns (the subset rules here use): a field's array
 * lists accepted values; objects nest; content filters `prefix`,
 * `anything-but`, `exists` and `numeric` are supported.
 */
export type EventPattern = { [key: string]: unknown };

/** True when the event matches the pattern, with EventBridge's semantics for the supported subset. */
export function matchesPattern(pattern: EventPattern, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([key, rule]) => matchField(rule, event[key], key in event));
}

function matchField(rule: unknown, value: unknown, present: boolean): boolean {
  if (Array.isArray(rule)) {
    const values = Array.isArray(value) ? value : [value];
    return rule.some((r) => (isObject(r) ? matchFilter(r, value, present) : present && values.some((v) => v === r)));
  }
  if (isObject(rule)) {
    if (!isObject(value)) return false;
    return matchesPattern(rule, value);
  }
  return false;
}

function matchFilter(filter: Record<string, unknown>, value: unknown, present: boolean): boolean {
  if ('exists' in filter) return filter['exists'] === present;
  if (!present) return false;
  if ('prefix' in filter) return typeof value === 'string' && value.startsWith(String(filter['prefix']));
  if ('anything-but' in filter) {
    const but = filter['anything-but'];
    return Array.isArray(but) ? !but.includes(value) : value !== but;
  }
  if ('numeric' in filter && Array.isArray(filter['numeric']) && typeof value === 'number') {
    const ops = filter['numeric'] as Array<string | number>;
    for (let i = 0; i + 1 < ops.length; i += 2) {
      const op = ops[i];
      const n = Number(ops[i + 1]);
      const ok =
        op === '='
          ? value === n
          : op === '<'
            ? value < n
            : op === '<='
              ? value <= n
              : op === '>'
                ? value > n
                : op === '>='
                  ? value >= n
                  : false;
      if (!ok) return false;
    }
    return true;
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
