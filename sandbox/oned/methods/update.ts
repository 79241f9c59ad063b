import type { XmlRpcValue } from '@foxglove/xmlrpc';
import type { OnedEngine } from '../engine';
import { apiFailed, internalFailed, noExists, okInt, type CallResult } from '../results';
import { mergeTemplate, parseTemplate, type SimTemplate } from '../template';
import { int, str, type MethodSpec } from './spec';

/**
 * `one.<obj>.update(id, template, [type])`: 0 replaces the template, 1 merges
 * (each given name replaces all old attributes of that name).
 */
export function updateTemplate(
  engine: OnedEngine,
  method: string,
  args: readonly XmlRpcValue[],
  find: (id: number) => { template: SimTemplate } | undefined,
  missing: (id: number) => CallResult,
): CallResult {
  const id = int(args, 0);
  const type = args.length > 2 ? int(args, 2) : 0;
  if (type !== 0 && type !== 1) return apiFailed(method, 'Wrong update type');
  const object = find(id);
  if (!object) return missing(id);
  const parsed = parseTemplate(str(args, 1));
  if (!parsed.ok) return internalFailed(method, parsed.error);
  object.template = type === 1 ? mergeTemplate(object.template, parsed.template) : parsed.template;
  engine.touch();
  return okInt(id);
}

/** The `one.<obj>.update` method of the objects `find` finds; `object` names them in oned's "does not exist" answer. */
export function updateMethod(object: string, find: (engine: OnedEngine, id: number) => { template: SimTemplate } | undefined): MethodSpec {
  return {
    params: ['i', 's'],
    optional: ['i'],
    run: (engine, method, args) =>
      updateTemplate(
        engine,
        method,
        args,
        (id) => find(engine, id),
        (id) => noExists(method, object, id),
      ),
  };
}
