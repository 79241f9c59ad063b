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
  /**
   * Fails, leasing nothing, when the provision could not hold `count`
   * addresses from this IPAM in all (those it holds count): a quota
   * (`ProviderQuotaError`) or a pool (`IpamExhaustedError`) too small.
   * Asked before anything is bought, so a plan that cannot get its
   * addresses never pays for machines first.
   */
  ensureCapacity(request: { provisionId: string; count: number }): Promise<void>;
  /** Leases `count` addresses; the same key returns the same leases. */
  requestAddresses(request: { provisionId: string; count: number }, idempotencyKey: string): Promise<IpLease[]>;
  /** Routes the address to the host; attaching again to the same host succeeds. */
  attach(lease: IpLease, host: ProviderHost): Promise<IpLease>;
  /** Detaches and releases; idempotent. */
  release(lease: IpLease): Promise<void>;
  /** Every lease tagged with the provision id (compensation and leak audits). */
  list(provisionId: string): Promise<IpLease[]>;
}
