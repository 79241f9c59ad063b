import { EdgeError, TransientError } from '../shared/errors';

/**
 * OpenNebula's failure codes (`include/Request.h`). The values never changed
 * between versions; which code a given failure gets did (see `OneAllocateError`).
 */
export const ONE_ERROR_CODES = {
  AUTHENTICATION: 0x0100,
  AUTHORIZATION: 0x0200,
  NO_EXISTS: 0x0400,
  ACTION: 0x0800,
  XML_RPC_API: 0x1000,
  INTERNAL: 0x2000,
  ALLOCATE: 0x4000,
  LOCKED: 0x8000,
  REPLICATION: 0x10000,
} as const;

/** What oned returned in a failure tuple `[false, message, code, respId, …]`. */
export interface OneFailure {
  /** The XML-RPC method that failed, e.g. `one.host.delete`. */
  readonly method: string;
  readonly code: number;
  /** ID of the object that caused the failure, `-1` when not applicable. */
  readonly respId: number;
}

/** Base of the permanent OpenNebula errors; never thrown itself. */
export class OneError extends EdgeError {
  constructor(
    message: string,
    readonly failure?: OneFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Base of the OpenNebula errors worth retrying; never thrown itself. */
export class OneTransientError extends TransientError {
  constructor(
    message: string,
    readonly failure?: OneFailure,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wrong user or password (0x0100). Retrying cannot help. */
export class OneAuthenticationError extends OneError {}

/** The ACL denies the operation (0x0200). */
export class OneAuthorizationError extends OneError {}

/** The object (or a referenced cluster or host) does not exist (0x0400). */
export class OneNoExistsError extends OneError {}

/** The object is in a state that refuses the operation (0x0800): a non-empty cluster, a host with VMs, a vnet not READY. */
export class OneActionError extends OneError {}

/** A malformed argument oned rejected at the API layer (0x1000). */
export class OneXmlRpcApiError extends OneError {}

/** oned-side failure (0x2000): template errors, and duplicate names up to 7.0. */
export class OneInternalError extends OneError {}

/** Allocation refused (0x4000): from 7.2 on this includes duplicate names. */
export class OneAllocateError extends OneError {}

/** The object is locked (0x8000, or 0x0200 with "is locked"); a lock is released eventually. */
export class OneLockedError extends OneTransientError {}

/** HA log replication failed (0x10000); the leader may be changing. */
export class OneReplicationError extends OneTransientError {}

/** No answer from oned: connection refused or reset, timeout, 5xx from a proxy. */
export class OneUnreachableError extends OneTransientError {}

/** The TLS handshake failed (untrusted or mismatching certificate): a configuration problem. */
export class OneTlsError extends OneError {}

/** An XML-RPC level fault (wrong arity or parameter type, unknown method) or a non-XML-RPC answer. */
export class OneXmlRpcFaultError extends OneError {
  constructor(
    message: string,
    readonly faultCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, undefined, options);
  }
}

/** An object with the wanted name exists but belongs to another provision (or to nobody we know). */
export class OneNameConflictError extends OneError {}

/** An asynchronous OpenNebula transition (VM termination, vnet removal) did not finish in time. */
export class OneWaitTimeoutError extends OneTransientError {}

/**
 * Every error name this adapter throws, for the state machines' `ErrorEquals`
 * (the ASL test checks its names against this list).
 */
export const ONE_ERROR_NAMES: readonly string[] = [
  'OneAuthenticationError',
  'OneAuthorizationError',
  'OneNoExistsError',
  'OneActionError',
  'OneXmlRpcApiError',
  'OneInternalError',
  'OneAllocateError',
  'OneLockedError',
  'OneReplicationError',
  'OneUnreachableError',
  'OneTlsError',
  'OneXmlRpcFaultError',
  'OneNameConflictError',
  'OneWaitTimeoutError',
];

/** Builds the named error for a failure tuple. */
export function oneErrorFromFailure(failure: OneFailure, message: string): OneError | OneTransientError {
  switch (failure.code) {
    case ONE_ERROR_CODES.AUTHENTICATION:
      return new OneAuthenticationError(message, failure);
    case ONE_ERROR_CODES.AUTHORIZATION:
      // 6.x and 7.x report locks as authorization failures; only the message tells them apart.
      return / is locked\./.test(message) ? new OneLockedError(message, failure) : new OneAuthorizationError(message, failure);
    case ONE_ERROR_CODES.NO_EXISTS:
      return new OneNoExistsError(message, failure);
    case ONE_ERROR_CODES.ACTION:
      return new OneActionError(message, failure);
    case ONE_ERROR_CODES.XML_RPC_API:
      return new OneXmlRpcApiError(message, failure);
    case ONE_ERROR_CODES.ALLOCATE:
      return new OneAllocateError(message, failure);
    case ONE_ERROR_CODES.LOCKED:
      return new OneLockedError(message, failure);
    case ONE_ERROR_CODES.REPLICATION:
      return new OneReplicationError(message, failure);
    default:
      return new OneInternalError(message, failure);
  }
}

/** The object a duplicate-name failure points at, e.g. `{ type: 'HOST', id: 3 }`. */
export interface TakenName {
  type: string;
  id: number;
}

/**
 * Recognises "NAME is already taken by <TYPE> <id>." in both encodings: INTERNAL
 * (6.10 / 7.0) and ALLOCATE with the "Error allocating" prefix (7.2 and later).
 */
export function nameTakenBy(err: unknown): TakenName | undefined {
  if (!(err instanceof OneAllocateError || err instanceof OneInternalError)) return undefined;
  const match = /NAME is already taken by (\w+) (\d+)\./.exec(err.message);
  if (!match?.[1] || match[2] === undefined) return undefined;
  return { type: match[1], id: Number(match[2]) };
}
