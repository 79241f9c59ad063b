import type { Leftover } from './best-effort';
import type { ProvisionPlan } from './plan';

/** Provision lifecycle states (DESIGN §7). */
export const PROVISION_STATES = ['PENDING', 'PROVISIONING', 'RUNNING', 'DEGRADED', 'SCALING', 'DELETING', 'DELETED', 'ERROR'] as const;
export type ProvisionState = (typeof PROVISION_STATES)[number];

/** Host lifecycle states (DESIGN §7). */
export const HOST_STATES = [
  'PENDING',
  'ALLOCATING',
  'BOOTING',
  'CONFIGURING',
  'REGISTERING',
  'RUNNING',
  'POWERING_OFF',
  'OFF',
  'REBOOTING',
  'DRAINING',
  'RELEASING',
  'RELEASED',
  'FAILED',
] as const;
export type HostState = (typeof HOST_STATES)[number];

/** States a provision rests in; anything else means an execution is (or was) moving it. */
export const TERMINAL_PROVISION_STATES: readonly ProvisionState[] = ['RUNNING', 'DEGRADED', 'DELETED', 'ERROR'];

/** The pipeline steps of one host, in order; a failure records which one failed. */
export const HOST_STEPS = ['allocate', 'waitReady', 'assignIps', 'configure', 'register'] as const;
export type HostStep = (typeof HOST_STEPS)[number] | 'release' | 'deregister' | 'converge';

/** What a failed step leaves behind so `retry` can resume there. */
export interface StepFailure {
  step: string;
  errorName: string;
  message: string;
  attempt: number;
  at: string;
}

/** A public address leased from an IPAM and attached to a host. */
export interface IpAssignment {
  address: string;
  /** IPAM lease id (e.g. EIP allocation id). */
  leaseId: string;
  /** Network (by plan name) whose address range holds it. */
  network: string;
  /** OpenNebula address range id on that network once registered. */
  arId?: number;
  /** The `ip add` operation that leased it (its compensation releases only its own). */
  operationId?: string;
}

/** The stored record of one host. */
export interface HostRecord {
  index: number;
  name: string;
  state: HostState;
  /** Provider's id for the machine, once allocated. */
  providerId?: string;
  /** Address the SSH runner connects to. */
  sshHost?: string;
  sshPort?: number;
  privateIp?: string;
  publicIps: IpAssignment[];
  /** OpenNebula host id, once registered. */
  oneId?: number;
  /** Pinned SSH host key (first seen, or given by the operator). */
  hostKey?: string;
  /** Facts reported by the host (default NIC, CPU, memory) for `${updates.*}`. */
  facts?: Record<string, string>;
  /**
   * Bumped when a released host is allocated again (retry after a rollback),
   * so the provider's idempotency key names a new machine.
   */
  generation?: number;
  /** Next configuration role to run, while configuring in several invocations. */
  nextRole?: string;
  /** VMs a forced power action powered off on this host; resumed when the host is back. */
  pausedVms?: number[];
  /** VMs a forced drain terminated (scale-in). */
  terminatedVms?: number[];
  failedStep?: string;
  error?: StepFailure;
  /** Step durations in ms, for timelines and benchmarks. */
  timings?: Record<string, { start: string; end?: string }>;
  version: number;
  updatedAt: string;
}

/** An OpenNebula object created for the provision. */
export interface OneObjectRecord {
  name: string;
  oneId: number;
}

/** What can run on a provision; one at a time (the operation lock). */
export const OPERATION_KINDS = [
  'create',
  'retry',
  'delete',
  'scale-out',
  'scale-in',
  'host-action',
  'ip-add',
  'ip-remove',
  'configure',
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/**
 * The operation lock: the one operation running on a provision, stored on its
 * META item. Taken by a conditional write before the execution starts and
 * released by the execution's last step; `machine` and `executionName` are
 * fixed before the start, so whoever finds the lock can always ask whether
 * its execution still runs.
 */
export interface ProvisionOperation {
  /** `op-` and 12 hex digits. */
  id: string;
  kind: OperationKind;
  /** What it does, for people: `add 2 hosts`, `poweroff edge-host1`. */
  summary: string;
  /** State machine that runs it (a `MachineName`). */
  machine: string;
  executionName: string;
  /** Recorded once the execution started (Step Functions execution ARN). */
  executionId?: string;
  startedAt: string;
}

/** How an operation ended. */
export type OperationOutcome = 'SUCCEEDED' | 'FAILED' | 'REFUSED' | 'INTERRUPTED';

/** A finished operation, as the provision's recent history keeps it. */
export interface OperationRecord {
  id: string;
  kind: OperationKind;
  summary: string;
  startedAt: string;
  endedAt: string;
  outcome: OperationOutcome;
  executionId?: string;
  /** Why it failed: the step and the named error. */
  error?: { step: string; errorName: string; message: string };
}

/** The stored provision document (META item plus HOST items). */
export interface Provision {
  id: string;
  owner: string;
  name: string;
  state: ProvisionState;
  plan: ProvisionPlan;
  hosts: HostRecord[];
  cluster?: OneObjectRecord;
  datastores: OneObjectRecord[];
  networks: OneObjectRecord[];
  /** What the provider created for the whole provision (VPC, subnet, security group ids). */
  infrastructure?: Record<string, string>;
  /** Current or last execution that moved this provision. */
  executionId?: string;
  failedStep?: string;
  error?: StepFailure;
  /** How the last delete was asked for, so a retry continues it the same way. */
  deletion?: { cleanup: boolean; force: boolean; cleanupTimeoutSeconds?: number };
  /** What the last rollback or forced delete could not remove (still billed or still in OpenNebula). */
  leftovers?: Leftover[];
  /** The operation running now (the lock), if any. */
  operation?: ProvisionOperation;
  /** The last finished operations, newest first. */
  operations?: OperationRecord[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** One entry of a provision's append-only event log. */
export interface ProvisionLogEntry {
  at: string;
  seq: number;
  type: string;
  detail: Record<string, unknown>;
}
