import { IpamExhaustedError, ProviderQuotaError, ProviderThrottledError } from '../../../shared/errors';
import type { SimCloud, SimAddress } from '../../providers/sim/sim-cloud';
import type { ProviderHost } from '../../../provisioning/ports/provider';
import type { IpamDriver, IpLease } from '../../../provisioning/ports/ipam';

/** Quota name carried by ProviderQuotaError for the sim account's addresses. */
export const SIM_ADDRESS_QUOTA = 'sim.addresses';

/**
 * IPAM of the simulated cloud. Hands out addresses from 203.0.113.0/24
 * (TEST-NET-3, reserved for documentation: never routed anywhere) up to the
 * account quota; idempotent by request key.
 */
export class SimIpamDriver implements IpamDriver {
  readonly name = 'sim';

  constructor(private readonly cloud: SimCloud) {}

  async requestAddresses(request: { provisionId: string; count: number }, idempotencyKey: string): Promise<IpLease[]> {
    await this.cloud.api('AllocateAddress', request.provisionId);
    const fault = this.cloud.takeIpamFault();
    if (fault === 'exhausted') throw new IpamExhaustedError('address quota of the sim account exceeded (injected fault)');
    if (fault === 'throttle') throw new ProviderThrottledError('AllocateAddress: RequestLimitExceeded (simulated)');
    const mine = this.cloud.addresses.filter((a) => a.idempotencyKey.startsWith(`${idempotencyKey}#`) && a.releasedAt === undefined);
    const missing = request.count - mine.length;
    if (missing > 0 && this.cloud.liveAddresses().length + missing > this.cloud.addressQuota) {
      throw new IpamExhaustedError(
        `address quota of the sim account exceeded: ${this.cloud.liveAddresses().length} in use, ${missing} more requested, quota ${this.cloud.addressQuota}`,
      );
    }
    for (let i = mine.length; i < request.count; i += 1) {
      const address = this.freeAddress();
      const lease: SimAddress = {
        leaseId: this.cloud.nextId('eipalloc'),
        address,
        provisionId: request.provisionId,
        idempotencyKey: `${idempotencyKey}#${i}`,
      };
      this.cloud.addAddress(lease);
      mine.push(lease);
    }
    return mine.slice(0, request.count).map(toLease);
  }

  async ensureCapacity(request: { provisionId: string; count: number }): Promise<void> {
    await this.cloud.api('DescribeAddresses');
    const missing = request.count - this.cloud.liveAddresses(request.provisionId).length;
    const inUse = this.cloud.liveAddresses().length;
    if (missing > 0 && inUse + missing > this.cloud.addressQuota) {
      throw new ProviderQuotaError(
        `${inUse + missing} addresses needed in the sim account (${inUse} in use + ${missing} requested) but the quota is ${this.cloud.addressQuota}`,
        SIM_ADDRESS_QUOTA,
      );
    }
  }

  async attach(lease: IpLease, host: ProviderHost): Promise<IpLease> {
    await this.cloud.api('AssociateAddress', host.name);
    const a = this.find(lease.leaseId);
    if (!a || a.releasedAt !== undefined) throw new IpamExhaustedError(`address lease ${lease.leaseId} does not exist`);
    a.attachedTo = host.providerId;
    a.privateIp = host.privateIp;
    this.cloud.save();
    return toLease(a);
  }

  async release(lease: IpLease): Promise<void> {
    await this.cloud.api('ReleaseAddress');
    const a = this.find(lease.leaseId);
    if (!a || a.releasedAt !== undefined) return;
    a.attachedTo = undefined;
    a.releasedAt = Date.now();
    this.cloud.save();
  }

  async list(provisionId: string): Promise<IpLease[]> {
    await this.cloud.api('DescribeAddresses');
    return this.cloud.liveAddresses(provisionId).map(toLease);
  }

  private find(leaseId: string): SimAddress | undefined {
    return this.cloud.addresses.find((a) => a.leaseId === leaseId);
  }

  private freeAddress(): string {
    const used = new Set(this.cloud.liveAddresses().map((a) => a.address));
    for (let n = 10; n < 255; n += 1) {
      const candidate = `203.0.113.${n}`;
      if (!used.has(candidate)) return candidate;
    }
    throw new IpamExhaustedError('the sim address pool 203.0.113.0/24 is exhausted');
  }
}

function toLease(a: SimAddress): IpLease {
  return { leaseId: a.leaseId, address: a.address, provisionId: a.provisionId, attachedTo: a.attachedTo, privateIp: a.privateIp };
}
