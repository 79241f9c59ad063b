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
  deletion?: { cleanup: boolean; force: boolean };
  /** What the last rollback or forced delete could not remove (still billed or still in OpenNebula). */
  leftovers?: Leftover[];
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
