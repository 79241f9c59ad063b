import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { datastoreXml, poolXml } from '../bodies';
import { DATASTORE_TYPES, DISK_TYPES, DS_MADS, TM_MAD_CONF } from '../drivers';
import type { OnedEngine } from '../engine';
import { invalidName } from '../names';
import { allocateFailed, deleteRefused, internalFailed, noExists, okInt, okString, type CallResult } from '../results';
import { basePath } from '../state';
import { defaultAttr, getAttr, parseTemplate, removeAttr, setAttr } from '../template';
import type { MethodSpec } from './spec';
import { int, str } from './spec';
import { updateTemplate } from './update';

const OBJ = 'datastore';

function diskTypeOf(template: Parameters<typeof getAttr>[0]): number {
  return DISK_TYPES[(getAttr(template, 'DISK_TYPE') ?? 'FILE').toUpperCase()] ?? 0;
}

/** `Datastore::insert`: template validation, then the defaults oned adds from the TM driver. */
function allocate(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult {
  const parsed = parseTemplate(str(args, 0));
  if (!parsed.ok) return internalFailed(method, parsed.error);
  const template = parsed.template;
  const requested = int(args, 1);
  const clusterId = requested === -1 ? 0 : requested;
  if (!engine.cluster(clusterId)) return noExists(method, 'cluster', clusterId);
  const name = getAttr(template, 'NAME') ?? '';
  const bad = invalidName(name);
  if (bad) return allocateFailed(method, OBJ, bad);
  const taken = engine.state.datastores.find((d) => d.name === name);
  if (taken) return allocateFailed(method, OBJ, `NAME is already taken by DATASTORE ${taken.id}.`);

  const typeName = (getAttr(template, 'TYPE') ?? '').toUpperCase();
  const type = DATASTORE_TYPES[typeName] ?? 0;
  const dsMad = getAttr(template, 'DS_MAD');
  const tmMad = getAttr(template, 'TM_MAD');
  if (type === 1 && dsMad !== undefined) return allocateFailed(method, OBJ, 'SYSTEM datastores cannot have DS_MAD defined.');
  if (type !== 1) {
    if (dsMad === undefined || dsMad === '') return allocateFailed(method, OBJ, 'No DS_MAD in template.');
    if (!DS_MADS.has(dsMad)) return allocateFailed(method, OBJ, `DS_MAD named "${dsMad}" is not defined in oned.conf`);
  }
  const tm = tmMad === undefined ? undefined : TM_MAD_CONF[tmMad];
  if (type !== 3) {
    if (tmMad === undefined || tmMad === '') return allocateFailed(method, OBJ, 'No TM_MAD in template.');
    if (!tm) return allocateFailed(method, OBJ, `TM_MAD named "${tmMad}" is not defined in oned.conf`);
  }

  const id = engine.nextId('datastore');
  removeAttr(template, 'NAME');
  setAttr(template, 'TYPE', Object.keys(DATASTORE_TYPES)[type] ?? 'IMAGE_DS');
  if (!template.some(([n]) => n === 'SAFE_DIRS' || n === 'RESTRICTED_DIRS')) {
    setAttr(template, 'SAFE_DIRS', '/var/tmp');
    setAttr(template, 'RESTRICTED_DIRS', '/');
  }
  if (tm) {
    defaultAttr(template, 'ALLOW_ORPHANS', tm.ALLOW_ORPHANS);
    if (type === 1) {
      defaultAttr(template, 'SHARED', tm.SHARED);
      defaultAttr(template, 'DS_MIGRATE', tm.DS_MIGRATE);
      defaultAttr(template, 'DS_LIVE_MIGRATE', 'YES');
      defaultAttr(template, 'DS_MIGRATE_SNAP', 'YES');
      defaultAttr(template, 'DISK_TYPE', tm.DISK_TYPE ?? 'FILE');
    } else {
      defaultAttr(template, 'LN_TARGET', tm.LN_TARGET);
      defaultAttr(template, 'CLONE_TARGET', tm.CLONE_TARGET);
      if (type === 0 && tm.DISK_TYPE) defaultAttr(template, 'DISK_TYPE', tm.DISK_TYPE);
      if (type === 0 && tm.DRIVER) defaultAttr(template, 'DRIVER', tm.DRIVER);
    }
  }
  defaultAttr(template, 'PERSISTENT_SNAPSHOTS', 'YES');
  engine.state.datastores.push({
    id,
    name,
    type,
    dsMad: type === 1 ? '-' : (dsMad ?? '-'),
    tmMad: tmMad ?? '-',
    basePath: basePath(id),
    clusterIds: [clusterId],
    imageIds: [],
    template,
  });
  return okInt(id);
}

/** `one.datastore.*` and `one.datastorepool.info`. */
export const datastoreMethods: Record<string, MethodSpec> = {
  'one.datastore.allocate': { params: ['s', 'i'], run: allocate },
  'one.datastore.delete': {
    params: ['i'],
    run(engine, method, args) {
      const id = int(args, 0);
      const ds = engine.datastore(id);
      if (!ds) return noExists(method, OBJ, id);
      if (ds.imageIds.length > 0) return deleteRefused(method, OBJ, `Datastore ${id} is not empty.`);
      engine.state.datastores = engine.state.datastores.filter((d) => d.id !== id);
      engine.touch();
      return okInt(id);
    },
  },
  'one.datastore.info': {
    params: ['i'],
    optional: ['b'],
    run(engine, method, args) {
      const ds = engine.datastore(int(args, 0));
      if (!ds) return noExists(method, OBJ, int(args, 0));
      return okString(datastoreXml(ds, diskTypeOf(ds.template)));
    },
  },
  'one.datastorepool.info': {
    params: [],
    run(engine) {
      const bodies = engine.ordered(engine.state.datastores).map((d) => datastoreXml(d, diskTypeOf(d.template)));
      return okString(poolXml('DATASTORE_POOL', bodies));
    },
  },
  'one.datastore.update': {
    params: ['i', 's'],
    optional: ['i'],
    run: (engine, method, args) =>
      updateTemplate(
        engine,
        method,
        args,
        (id) => engine.datastore(id),
        (id) => noExists(method, OBJ, id),
      ),
  },
};
