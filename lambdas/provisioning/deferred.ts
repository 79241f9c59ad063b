import type { Attributes } from './plan';

const PLACEHOLDER = /\$\{([a-zA-Z0-9_.-]+)\}/g;

/** Values known when a deferred placeholder is resolved. */
export interface DeferredValues {
  clusterId?: number;
  /** Facts reported by configured hosts, merged (`updates.NAME`). */
  updates?: Record<string, string>;
}

/**
 * Substitutes `${cluster.0.id}` and `${updates.NAME}` where the value is known.
 * Returns the attributes that are fully resolved and the names still waiting.
 */
export function resolveDeferred(attributes: Attributes, values: DeferredValues): { ready: Attributes; waiting: string[] } {
  const ready: Attributes = {};
  const waiting: string[] = [];
  for (const [key, raw] of Object.entries(attributes)) {
    let unresolved = false;
    const value = raw.replace(PLACEHOLDER, (whole, ref: string) => {
      const [kind, a, b] = ref.split('.');
      if (kind === 'cluster' && a === '0' && b === 'id' && values.clusterId !== undefined) return String(values.clusterId);
      if (kind === 'updates' && a && values.updates?.[a] !== undefined) return values.updates[a];
      unresolved = true;
      return whole;
    });
    if (unresolved) waiting.push(key);
    else ready[key] = value;
  }
  return { ready, waiting };
}
