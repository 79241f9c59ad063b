import type { XmlRpcValue } from '@foxglove/xmlrpc';
import type { OnedEngine } from '../engine';
import { noExists, okString, type CallResult } from '../results';

/** XML-RPC parameter types oned reads: `i` int, `s` string, `b` boolean. */
export type ParamType = 'i' | 's' | 'b';

/** One simulated method: its signature after the session, and what it does. */
export interface MethodSpec {
  params: readonly ParamType[];
  /** Read only when sent, as oned's `paramList.size() > n` checks. */
  optional?: readonly ParamType[];
  /** Arguments arrive type-checked, without the session. */
  run(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult;
}

/** Reads an already type-checked int argument. */
export const int = (args: readonly XmlRpcValue[], i: number): number => args[i] as number;
/** Reads an already type-checked string argument. */
export const str = (args: readonly XmlRpcValue[], i: number): string => args[i] as string;

/**
 * `one.<object>.info`: the object's body by id (the optional `decrypt` flag
 * is read and ignored), or oned's NO_EXISTS answer naming the object.
 */
export function infoMethod<T>(
  object: string,
  find: (engine: OnedEngine, id: number) => T | undefined,
  body: (engine: OnedEngine, found: T) => string,
): MethodSpec {
  return {
    params: ['i'],
    optional: ['b'],
    run(engine, method, args) {
      const found = find(engine, int(args, 0));
      return found === undefined ? noExists(method, object, int(args, 0)) : okString(body(engine, found));
    },
  };
}
