import type { XmlRpcValue } from '@foxglove/xmlrpc';
import type { OnedEngine } from '../engine';
import type { CallResult } from '../results';

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
