import { createHash } from 'node:crypto';
import { IpamExhaustedError, NotFoundError } from '../../../shared/errors';
import type { ProviderHost } from '../../../provisioning/ports/provider';
import type { DriverStateStore } from '../../../provisioning/ports/driver-state';
import type { IpamDriver, IpLease } from '../../../provisioning/ports/ipam';

/** What the on-prem IPAM remembers about a leased address. */
export interface OnpremLeaseRecord extends IpLease {
  idempotencyKey: string;
  ordinal: number;
}

/** Record kinds in the driver state store. */
const LEASE = 'onprem-lease';
const ADDRESS = 'onprem-address';

/**
 * IPAM over a static pool of public addresses the operator routes to the
 * hosts (`public_ips` in the connection). Leasing is bookkeeping only: an
 * address is claimed atomically in the store so two provisions never get
 * the same one, and released by dropping the claim.
 */
export class OnpremIpamDriver implements IpamDriver {
  readonly name = 'onprem';

  constructor(
    private readonly pool: readonly string[],
    private readonly store: DriverStateStore,
  ) {}

  async requestAddresses(request: { provisionId: string; count: number }, idempotencyKey: string): Promise<IpLease[]> {
    const leases: Array<OnpremLeaseRecord | undefined> = [];
    for (let i = 0; i < request.count; i += 1) leases.push(await this.store.get<OnpremLeaseRecord>(LEASE, leaseIdFor(idempotencyKey, i)));
    const missing = leases.flatMap((l, i) => (l ? [] : [i]));
    if (missing.length > 0) {
      const claimed = new Set((await this.store.list<{ address: string }>(ADDRESS)).map((c) => c.address));
      const free = this.pool.filter((ip) => !claimed.has(ip));
      if (free.length < missing.length) {
        throw new IpamExhaustedError(
          `the on-prem address pool has ${this.pool.length} addresses, ${this.pool.length - free.length} in use, ${missing.length} more requested`,
        );
      }
      const mine: string[] = [];
      for (const ordinal of missing) {
        const leaseId = leaseIdFor(idempotencyKey, ordinal);
        const address = await this.claimOne(free, leaseId);
        if (!address) {
          // Lost a race for the last addresses: give back what this call took.
          for (const a of mine) await this.store.delete(ADDRESS, a);
          for (const o of missing) await this.store.delete(LEASE, leaseIdFor(idempotencyKey, o));
          throw new IpamExhaustedError(`the on-prem address pool ran out while leasing ${missing.length} addresses`);
        }
        mine.push(address);
        const record: OnpremLeaseRecord = { leaseId, address, provisionId: request.provisionId, idempotencyKey, ordinal };
        await this.store.put(LEASE, leaseId, record);
        leases[ordinal] = record;
      }
    }
    return leases.flatMap((l) => (l ? [toLease(l)] : []));
  }

  async attach(lease: IpLease, host: ProviderHost): Promise<IpLease> {
    const record = await this.store.get<OnpremLeaseRecord>(LEASE, lease.leaseId);
    if (!record) throw new NotFoundError(`address lease ${lease.leaseId} (${lease.address}) does not exist`);
    const attached = { ...record, attachedTo: host.providerId };
    await this.store.put(LEASE, lease.leaseId, attached);
    return toLease(attached);
  }

  async release(lease: IpLease): Promise<void> {
    const record = await this.store.get<OnpremLeaseRecord>(LEASE, lease.leaseId);
    if (!record) return;
    const claim = await this.store.get<{ leaseId: string }>(ADDRESS, record.address);
    if (claim?.leaseId === record.leaseId) await this.store.delete(ADDRESS, record.address);
    await this.store.delete(LEASE, lease.leaseId);
  }

  async ensureCapacity(request: { provisionId: string; count: number }): Promise<void> {
    const missing = request.count - (await this.list(request.provisionId)).length;
    if (missing <= 0) return;
    const inUse = (await this.store.list<{ address: string }>(ADDRESS)).length;
    if (this.pool.length - inUse < missing) {
      throw new IpamExhaustedError(`the on-prem address pool has ${this.pool.length} addresses, ${inUse} in use, ${missing} more needed`);
    }
  }

  async list(provisionId: string): Promise<IpLease[]> {
    return (await this.store.list<OnpremLeaseRecord>(LEASE)).filter((l) => l.provisionId === provisionId).map(toLease);
  }

  private async claimOne(candidates: string[], leaseId: string): Promise<string | undefined> {
    while (candidates.length > 0) {
      const address = candidates.shift() as string;
      if (await this.store.putIfAbsent(ADDRESS, address, { address, leaseId })) return address;
    }
    return undefined;
  }
}

/** Stable lease id per request key and position, so a retry finds its leases. */
export function leaseIdFor(idempotencyKey: string, ordinal: number): string {
  return `onprem-ip-${createHash('sha256').update(`${idempotencyKey}#${ordinal}`).digest('hex').slice(0, 16)}`;
}

function toLease(r: OnpremLeaseRecord): IpLease {
  return {
    leaseId: r.leaseId,
    address: r.address,
    provisionId: r.provisionId,
    ...(r.attachedTo ? { attachedTo: r.attachedTo } : {}),
  };
}
