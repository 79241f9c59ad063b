import type { WireValue } from './wire';

/** oned's failure codes (`include/Request.h`). */
export const CODE = {
  AUTHENTICATION: 0x0100,
  AUTHORIZATION: 0x0200,
  NO_EXISTS: 0x0400,
  ACTION: 0x0800,
  XML_RPC_API: 0x1000,
  INTERNAL: 0x2000,
  ALLOCATE: 0x4000,
} as const;

/** What a method returns before it is put on the wire. */
export type CallResult = { ok: true; value: WireValue } | { ok: false; code: number; message: string; respId: number };

/** A success carrying an integer (IDs). */
export const okInt = (value: number): CallResult => ({ ok: true, value: { type: 'i4', value } });

/** A success carrying a string (XML bodies, the version). */
export const okString = (value: string): CallResult => ({ ok: true, value: { type: 'string', value } });

/** A failure tuple. */
export const failure = (code: number, message: string, respId = -1): CallResult => ({ ok: false, code, message, respId });

/** `[m] User couldn't be authenticated, aborting call.` */
export const authenticationFailed = (method: string): CallResult =>
  failure(CODE.AUTHENTICATION, `[${method}] User couldn't be authenticated, aborting call.`);

/** `[m] Error getting <object> [<id>].`, with the ID as resp_id. */
export const noExists = (method: string, object: string, id: number): CallResult =>
  failure(CODE.NO_EXISTS, `[${method}] Error getting ${object} [${id}].`, id);

/** 7.2+ allocate failures: `[m] Error allocating a new <object>. <detail>`. */
export const allocateFailed = (method: string, object: string, detail: string): CallResult =>
  failure(CODE.ALLOCATE, `[${method}] Error allocating a new ${object}. ${detail}`);

/** A refused action: `[m] <detail>`. */
export const actionFailed = (method: string, detail: string): CallResult => failure(CODE.ACTION, `[${method}] ${detail}`);

/** A refused delete: `[m] Cannot delete <object>. <detail>`. */
export const deleteRefused = (method: string, object: string, detail: string): CallResult =>
  actionFailed(method, `Cannot delete ${object}. ${detail}`);

/** `[m] <detail>` with INTERNAL. */
export const internalFailed = (method: string, detail: string): CallResult => failure(CODE.INTERNAL, `[${method}] ${detail}`);

/** `[m] <detail>` with XML_RPC_API. */
export const apiFailed = (method: string, detail: string): CallResult => failure(CODE.XML_RPC_API, `[${method}] ${detail}`);
