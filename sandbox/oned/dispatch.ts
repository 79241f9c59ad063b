import type { XmlRpcValue } from '@foxglove/xmlrpc';
import type { OnedEngine } from './engine';
import { METHODS, type ParamType } from './methods';
import { authenticationFailed, type CallResult } from './results';
import { FAULT, type WireValue } from './wire';

/** What goes back on the wire: oned's result array, or an XML-RPC fault. */
export type Answer = { kind: 'array'; values: WireValue[] } | { kind: 'fault'; code: number; message: string };

const TYPE_FAULTS: Record<ParamType, string> = {
  i: 'Parameter that is supposed to be integer is not',
  s: 'Parameter that is supposed to be a string is not',
  b: 'Parameter that is supposed to be boolean is not',
};

function hasType(value: XmlRpcValue, type: ParamType): boolean {
  switch (type) {
    case 'i':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 0x7fffffff;
    case 's':
      return typeof value === 'string';
    case 'b':
      return typeof value === 'boolean';
  }
}

/** The array oned sends: 3 elements on success, 5 (ending in `<i8>-1`) on failure. */
export function resultArray(result: CallResult): WireValue[] {
  if (result.ok) return [{ type: 'boolean', value: true }, result.value, { type: 'i4', value: 0 }];
  return [
    { type: 'boolean', value: false },
    { type: 'string', value: result.message },
    { type: 'i4', value: result.code },
    { type: 'i4', value: result.respId },
    { type: 'i8', value: -1 },
  ];
}

const fault = (code: number, message: string): Answer => ({ kind: 'fault', code, message });

/**
 * Runs one call the way oned does: unknown method → fault -506; the session is
 * read and authenticated before anything else; the other parameters are read
 * (and type-checked, fault -501) by the method; extra parameters are ignored.
 */
export function dispatch(engine: OnedEngine, method: string, params: readonly XmlRpcValue[]): Answer {
  const spec = METHODS[method];
  if (!spec) return fault(FAULT.NO_SUCH_METHOD, `Method '${method}' not defined`);
  if (params.length < 1) return fault(FAULT.TYPE, 'Not enough parameters');
  const session = params[0];
  if (typeof session !== 'string') return fault(FAULT.TYPE, TYPE_FAULTS.s);
  engine.advance();
  try {
    if (!engine.authenticate(session)) return { kind: 'array', values: resultArray(authenticationFailed(method)) };
    const args = params.slice(1);
    for (const [i, type] of spec.params.entries()) {
      if (i >= args.length) return fault(FAULT.TYPE, 'Not enough parameters');
      if (!hasType(args[i], type)) return fault(FAULT.TYPE, TYPE_FAULTS[type]);
    }
    for (const [j, type] of (spec.optional ?? []).entries()) {
      const i = spec.params.length + j;
      if (i < args.length && !hasType(args[i], type)) return fault(FAULT.TYPE, TYPE_FAULTS[type]);
    }
    return { kind: 'array', values: resultArray(spec.run(engine, method, args)) };
  } finally {
    engine.persist();
  }
}
