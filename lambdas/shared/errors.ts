/**
 * Named errors. The class name is the `name` of every instance, and that name is
 * what the state machines' `Retry` / `Catch` blocks match in `ErrorEquals`, so a
 * rename here must be mirrored in `statemachines/*.asl.json` (a test checks it).
 */

/** Base class: sets `name` from the concrete class so ASL can match it. */
export class EdgeError extends Error {
  /** Whether a state machine should retry the step that threw it. */
  readonly retryable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A transient failure: retried with backoff by the state machines. */
export class TransientError extends EdgeError {
  override readonly retryable = true;
}

/** Input a user gave is wrong; carries field-level details for problem responses. */
export class ValidationError extends EdgeError {
  constructor(
    message: string,
    readonly errors: ReadonlyArray<{ path: string; message: string; file?: string; line?: number; column?: number }> = [],
  ) {
    super(message);
  }
}

/** No provision (or host) with that id is visible to the caller. */
export class NotFoundError extends EdgeError {}

/** A conditional write lost: another writer changed the item (optimistic locking). */
export class ConcurrentUpdateError extends TransientError {}

/** The operation is not allowed in the current state (maps to HTTP 409). */
export class InvalidStateError extends EdgeError {}

/**
 * Another operation holds the provision's operation lock (maps to HTTP 409,
 * naming it). `operation` describes the holder.
 */
export class OperationInProgressError extends EdgeError {
  constructor(
    message: string,
    readonly operation: { id: string; kind: string; summary: string; startedAt: string; executionId?: string },
  ) {
    super(message);
  }
}

/** A name the plan uses is held by another live provision (maps to HTTP 409). */
export class NameTakenError extends EdgeError {}

/** The provider name is not in the registry. */
export class UnknownProviderError extends EdgeError {}

/** The provider existed once but is gone (Packet / Equinix Metal, shut down 2026-06-30). */
export class RetiredProviderError extends EdgeError {}

/** Connection settings for a provider are missing or malformed. */
export class ProviderConfigError extends EdgeError {}

/** Provider rate limiting. */
export class ProviderThrottledError extends TransientError {}

/** Provider has no capacity for the requested offer in that location. */
export class ProviderCapacityError extends TransientError {}

/** An account quota would be exceeded; `quota` names it. */
export class ProviderQuotaError extends EdgeError {
  constructor(
    message: string,
    readonly quota: string,
  ) {
    super(message);
  }
}

/** Bad or expired provider credentials: never retried. */
export class ProviderAuthError extends EdgeError {}

/** A provider call failed in a way that may succeed on retry (5xx, lost response). */
export class ProviderTransientError extends TransientError {}

/** The provider reports the host failed to boot or was terminated underneath us. */
export class HostBootFailedError extends EdgeError {}

/** The host did not become ready within the allowed time. */
export class HostNotReadyTimeoutError extends EdgeError {}

/** A vnet did not become READY in time, or OpenNebula put it in ERROR. */
export class NetworkNotReadyError extends EdgeError {}

/** The IPAM could not hand out the requested addresses. */
export class IpamExhaustedError extends EdgeError {}

/** SSH could not reach the host within the bounded time. */
export class HostUnreachableError extends TransientError {}

/**
 * The host answered but refused the configuration runner's key: a wrong
 * `remote_user` or a key that never reached the host. Not retried by the
 * machines (the connection itself already retried within its window).
 */
export class HostAuthError extends EdgeError {}

/** The host presented an SSH key different from the pinned one. */
export class HostKeyMismatchError extends EdgeError {}

/** A configuration role exited non-zero. */
export class RoleFailedError extends EdgeError {
  constructor(
    message: string,
    readonly role: string,
    readonly exitCode: number,
    readonly lastLines: string[],
  ) {
    super(message);
  }
}

/** The host's OS is not one the roles support. */
export class UnsupportedOsError extends EdgeError {}

/** Delete was refused because VMs run on the provision's hosts and cleanup was not asked for. */
export class VmsRunningError extends EdgeError {}

/** VMs on a host are still terminating during cleanup; the step is retried until they are gone. */
export class HostBusyError extends TransientError {}

/** VMs did not leave a draining host within the drain timeout (and force was not asked for). */
export class DrainTimeoutError extends EdgeError {}

/** A day-2 operation ended without reaching its goal (a host it added failed, a host it removed was kept). */
export class OperationFailedError extends EdgeError {}

/** A public IP is leased to a VM, so it cannot be removed (maps to HTTP 409). */
export class IpInUseError extends EdgeError {}

/** Raised by the finalize step when too few hosts are healthy for the failure policy. */
export class ProvisionFailedError extends EdgeError {}

/**
 * OpenNebula could not monitor a registered host: the host is in ERROR (the
 * message carries oned's `ERROR`), or someone disabled it or set it offline.
 */
export class HostNotMonitoredError extends EdgeError {}

/** A registered host stayed INIT (never monitored) past the allowed time. */
export class HostMonitorTimeoutError extends EdgeError {}

/** Delete was refused because the provision's datastores hold images and cleanup was not asked for. */
export class ImagesPresentError extends EdgeError {}

/** Cleanup gave up: VMs or images were still not gone after `--cleanup-timeout`. */
export class CleanupTimeoutError extends EdgeError {}

/**
 * Error names of the domain. The ASL test checks that each `ErrorEquals` entry
 * (other than `States.*`) is one of these or an adapter's own (e.g. OpenNebula's).
 */
export const NAMED_ERRORS: readonly string[] = [
  'EdgeError',
  'TransientError',
  'ValidationError',
  'NotFoundError',
  'ConcurrentUpdateError',
  'InvalidStateError',
  'OperationInProgressError',
  'NameTakenError',
  'UnknownProviderError',
  'RetiredProviderError',
  'ProviderConfigError',
  'ProviderThrottledError',
  'ProviderCapacityError',
  'ProviderQuotaError',
  'ProviderAuthError',
  'ProviderTransientError',
  'HostBootFailedError',
  'HostNotReadyTimeoutError',
  'IpamExhaustedError',
  'NetworkNotReadyError',
  'HostUnreachableError',
  'HostAuthError',
  'HostKeyMismatchError',
  'RoleFailedError',
  'UnsupportedOsError',
  'VmsRunningError',
  'HostBusyError',
  'DrainTimeoutError',
  'OperationFailedError',
  'IpInUseError',
  'ProvisionFailedError',
  'HostNotMonitoredError',
  'HostMonitorTimeoutError',
  'ImagesPresentError',
  'CleanupTimeoutError',
];

/** A short, user-facing description of any thrown value; never a stack trace. */
export function describeError(err: unknown): { name: string; message: string } {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}
