import type { z } from 'zod';
import type { Diagnostics } from './diagnostics';
import { describeFound, quote } from './describe-value';
import { locate, type LNode, type Path } from './located';

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

/** Keys of the strict (native) sections, named in unknown-key messages. */
const ALLOWED_KEYS: Record<string, string[]> = {
  failure_policy: ['min_healthy_hosts', 'on_error'],
  overlay: ['mode', 'vni'],
};

/**
 * Validates located data with a zod schema and reports each issue at the
 * position of the value it is about, as "expected X, found Y".
 * Returns true when the data matched.
 */
export function checkWithSchema(schema: z.ZodType, node: LNode, plain: unknown, diag: Diagnostics, prefix: Path = []): boolean {
  const result = schema.safeParse(plain);
  if (result.success) return true;
  for (const issue of result.error.issues) report(issue, node, diag, prefix);
  return false;
}

function report(issue: z.core.$ZodIssue, root: LNode, diag: Diagnostics, prefix: Path): void {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) {
      const found = locate(root, [...path, key]);
      const at = found.keyAt ?? found.node.at;
      const allowed = ALLOWED_KEYS[String(path[path.length - 1] ?? '')];
      const hint = allowed ? ` (expected one of ${allowed.join(', ')})` : '';
      diag.error(at, [...prefix, ...path, key], `unknown key ${quote(key)}${hint}`, 'SchemaError');
    }
    return;
  }
  const found = locate(root, path);
  const node = found.exact ? found.node : undefined;
  const fullPath = [...prefix, ...path];
  const foundText = describeFound(node, path);
  if (!found.exact || (node?.kind === 'scalar' && node.value === null && issue.code === 'invalid_type')) {
    diag.error(found.node.at, fullPath, `required: ${expectedText(issue)}, found ${foundText}`, 'RequiredFieldError');
    return;
  }
  diag.error(found.node.at, fullPath, `${expectedText(issue)}, found ${foundText}`, 'SchemaError');
}

function expectedText(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith('expected ')) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => quote(String(v))).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `expected at least ${String(issue.minimum)} characters`
        : issue.origin === 'array'
          ? `expected at least ${String(issue.minimum)} items`
          : `expected a value ${issue.inclusive ? '≥' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `expected at most ${String(issue.maximum)} characters`
        : issue.origin === 'array'
          ? `expected at most ${String(issue.maximum)} items`
          : `expected a value ${issue.inclusive ? '≤' : '<'} ${String(issue.maximum)}`;
    case 'invalid_format':
      return `expected ${issue.format === 'regex' ? 'a value matching the required format' : issue.format}`;
    default:
      return `expected a valid value`;
  }
}
