import { randomBytes } from 'node:crypto';
import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { poolXml } from '../bodies';
import type { OnedEngine } from '../engine';
import { invalidName } from '../names';
import { allocateFailed, apiFailed, noExists, okInt, okString, type CallResult } from '../results';
import type { SimImage } from '../state';
import { getAttr, parseTemplate, removeAttr, setAttr } from '../template';
import { imageXml } from '../vm-bodies';
import type { MethodSpec } from './spec';
import { int, str } from './spec';
import { rangeOf } from './vnet';

const OBJ = 'image';
const IMAGE_TYPES = ['OS', 'CDROM', 'DATABLOCK', 'KERNEL', 'RAMDISK', 'CONTEXT'];
/** Attributes oned keeps in the image's own fields, not in its template. */
const IMAGE_FIELDS = ['NAME', 'TYPE', 'SIZE', 'PATH', 'SOURCE', 'PERSISTENT'];

function bodyOf(engine: OnedEngine, image: SimImage): string {
  const ds = engine.datastore(image.datastoreId);
  return imageXml(image, { name: ds?.name ?? '', allowOrphans: ds ? (getAttr(ds.template, 'ALLOW_ORPHANS') ?? 'NO') : 'NO' });
}

/** `one.image.allocate(template, datastore, check_capacity)`: LOCKED while the datastore driver copies it, then READY. */
function allocate(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult {
  const parsed = parseTemplate(str(args, 0));
  if (!parsed.ok) return allocateFailed(method, OBJ, parsed.error);
  const template = parsed.template;
  const dsId = int(args, 1);
  const ds = engine.datastore(dsId);
  if (!ds) return noExists(method, 'datastore', dsId);
  const name = getAttr(template, 'NAME') ?? '';
  const bad = invalidName(name);
  if (bad) return allocateFailed(method, OBJ, bad);
  const taken = engine.state.images.find((i) => i.name === name);
  if (taken) return allocateFailed(method, OBJ, `NAME is already taken by IMAGE ${taken.id}.`);
  const type = IMAGE_TYPES.indexOf((getAttr(template, 'TYPE') ?? 'OS').toUpperCase());
  if (type < 0) return allocateFailed(method, OBJ, 'Unknown type for image');
  const path = getAttr(template, 'PATH') ?? '';
  const size = Number(getAttr(template, 'SIZE') ?? '0');
  if (path === '' && !(size > 0)) return allocateFailed(method, OBJ, 'SIZE attribute is mandatory for images without PATH.');
  for (const field of IMAGE_FIELDS) removeAttr(template, field);
  if (getAttr(template, 'DEV_PREFIX') === undefined) setAttr(template, 'DEV_PREFIX', 'sd');
  const id = engine.nextId('image');
  engine.state.images.push({
    id,
    name,
    type,
    state: 4,
    prevState: 4,
    datastoreId: ds.id,
    size,
    source: ds.dsMad === 'dummy' ? 'dummy_path' : `${ds.basePath}/${randomBytes(16).toString('hex')}`,
    path,
    regtime: Math.floor(engine.now() / 1000),
    template,
    readyAt: engine.now() + engine.options.imageDelayMs,
  });
  return okInt(id);
}

/** `one.image.*` and `one.imagepool.info`. */
export const imageMethods: Record<string, MethodSpec> = {
  'one.image.allocate': { params: ['s', 'i'], optional: ['b'], run: allocate },
  'one.image.delete': {
    params: ['i'],
    optional: ['b'],
    run(engine, method, args) {
      const image = engine.image(int(args, 0));
      if (!image || image.goneAt !== undefined) return noExists(method, OBJ, int(args, 0));
      // The datastore driver removes the files; oned drops the image when it answers.
      image.prevState = image.state;
      image.state = 7;
      image.readyAt = undefined;
      image.goneAt = engine.now() + engine.options.imageDelayMs;
      engine.touch();
      return okInt(image.id);
    },
  },
  'one.image.info': {
    params: ['i'],
    optional: ['b'],
    run(engine, method, args) {
      const image = engine.image(int(args, 0));
      if (!image) return noExists(method, OBJ, int(args, 0));
      return okString(bodyOf(engine, image));
    },
  },
  'one.imagepool.info': {
    params: ['i', 'i', 'i'],
    run(engine, method, args) {
      const [filter, start, end] = [int(args, 0), int(args, 1), int(args, 2)];
      if (filter < -4) return apiFailed(method, 'Incorrect filter_flag');
      const bodies = rangeOf(engine.ordered(engine.state.images), start, end).map((i) => bodyOf(engine, i));
      return okString(poolXml('IMAGE_POOL', bodies));
    },
  },
};
