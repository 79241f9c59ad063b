import { quote } from './describe-value';
import { scalarText, type LNode } from './located';
import type { InputType } from './raw-schema';

/** An input definition after its own checks: bounds parsed, options as text. */
export interface InputDefinition {
  name: string;
  type: InputType;
  min?: number;
  max?: number;
  options?: string[];
  /** The declared default, when there is one. */
  defaultNode?: LNode;
}

/** A checked input value: text, or a list for `array` inputs. */
export type InputValue = string | string[];

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAP_TEXT = /^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$/;

/** True for input types whose values are never shown. */
export function isSecretInput(type: InputType): boolean {
  return type === 'password';
}

function shown(def: InputDefinition, text: string): string {
  return isSecretInput(def.type) ? 'a hidden value' : quote(text);
}

/**
 * Checks a value against an input's type, bounds and options, the way
 * oneprovision 6.x does (booleans are YES/NO, arrays are comma separated).
 */
export function checkInputValue(def: InputDefinition, node: LNode): { ok: true; value: InputValue } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message: `input '${def.name}' ${message}` });
  if (def.type === 'array') return checkArray(node, fail);
  if (def.type === 'map') return checkMap(def, node, fail);
  if (node.kind !== 'scalar' || node.value === null) {
    return fail(
      `(${def.type}) expected a single value, found ${node.kind === 'seq' ? 'a list' : node.kind === 'map' ? 'a mapping' : 'an empty value'}`,
    );
  }
  const text = scalarText(node);
  switch (def.type) {
    case 'boolean': {
      const upper = text.toUpperCase();
      if (upper === 'YES' || upper === 'TRUE') return { ok: true, value: 'YES' };
      if (upper === 'NO' || upper === 'FALSE') return { ok: true, value: 'NO' };
      return fail(`(boolean) expected YES or NO, found ${shown(def, text)}`);
    }
    case 'number':
    case 'range':
      if (!INTEGER.test(text)) return fail(`(${def.type}) expected an integer, found ${shown(def, text)}`);
      return inBounds(def, text, fail);
    case 'number-float':
    case 'range-float':
      if (!FLOAT.test(text)) return fail(`(${def.type}) expected a number, found ${shown(def, text)}`);
      return inBounds(def, text, fail);
    case 'list':
      return inOptions(def, text, fail) ?? { ok: true, value: text };
    default:
      return inOptions(def, text, fail) ?? { ok: true, value: text };
  }
}

type Fail = (message: string) => { ok: false; message: string };

function inBounds(def: InputDefinition, text: string, fail: Fail): { ok: true; value: InputValue } | { ok: false; message: string } {
  const n = Number(text);
  const range = `${def.min ?? '-∞'}..${def.max ?? '∞'}`;
  if (def.min !== undefined && n < def.min) return fail(`must be at least ${def.min} (range ${range}), found ${shown(def, text)}`);
  if (def.max !== undefined && n > def.max) return fail(`must be at most ${def.max} (range ${range}), found ${shown(def, text)}`);
  return inOptions(def, text, fail) ?? { ok: true, value: text };
}

function inOptions(def: InputDefinition, text: string, fail: Fail): { ok: false; message: string } | undefined {
  if (!def.options || def.options.includes(text)) return undefined;
  return fail(`must be one of ${def.options.map(quote).join(', ')}, found ${shown(def, text)}`);
}

function checkArray(node: LNode, fail: Fail): { ok: true; value: InputValue } | { ok: false; message: string } {
  if (node.kind === 'seq') {
    const items: string[] = [];
    for (const item of node.items) {
      if (item.kind !== 'scalar' || item.value === null) return fail('(array) expected a list of values, found a nested value');
      items.push(scalarText(item));
    }
    return { ok: true, value: items };
  }
  if (node.kind === 'scalar' && node.value !== null) {
    const items = scalarText(node)
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (items.length > 0) return { ok: true, value: items };
  }
  return fail(`(array) expected comma-separated values or a list, found ${node.kind === 'map' ? 'a mapping' : 'an empty value'}`);
}

function checkMap(def: InputDefinition, node: LNode, fail: Fail): { ok: true; value: InputValue } | { ok: false; message: string } {
  if (node.kind === 'map') {
    const parts: string[] = [];
    for (const [key, entry] of node.entries) {
      if (entry.value.kind !== 'scalar') return fail('(map) expected KEY: VALUE pairs, found a nested value');
      parts.push(`${key}=${scalarText(entry.value)}`);
    }
    return { ok: true, value: parts.join(',') };
  }
  if (node.kind === 'scalar' && node.value !== null && MAP_TEXT.test(scalarText(node))) {
    return { ok: true, value: scalarText(node) };
  }
  const found = node.kind === 'scalar' ? shown(def, scalarText(node)) : 'a list';
  return fail(`(map) expected KEY=VALUE pairs separated by commas, found ${found}`);
}
