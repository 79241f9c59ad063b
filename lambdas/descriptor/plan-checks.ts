import type { DeferredRef } from '../provisioning/plan';
import type { Diagnostics } from './diagnostics';
import { formatPath } from './format';
import type { MappedDatastore } from './map-datastores';
import type { MappedHost } from './map-hosts';
import type { MappedNetwork } from './map-networks';
import type { Path, Position } from './located';
import type { PendingDeferred } from './placeholders';

interface Named {
  name: string;
  at: Position;
  srcPath: Path;
  copy?: string;
}

/** Reports every name used twice within one kind of object (after count expansion). */
export function checkUniqueNames(kind: string, objects: Named[], diag: Diagnostics, hint = ''): void {
  const first = new Map<string, Named>();
  for (const object of objects) {
    const earlier = first.get(object.name);
    if (!earlier) {
      first.set(object.name, object);
      continue;
    }
    const where = (o: Named) => `${formatPath(o.srcPath)}${o.copy ? ` (${o.copy})` : ''}`;
    const sameTemplate = formatPath(earlier.srcPath) === formatPath(object.srcPath);
    diag.error(
      object.at,
      object.srcPath,
      `duplicate ${kind} name '${object.name}': ${where(object)} has the same name as ${where(earlier)}${sameTemplate ? hint : ''}`,
      'DuplicateNameError',
    );
  }
}

/** Reports host-key pins shared by several hosts: each host has its own key. */
export function checkHostKeyPins(hosts: MappedHost[], diag: Diagnostics): void {
  const seen = new Map<string, MappedHost>();
  for (const host of hosts) {
    const pin = host.plan.hostKeyPin;
    if (!pin) continue;
    const earlier = seen.get(pin);
    if (earlier) {
      diag.error(
        host.nameAt,
        [...host.srcPath, 'connection', 'host_key'],
        `host key pin of '${host.plan.name}' is also pinned for '${earlier.plan.name}': each host has its own key`,
        'SchemaError',
      );
    } else seen.set(pin, host);
  }
}

/**
 * Checks that `${OBJECT.ID.ATTR}` references name an object the plan
 * creates, and returns the references the plan lists in `deferred`.
 */
export function resolveDeferred(
  pending: PendingDeferred[],
  objects: { clusterName: string; hosts: MappedHost[]; datastores: MappedDatastore[]; networks: MappedNetwork[] },
  diag: Diagnostics,
): DeferredRef[] {
  const names: Record<string, string[]> = {
    cluster: [objects.clusterName],
    host: objects.hosts.map((h) => h.plan.name),
    datastore: objects.datastores.map((d) => d.plan.name),
    network: objects.networks.filter((n) => !n.plan.template).map((n) => n.plan.name),
    vntemplate: objects.networks.filter((n) => n.plan.template).map((n) => n.plan.name),
  };
  const out: DeferredRef[] = [];
  const seen = new Set<string>();
  for (const ref of pending) {
    if (ref.object && ref.selector !== undefined) {
      const problem = missingObject(ref.object, ref.selector, names[ref.object] ?? []);
      if (problem) {
        diag.error(ref.at, ref.srcPath, `unresolved reference \${${ref.ref}}: ${problem}`, 'UnresolvedReferenceError');
        continue;
      }
    }
    const key = `${ref.path}|${ref.ref}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: ref.path, ref: ref.ref, kind: ref.kind });
  }
  return out;
}

function missingObject(object: string, selector: string, names: string[]): string | undefined {
  if (/^\d+$/.test(selector)) {
    const index = Number(selector);
    if (index < names.length) return undefined;
    return names.length === 0
      ? `the provision defines no ${object}`
      : `${object} index ${index} is out of range (the provision defines ${names.length}: 0–${names.length - 1})`;
  }
  if (names.includes(selector)) return undefined;
  return names.length === 0 ? `the provision defines no ${object}` : `no ${object} is named '${selector}' (defined: ${names.join(', ')})`;
}
