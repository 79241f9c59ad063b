import type { Deps } from '../ports/deps';
import { idempotencyKey, ipamFor, ipShare, loadHost, providerFor, publicNetworks, timing, type HostStepInput } from '../context';
import type { IpAssignment } from '../model';
import { elasticAddressRange, isElastic } from '../elastic';
import type { HostStepResult } from './host-allocate';

/**
 * Leases this host's share of each public network's addresses from the IPAM
 * and adds each as a size-1 address range on the public vnet (as OpenNebula
 * 6.x does). On an `elastic` vnet the range is the private address + its
 * `EXTERNAL_IP`, and OpenNebula's elastic driver binds it to whichever host a
 * VM lands on; on any other public vnet the address is routed to this host
 * now and the range carries it as is. Addresses already recorded are skipped.
 */
export async function assignPublicIps(deps: Deps, input: HostStepInput): Promise<HostStepResult> {
  const { provision, host } = await loadHost(deps, input);
  const networks = publicNetworks(provision);
  if (networks.length === 0 || host.state !== 'BOOTING') return { ...input };
  const one = await deps.openNebula(provision);
  const provider = await providerFor(deps, provision);
  const [machine] = await provider.describe([host.providerId ?? '']);
  let assigned: IpAssignment[] = [...host.publicIps];
  let timings = timing(host, 'assignIps', 'start', deps.now());
  for (const net of networks) {
    const share = ipShare(net, provision.plan.hosts.length, host.index);
    const have = assigned.filter((a) => a.network === net.name);
    if (share === 0 || have.length >= share || !machine) continue;
    const ipam = await ipamFor(deps, provision, net);
    const leases = await ipam.requestAddresses(
      { provisionId: provision.id, count: share },
      idempotencyKey(provision.id, 'ip', net.name, host.index, `g${host.generation ?? 0}`),
    );
    const vnet = provision.networks.find((n) => n.name === net.name);
    const elastic = isElastic(net.vnMad);
    for (const lease of leases) {
      if (assigned.some((a) => a.leaseId === lease.leaseId)) continue;
      if (!elastic) await ipam.attach(lease, machine);
      const range = elastic
        ? elasticAddressRange(lease, machine.privateIp ?? host.privateIp ?? '', provision.plan.provider.name, provision.id)
        : {
            type: 'IP4' as const,
            ip: lease.address,
            size: 1,
            attributes: { PROVISION_ID: provision.id, IPAM_LEASE_ID: lease.leaseId, EDGE_HOST: host.name },
          };
      const arId = vnet ? await one.addAddressRange(vnet.oneId, range) : undefined;
      assigned = [...assigned, { address: lease.address, leaseId: lease.leaseId, network: net.name, arId }];
      await deps.store.updateHost(provision.id, host.index, ['BOOTING'], undefined, { publicIps: assigned });
      await deps.lifecycle.emit(provision.id, 'Ip Assigned', {
        host: host.name,
        index: host.index,
        address: lease.address,
        network: net.name,
      });
    }
  }
  timings = timing({ ...host, timings }, 'assignIps', 'end', deps.now());
  await deps.store.updateHost(provision.id, host.index, ['BOOTING'], undefined, { publicIps: assigned, timings });
  return { ...input };
}
