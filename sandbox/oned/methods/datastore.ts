import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { datastoreXml, poolXml } from '../bodies';
import { DATASTORE_TYPES, DISK_TYPES, DS_MAD_CONF, TM_MAD_CONF, type TmConf } from '../drivers';
import type { OnedEngine } from '../engine';
import { invalidName } from '../names';
import { deleteRefused, internalFailed, noExists, okInt, okString, type CallResult } from '../results';
import { basePath } from '../state';
import { getAttr, parseTemplate, removeAttr, setAttr, type SimTemplate } from '../template';
import type { MethodSpec } from './spec';
import { int, str, infoMethod } from './spec';
import { updateMethod } from './update';

const OBJ = 'datastore';

function diskTypeOf(template: Parameters<typeof getAttr>[0]): number {
  return DISK_TYPES[(getAttr(template, 'DISK_TYPE') ?? 'FILE').toUpperCase()] ?? 0;
}

const yesNo = (value: string | undefined, fallback: boolean): string => {
  const v = (value ?? '').toUpperCase();
  if (v === 'YES' || v === 'TRUE') return 'YES';
  if (v === 'NO' || v === 'FALSE') return 'NO';
  return fallback ? 'YES' : 'NO';
};

/** `Datastore::set_ds_mad`: the driver must be configured, and its REQUIRED_ATTRS given. */
function checkDsMad(template: SimTemplate, type: number, dsMad: string): string | undefined {
  if (type === 1) return undefined;
  const conf = DS_MAD_CONF[dsMad];
  if (!conf) return `DS_MAD named "${dsMad}" is not defined in oned.conf`;
  for (const required of conf.REQUIRED_ATTRS) {
    if ((getAttr(template, required) ?? '') === '') return `Datastore template is missing the "${required}" attribute or it's empty.`;
  }
  return undefined;
}

/** `Datastore::set_tm_mad`: what the transfer driver's TM_MAD_CONF adds to the template. */
function applyTmMad(template: SimTemplate, type: number, tm: TmConf): void {
  if (type === 1) {
    setAttr(template, 'SHARED', yesNo(tm.SHARED, false));
    setAttr(template, 'DS_MIGRATE', yesNo(tm.DS_MIGRATE, true));
    setAttr(template, 'DS_LIVE_MIGRATE', yesNo(tm.DS_LIVE_MIGRATE, false));
    setAttr(template, 'DS_MIGRATE_SNAP', yesNo(tm.DS_MIGRATE_SNAP, false));
    removeAttr(template, 'LN_TARGET');
    removeAttr(template, 'CLONE_TARGET');
  } else {
    if (tm.TM_MAD_SYSTEM) {
      setAttr(template, 'TM_MAD_SYSTEM', tm.TM_MAD_SYSTEM);
      setAttr(template, 'LN_TARGET_SSH', tm.LN_TARGET_SSH ?? 'SYSTEM');
      setAttr(template, 'CLONE_TARGET_SSH', tm.CLONE_TARGET_SSH ?? 'SYSTEM');
      setAttr(template, 'DISK_TYPE_SSH', tm.DISK_TYPE_SSH ?? 'FILE');
    }
    setAttr(template, 'LN_TARGET', tm.LN_TARGET);
    setAttr(template, 'CLONE_TARGET', tm.CLONE_TARGET);
    if (tm.DRIVER) setAttr(template, 'DRIVER', tm.DRIVER);
    if (tm.DISK_TYPE) setAttr(template, 'DISK_TYPE', tm.DISK_TYPE);
    removeAttr(template, 'SHARED');
  }
  if (type !== 3) {
    setAttr(template, 'ALLOW_ORPHANS', tm.ALLOW_ORPHANS ?? 'NO');
    setAttr(template, 'PERSISTENT_SNAPSHOTS', yesNo(tm.PERSISTENT_SNAPSHOTS, true));
  }
}

