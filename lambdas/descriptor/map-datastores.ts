import type { DatastorePlan } from '../provisioning/plan';
import { attributeName, attributePath, renderText, requireValue, type MapContext } from './map-context';
import { itemsOf, valueOf, type Path, type Position } from './located';
import { hasUnresolvedInput } from './placeholders';

/** A mapped datastore and where its name was written. */
export interface MappedDatastore {
  plan: DatastorePlan;
  nameAt: Position;
  srcPath: Path;
}

const DATASTORE_TYPES = ['image_ds', 'system_ds', 'file_ds'] as const;
type DatastoreType = (typeof DATASTORE_TYPES)[number];
/** Keys that are not OpenNebula datastore attributes. */
const NOT_ATTRIBUTES = new Set(['name', 'type', 'provision', 'meta']);

/**
 * Maps `datastores`: like oneprovision, each needs `tm_mad` and either a
 * `type` or a `ds_mad` (an image datastore); other keys become attributes.
 */
export function mapDatastores(ctx: MapContext): MappedDatastore[] {
  const out: MappedDatastore[] = [];
  itemsOf(valueOf(ctx.root, 'datastores')).forEach((ds, i) => {
    if (ds.kind !== 'map') return;
    const srcPath: Path = ['datastores', i];
    const planBase = `datastores[${out.length}]`;
    const nameNode = valueOf(ds, 'name');
    const name = renderText(ctx, nameNode, [...srcPath, 'name'], `${planBase}.name`);
    const tmMad = renderText(ctx, valueOf(ds, 'tm_mad'), [...srcPath, 'tm_mad'], `${planBase}.attributes.TM_MAD`);
    const okName = requireValue(ctx, name, nameNode, ds.at, [...srcPath, 'name'], 'a datastore name');
    const okTm = requireValue(ctx, tmMad, valueOf(ds, 'tm_mad'), ds.at, [...srcPath, 'tm_mad'], 'the transfer driver (tm_mad), e.g. ssh');
    const type = datastoreType(ctx, ds, srcPath, planBase);
    if (!okName || !okTm || !type) return;
    const attributes: Record<string, string> = {};
    for (const [key, entry] of ds.entries) {
      if (NOT_ATTRIBUTES.has(key)) continue;
      const attr = attributeName(key);
      const value = renderText(ctx, entry.value, [...srcPath, key], attributePath(`${planBase}.attributes`, attr));
      if (value !== undefined) attributes[attr] = value;
    }
    out.push({ plan: { name, type, attributes }, nameAt: nameNode?.at ?? ds.at, srcPath });
  });
  return out;
}

function datastoreType(ctx: MapContext, ds: Parameters<typeof valueOf>[0], srcPath: Path, planBase: string): DatastoreType | undefined {
  const typeNode = valueOf(ds, 'type');
  const type = renderText(ctx, typeNode, [...srcPath, 'type'], `${planBase}.type`)?.toLowerCase();
  if (type === undefined) {
    // OpenNebula's default datastore type is IMAGE_DS; oneprovision accepts ds_mad alone.
    if (valueOf(ds, 'ds_mad')) return 'image_ds';
    ctx.diag.error(
      ds?.at ?? ctx.root.at,
      [...srcPath, 'type'],
      `required: expected a type (${DATASTORE_TYPES.join(', ')}) or a ds_mad, found nothing`,
      'RequiredFieldError',
    );
    return undefined;
  }
  if ((DATASTORE_TYPES as readonly string[]).includes(type)) return type as DatastoreType;
  if (hasUnresolvedInput(type)) return undefined;
  ctx.diag.error(
    typeNode?.at ?? ctx.root.at,
    [...srcPath, 'type'],
    `expected one of ${DATASTORE_TYPES.join(', ')}, found '${type}'`,
    'SchemaError',
  );
  return undefined;
}
