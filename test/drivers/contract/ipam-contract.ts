import type { IpamDriver } from '../../../lambdas/provisioning/ports/ipam';
import type { ProviderHost } from '../../../lambdas/provisioning/ports/provider';

/** What each IPAM's test file provides to the shared contract. */
export interface IpamHarness {
  ipam: IpamDriver;
  /** A fresh host of the matching provider that addresses can be attached to. */
  host(): Promise<ProviderHost>;
  /** How many addresses can be leased in total before the IPAM refuses. */
  capacity: number;
}

export type IpamHarnessFactory = () => Promise<IpamHarness> | IpamHarness;

/** The shared IpamDriver contract, run against sim, aws and onprem. */
export function describeIpamContract(name: string, makeHarness: IpamHarnessFactory): void {
  describe(`IpamDriver contract: ${name}`, () => {
    let h: IpamHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });

    it('leases distinct addresses for the provision', async () => {
      const leases = await h.ipam.requestAddresses({ provisionId: 'p-ip', count: 2 }, 'p-ip-ip-public-0');
      expect(leases).toHaveLength(2);
      expect(new Set(leases.map((l) => l.address)).size).toBe(2);
      expect(new Set(leases.map((l) => l.leaseId)).size).toBe(2);
      for (const l of leases) expect(l.provisionId).toBe('p-ip');
    });

    it('returns the same leases when the request is retried with the same key', async () => {
      const first = await h.ipam.requestAddresses({ provisionId: 'p-ip', count: 2 }, 'p-ip-ip-public-0');
      const again = await h.ipam.requestAddresses({ provisionId: 'p-ip', count: 2 }, 'p-ip-ip-public-0');
      expect(again.map((l) => l.leaseId)).toEqual(first.map((l) => l.leaseId));
      expect(await h.ipam.list('p-ip')).toHaveLength(2);
    });

    it('lists leases under their provision only', async () => {
      const mine = await h.ipam.requestAddresses({ provisionId: 'p-ip', count: 1 }, 'p-ip-ip-public-0');
      await h.ipam.requestAddresses({ provisionId: 'p-other', count: 1 }, 'p-other-ip-public-0');
      expect((await h.ipam.list('p-ip')).map((l) => l.leaseId)).toEqual(mine.map((l) => l.leaseId));
    });

    it('attaches a lease to a host, and attaching again succeeds', async () => {
      const host = await h.host();
      const [lease] = await h.ipam.requestAddresses({ provisionId: 'p-ip', count: 1 }, 'p-ip-ip-public-0');
      if (!lease) throw new Error('no lease');
      const attached = await h.ipam.attach(lease, host);
      expect(attached).toMatchObject({ leaseId: lease.leaseId, address: lease.address, attachedTo: host.providerId });
      const again = await h.ipam.attach(attached, host);
      expect(again).toMatchObject({ leaseId: lease.leaseId, attachedTo: host.providerId });
      expect(again.privateIp).toBe(attached.privateIp);
    });

    it('releases an attached lease, and releasing it again or an unknown one succeeds', async () => {
      const host = await h.host();
      const [lease] = await h.ipam.requestAddresses({ provisionId: 'p-ip', count: 1 }, 'p-ip-ip-public-0');
      if (!lease) throw new Error('no lease');
      await h.ipam.attach(lease, host);
      await h.ipam.release(lease);
      expect(await h.ipam.list('p-ip')).toEqual([]);
      await expect(h.ipam.release(lease)).resolves.toBeUndefined();
      await expect(h.ipam.release({ ...lease, leaseId: 'eipalloc-0000000000000dead' })).resolves.toBeUndefined();
    });

    it('says before any lease whether a provision can hold its addresses, counting those it holds', async () => {
      await expect(h.ipam.ensureCapacity({ provisionId: 'p-ip', count: h.capacity })).resolves.toBeUndefined();
      await h.ipam.requestAddresses({ provisionId: 'p-ip', count: 1 }, 'p-ip-ip-public-0');
      // The one it holds counts toward its need; another provision's need adds to it.
      await expect(h.ipam.ensureCapacity({ provisionId: 'p-ip', count: h.capacity })).resolves.toBeUndefined();
      const err = await h.ipam.ensureCapacity({ provisionId: 'p-other', count: h.capacity }).catch((e: Error) => e);
      expect(['IpamExhaustedError', 'ProviderQuotaError']).toContain((err as Error).name);
      expect(await h.ipam.list('p-other')).toEqual([]);
      expect(await h.ipam.list('p-ip')).toHaveLength(1);
    });

    it('refuses a request beyond its capacity with a named error and leases nothing', async () => {
      await h.ipam.requestAddresses({ provisionId: 'p-ip', count: 1 }, 'p-ip-ip-public-0');
      const err = await h.ipam.requestAddresses({ provisionId: 'p-ip', count: h.capacity }, 'p-ip-ip-public-1').catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect(['IpamExhaustedError', 'ProviderQuotaError']).toContain((err as Error).name);
      expect(await h.ipam.list('p-ip')).toHaveLength(1);
    });
  });
}
