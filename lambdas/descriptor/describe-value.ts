import { isSecretKey } from './secret-keys';
import type { LNode, Path } from './located';

const MAX_SHOWN = 60;

/** Quotes a string for a message, shortened so a long value cannot flood the output. */
export function quote(text: string): string {
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return `'${shown.replace(/\n/g, '\\n')}'`;
}

/** True when the last key of a path names a credential. */
export function isSecretPath(path: Path): boolean {
  const last = [...path].reverse().find((s): s is string => typeof s === 'string');
  return last !== undefined && isSecretKey(last);
}

/**
 * Describes what was found at a path, for "expected X, found Y" messages.
 * Values under credential keys are never shown.
 */
export function describeFound(node: LNode | undefined, path: Path): string {
  if (!node) return 'nothing';
  switch (node.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    case 'scalar':
      if (node.value === null) return 'an empty value';
      if (isSecretPath(path)) return `a ${typeof node.value} (value hidden)`;
      if (typeof node.value === 'string') return `the string ${quote(node.value)}`;
      return `the ${typeof node.value} ${String(node.value)}`;
  }
}
