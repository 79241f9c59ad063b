import type { ProvisionPlan } from '../provisioning/plan';
import { attributeName, attributePath, renderText, type MapContext } from './map-context';
import { isValueScalar, itemsOf, valueOf, type Path } from './located';

const NOT_ATTRIBUTES = new Set(['name', 'description', 'datastores', 'provision']);

/**
 * Maps `cluster` (named after the provision when absent). Its
 * `provision.cidr` is the address block of the provider network (a VPC on
 * AWS), so it becomes a provider setting.
 */
export function mapCluster(ctx: MapContext, provisionName: string): ProvisionPlan['cluster'] {
  const cluster = valueOf(ctx.root, 'cluster');
  const srcPath: Path = ['cluster'];
  const name = renderText(ctx, valueOf(cluster, 'name'), [...srcPath, 'name'], 'cluster.name') || provisionName;
  const out: ProvisionPlan['cluster'] = { name, attributes: {}, datastoreIds: [] };
  const description = renderText(ctx, valueOf(cluster, 'description'), [...srcPath, 'description'], 'cluster.description');
  if (description !== undefined) out.description = description;
  for (const item of itemsOf(valueOf(cluster, 'datastores'))) {
    if (isValueScalar(item) && typeof item.value === 'number') out.datastoreIds.push(item.value);
  }
  const cidrPath: Path = [...srcPath, 'provision', 'cidr'];
  const cidr = renderText(ctx, valueOf(valueOf(cluster, 'provision'), 'cidr'), cidrPath, 'provider.settings.cidr');
  if (cidr !== undefined) ctx.connection.settings.cidr = cidr;
  if (cluster?.kind === 'map') {
    for (const [key, entry] of cluster.entries) {
      if (NOT_ATTRIBUTES.has(key)) continue;
      const attr = attributeName(key);
      const value = renderText(ctx, entry.value, [...srcPath, key], attributePath('cluster.attributes', attr));
      if (value !== undefined) out.attributes[attr] = value;
    }
  }
  return out;
}
