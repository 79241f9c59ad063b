import type { LEntry, LMap, LNode } from './located';

/** `defaults` sections that are hash-merged across `extends` (oneprovision 6.x). */
const MERGED_DEFAULT_SECTIONS = new Set(['connection', 'provision', 'configuration']);

/**
 * Merges an extending file over its base the way oneprovision 6.x does:
 * lists concatenate (base first), other values are replaced, and each
 * `defaults.{connection,provision,configuration}` section is hash-merged.
 * `playbook` (5.12/6.0) accumulates into a list.
 */
export function mergeDescriptor(base: LMap, child: LMap): LMap {
  const entries = new Map(base.entries);
  for (const [key, entry] of child.entries) {
    if (key === 'extends') continue;
    const previous = entries.get(key);
    if (!previous) {
      entries.set(key, entry);
    } else if (key === 'defaults') {
      entries.set(key, { ...entry, value: mergeDefaults(previous.value, entry.value) });
    } else if (key === 'playbook' || (previous.value.kind === 'seq' && entry.value.kind === 'seq')) {
      entries.set(key, { ...entry, value: concat(previous.value, entry.value) });
    } else {
      entries.set(key, entry);
    }
  }
  return { kind: 'map', entries, at: base.at, span: base.span };
}

function mergeDefaults(base: LNode, child: LNode): LNode {
  if (base.kind !== 'map' || child.kind !== 'map') return child.kind === 'scalar' && child.value === null ? base : child;
  const entries = new Map(base.entries);
  for (const [key, entry] of child.entries) {
    const previous = entries.get(key);
    if (previous && MERGED_DEFAULT_SECTIONS.has(key)) {
      entries.set(key, { ...entry, value: shallowMerge(previous.value, entry.value) });
    } else {
      entries.set(key, entry);
    }
  }
  return { ...child, entries };
}

/** Keys of `over` replace those of `base`; an empty (null) section changes nothing. */
export function shallowMerge(base: LNode, over: LNode): LNode {
  if (over.kind === 'scalar' && over.value === null) return base;
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const entries = new Map<string, LEntry>(base.entries);
  for (const [key, entry] of over.entries) entries.set(key, entry);
  return { ...over, entries };
}

function concat(a: LNode, b: LNode): LNode {
  const items = [...asItems(a), ...asItems(b)];
  return { kind: 'seq', items, at: b.at, span: b.span };
}

function asItems(node: LNode): LNode[] {
  if (node.kind === 'seq') return node.items;
  return node.kind === 'scalar' && node.value === null ? [] : [node];
}
