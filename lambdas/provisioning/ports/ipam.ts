import type { ProviderHost } from './provider';

/** One public address leased from a provider's IPAM. */
export interface IpLease {
  leaseId: string;
  address: string;
  provisionId: string;
  /** Provider id of the host it is attached to, if any. */
  attachedTo?: string;
  /** Private address on the host that the public one maps to (provider NAT). */
  privateIp?: string;
}

/**
 * The contract every IPAM implements (sim, aws, onprem). Requests are
 * idempotent by key; release of an unknown lease succeeds.
 */
export interface IpamDriver {
  readonly name: string;
  /** Leases `count` addresses; the same key returns the same leases. */
  requestAddresses(request: { provisionId: string; count: number }, idempotencyKey: string): Promise<IpLease[]>;
  /** Routes the address to the host; attaching again to the same host succeeds. */
  attach(lease: IpLease, host: ProviderHost): Promise<IpLease>;
  /** Detaches and releases; idempotent. */
  release(lease: IpLease): Promise<void>;
  /** Every lease tagged with the provision id (compensation and leak audits). */
  list(provisionId: string): Promise<IpLease[]>;
}
