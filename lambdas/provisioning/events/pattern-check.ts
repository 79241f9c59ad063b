/** Longest pattern EventBridge accepts in `PutRule` (characters of its JSON). */
export const MAX_PATTERN_LENGTH = 4096;

const NUMERIC_OPS = ['<', '<=', '=', '>', '>='];

type Issue = { path: string; message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkFilter(filter: Record<string, unknown>, path: string): Issue[] {
  const keys = Object.keys(filter);
  if (keys.length !== 1) return [{ path, message: 'a content filter has exactly one of prefix, anything-but, exists, numeric' }];
  const [key] = keys as [string];
  const v = filter[key];
  switch (key) {
    case 'prefix':
      return typeof v === 'string' ? [] : [{ path: `${path}.prefix`, message: 'must be a string' }];
    case 'exists':
      return typeof v === 'boolean' ? [] : [{ path: `${path}.exists`, message: 'must be true or false' }];
    case 'anything-but': {
      const values = Array.isArray(v) ? v : [v];
      return values.length > 0 && values.every((x) => ['string', 'number'].includes(typeof x))
        ? []
        : [{ path: `${path}.anything-but`, message: 'must be a string, a number, or a list of them' }];
    }
    case 'numeric': {
      const ops = Array.isArray(v) ? v : [];
      const pairs = ops.length === 2 || ops.length === 4;
      const valid = pairs && ops.every((x, i) => (i % 2 === 0 ? NUMERIC_OPS.includes(x as string) : typeof x === 'number'));
      return valid
        ? []
        : [{ path: `${path}.numeric`, message: 'must be [op, number] or [op, number, op, number] with op one of < <= = > >=' }];
    }
    default:
      return [{ path: `${path}.${key}`, message: 'unsupported content filter (use prefix, anything-but, exists or numeric)' }];
  }
}

function checkLevel(pattern: Record<string, unknown>, path: string): Issue[] {
  const issues: Issue[] = [];
  if (Object.keys(pattern).length === 0) return [{ path, message: 'must name at least one field' }];
  for (const [key, rule] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (isObject(rule)) issues.push(...checkLevel(rule, at));
    else if (Array.isArray(rule)) {
      if (rule.length === 0) issues.push({ path: at, message: 'must list at least one value' });
      rule.forEach((leaf, i) => {
        if (isObject(leaf)) issues.push(...checkFilter(leaf, `${at}.${i}`));
        else if (!['string', 'number', 'boolean'].includes(typeof leaf) && leaf !== null) {
          issues.push({ path: `${at}.${i}`, message: 'must be a string, number, boolean, null or content filter' });
        }
      });
    } else issues.push({ path: at, message: 'must be a list of values or a nested object' });
  }
  return issues;
}

/**
 * Checks a user's teardown pattern against the EventBridge pattern grammar
 * both the AWS rules and the sandbox's local bus understand: nested objects,
 * lists of values, and the content filters `prefix`, `anything-but`,
 * `exists`, `numeric`. A bad pattern is refused at create, not when the
 * provision is RUNNING and its rule would be created.
 */
export function checkEventPattern(pattern: unknown, path = 'teardownOn'): Issue[] {
  if (!isObject(pattern)) return [{ path, message: 'must be an object (an EventBridge event pattern)' }];
  const length = JSON.stringify(pattern).length;
  if (length > MAX_PATTERN_LENGTH) return [{ path, message: `is ${length} characters long; EventBridge accepts ${MAX_PATTERN_LENGTH}` }];
  return checkLevel(pattern, path);
}
