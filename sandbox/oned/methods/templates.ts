import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { poolXml } from '../bodies';
import type { OnedEngine } from '../engine';
import { invalidName } from '../names';
import { allocateFailed, apiFailed, internalFailed, noExists, okInt, okString, type CallResult } from '../results';
import type { SimState, SimTemplateObject } from '../state';
import { getAttr, parseTemplate, removeAttr } from '../template';
import { templateObjectXml } from '../vm-bodies';
import type { MethodSpec } from './spec';
import { int, str } from './spec';
import { updateMethod } from './update';
import { rangeOf } from './vnet';

/** What differs between VM templates and vnet templates. */
interface Kind {
  pool: 'vmTemplates' | 'vnTemplates';
  oid: keyof SimState['lastOid'];
  root: 'VMTEMPLATE' | 'VNTEMPLATE';
  poolRoot: string;
  object: string;
  takenBy: string;
  /** VM templates refuse a duplicate as an allocation error (7.2+), vnet templates as INTERNAL (measured on 7.5). */
  refuse: (method: string, detail: string) => CallResult;
}

const VM_TEMPLATE: Kind = {
  pool: 'vmTemplates',
  oid: 'template',
  root: 'VMTEMPLATE',
  poolRoot: 'VMTEMPLATE_POOL',
  object: 'template',
  takenBy: 'TEMPLATE',
  refuse: (method, detail) => allocateFailed(method, 'template', detail),
};

const VN_TEMPLATE: Kind = {
  pool: 'vnTemplates',
  oid: 'vntemplate',
  root: 'VNTEMPLATE',
  poolRoot: 'VNTEMPLATE_POOL',
  object: 'virtual network template',
  takenBy: 'VN TEMPLATE',
  refuse: internalFailed,
};

function find(engine: OnedEngine, kind: Kind, id: number): SimTemplateObject | undefined {
  return engine.state[kind.pool].find((t) => t.id === id);
}

function allocate(kind: Kind) {
  return (engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult => {
    const parsed = parseTemplate(str(args, 0));
    if (!parsed.ok) return internalFailed(method, parsed.error);
    const template = parsed.template;
    const given = getAttr(template, 'NAME');
    const id = engine.state.lastOid[kind.oid] + 1;
    const name = given ?? `${kind.object.replace(/ /g, '-')}-${id}`;
    const bad = invalidName(name);
    if (bad) return kind.refuse(method, bad);
    const taken = engine.state[kind.pool].find((t) => t.name === name);
    if (taken) return kind.refuse(method, `NAME is already taken by ${kind.takenBy} ${taken.id}.`);
    removeAttr(template, 'NAME');
    engine.nextId(kind.oid);
    engine.state[kind.pool].push({ id, name, regtime: Math.floor(engine.now() / 1000), template });
    return okInt(id);
  };
}

function methodsOf(kind: Kind, prefix: string, poolPrefix: string): Record<string, MethodSpec> {
  return {
    [`${prefix}.allocate`]: { params: ['s'], run: allocate(kind) },
    [`${prefix}.delete`]: {
      params: ['i'],
      optional: ['b'],
      run(engine, method, args) {
        const id = int(args, 0);
        if (!find(engine, kind, id)) return noExists(method, kind.object, id);
        engine.state[kind.pool] = engine.state[kind.pool].filter((t) => t.id !== id);
        engine.touch();
        return okInt(id);
      },
    },
    [`${prefix}.info`]: {
      params: ['i'],
      optional: ['b', 'b'],
      run(engine, method, args) {
        const object = find(engine, kind, int(args, 0));
        if (!object) return noExists(method, kind.object, int(args, 0));
        return okString(templateObjectXml(kind.root, object));
      },
    },
    [`${prefix}.update`]: updateMethod(kind.object, (engine, id) => find(engine, kind, id)),
    [`${poolPrefix}.info`]: {
      params: ['i', 'i', 'i'],
      run(engine, method, args) {
        const [filter, start, end] = [int(args, 0), int(args, 1), int(args, 2)];
        if (filter < -4) return apiFailed(method, 'Incorrect filter_flag');
        const bodies = rangeOf(engine.ordered(engine.state[kind.pool]), start, end).map((t) => templateObjectXml(kind.root, t));
        return okString(poolXml(kind.poolRoot, bodies));
      },
    },
  };
}

/** `one.template.*` (VM templates) and `one.vntemplate.*` (vnet templates), with their pools. */
export const templateMethods: Record<string, MethodSpec> = {
  ...methodsOf(VM_TEMPLATE, 'one.template', 'one.templatepool'),
  ...methodsOf(VN_TEMPLATE, 'one.vntemplate', 'one.vntemplatepool'),
};