/** `Datastore::set_ds_disk_type`: which disk types each datastore type accepts. */
function checkDiskType(template: SimTemplate, type: number): string | undefined {
  const given = getAttr(template, 'DISK_TYPE');
  removeAttr(template, 'DISK_TYPE');
  const name = given === undefined || given === '' ? 'FILE' : given.toUpperCase();
  const diskType = DISK_TYPES[name];
  if (type === 2 || type === 3) return undefined;
  if (diskType === undefined) return 'Unknown DISK_TYPE in template.';
  const valid = type === 0 ? [0, 2, 9, 3, 5, 7, 10] : [0, 3, 2, 10];
  if (!valid.includes(diskType))
    return type === 0 ? 'Invalid DISK_TYPE for an Image Datastore.' : 'Invalid DISK_TYPE for a System Datastore.';
  setAttr(template, 'DISK_TYPE', name);
  return undefined;
}

/** `Datastore::insert`, in oned's order: drivers, disk type, then the default directories. */
function allocate(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult {
  const parsed = parseTemplate(str(args, 0));
  if (!parsed.ok) return internalFailed(method, parsed.error);
  const template = parsed.template;
  const requested = int(args, 1);
  const clusterId = requested === -1 ? 0 : requested;
  if (!engine.cluster(clusterId)) return noExists(method, 'cluster', clusterId);
  const name = getAttr(template, 'NAME') ?? '';
  const bad = invalidName(name);
  if (bad) return internalFailed(method, bad);
  const taken = engine.state.datastores.find((d) => d.name === name);
  if (taken) return internalFailed(method, `NAME is already taken by DATASTORE ${taken.id}.`);

  const refused = (detail: string): CallResult => {
    engine.failedInsert('datastore');
    return internalFailed(method, detail);
  };
  removeAttr(template, 'NAME');
  const typeName = (getAttr(template, 'TYPE') ?? '').toUpperCase();
  const type = DATASTORE_TYPES[typeName] ?? 0;
  const givenDsMad = getAttr(template, 'DS_MAD') ?? '';
  if (type === 1 && givenDsMad !== '') return refused('SYSTEM datastores cannot have DS_MAD defined.');
  if (type !== 1 && givenDsMad === '') return refused('No DS_MAD in template.');
  const dsMad = type === 1 ? '-' : givenDsMad;
  const dsError = checkDsMad(template, type, dsMad);
  if (dsError) return refused(dsError);
  const tmMad = getAttr(template, 'TM_MAD') ?? '';
  if (type !== 3) {
    if (tmMad === '') return refused('No TM_MAD in template.');
    const tm = TM_MAD_CONF[tmMad];
    if (!tm) return refused(`TM_MAD named "${tmMad}" is not defined in oned.conf`);
    applyTmMad(template, type, tm);
  }
  removeAttr(template, 'BASE_PATH');
  const diskError = checkDiskType(template, type);
  if (diskError) return refused(diskError);
  if ((getAttr(template, 'SAFE_DIRS') ?? '') === '' && (getAttr(template, 'RESTRICTED_DIRS') ?? '') === '') {
    setAttr(template, 'SAFE_DIRS', '/var/tmp');
    setAttr(template, 'RESTRICTED_DIRS', '/');
  }
  if (typeName === '' || DATASTORE_TYPES[typeName] === undefined)
    setAttr(template, 'TYPE', Object.keys(DATASTORE_TYPES)[type] ?? 'IMAGE_DS');
  else setAttr(template, 'TYPE', typeName);
  const id = engine.nextId('datastore');
  engine.state.datastores.push({
    id,
    name,
    type,
    dsMad,
    tmMad: type === 3 ? '-' : tmMad,
    basePath: basePath(id),
    clusterIds: [clusterId],
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
      if (engine.imageIdsOf(id).length > 0) return deleteRefused(method, OBJ, `Datastore ${id} is not empty.`);
      engine.state.datastores = engine.state.datastores.filter((d) => d.id !== id);
      engine.touch();
      return okInt(id);
    },
  },
  'one.datastore.info': infoMethod(
    OBJ,
    (e, id) => e.datastore(id),
    (e, ds) => datastoreXml(ds, diskTypeOf(ds.template), e.imageIdsOf(ds.id)),
  ),
  'one.datastorepool.info': {
    params: [],
    run(engine) {
      const bodies = engine.ordered(engine.state.datastores).map((d) => datastoreXml(d, diskTypeOf(d.template), engine.imageIdsOf(d.id)));
      return okString(poolXml('DATASTORE_POOL', bodies));
    },
  },
  'one.datastore.update': updateMethod(OBJ, (engine, id) => engine.datastore(id)),
};
