import { InvalidStateError, IpInUseError, NotFoundError, ValidationError } from '../../shared/errors';
import { getOwnedProvision } from '../commands';
import { publicNetworks } from '../context';
import type { Deps } from '../ports/deps';
import type { IpAssignment, Provision } from '../model';
import type { NetworkPlan } from '../plan';
import { startOperation } from '../lock/start-operation';
import type { IpActionInput } from './requests';
import type { StartedOperation } from './scale';
import { LIVE_PROVISION_STATES, liveHosts } from './settle';

/** Most public IPs one `ip add` leases. */
export const MAX_IP_ADD = 16;

/** The public network an `ip add` uses: the one named, or the provision's first (as oneprovision's `ip add`). */
export function publicNetworkFor(p: Provision, name?: string): NetworkPlan {
  const networks = publicNetworks(p).concat(p.plan.networks.filter((n) => n.role === 'public' && n.publicIps === 0));
  const net = name === undefined ? networks[0] : networks.find((n) => n.name === name);
  if (!net) {
    const names = networks.map((n) => n.name).join(', ');
    throw new ValidationError(
      name === undefined
        ? `provision ${p.id} has no public network`
        : `provision ${p.id} has no public network ${name}${names ? ` (it has ${names})` : ''}`,
      [{ path: 'network', message: names ? `expected one of ${names}` : 'no public network' }],
    );
  }
  if (!p.networks.some((n) => n.name === net.name)) throw new InvalidStateError(`public network ${net.name} is not in OpenNebula yet`);
  return net;
}

/** The host that holds a public IP, and the assignment. */
export function ipHolder(p: Provision, address: string): { index: number; ip: IpAssignment } | undefined {
  for (const h of liveHosts(p)) {
    const ip = h.publicIps.find((a) => a.address === address);
    if (ip) return { index: h.index, ip };
  }
  return undefined;
}

/**
 * `ip add`: leases `count` public IPs from the network's IPAM, routes each
 * to a running host (those with the fewest first) and adds it to the public
 * vnet as a size-1 address range, as creation does (ip-action machine).
 */
export async function addIps(deps: Deps, input: { owner: string; id: string; count: number; network?: string }): Promise<StartedOperation> {
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_IP_ADD) {
    throw new ValidationError(`add between 1 and ${MAX_IP_ADD} IPs at a time`, [{ path: 'count', message: `expected 1 to ${MAX_IP_ADD}` }]);
  }
  const p = await getOwnedProvision(deps, input.owner, input.id);
  publicNetworkFor(p, input.network);
  return startOperation(
    deps,
    p.id,
    {
      kind: 'ip-add',
      summary: `add ${input.count} public IP(s)`,
      machine: 'ip-action',
      inStates: LIVE_PROVISION_STATES,
      executionPrefix: 'ip-add',
    },
    async (locked): Promise<IpActionInput> => {
      const net = publicNetworkFor(locked, input.network);
      const hosts = liveHosts(locked).filter((h) => h.state === 'RUNNING' && h.providerId);
      if (hosts.length === 0) throw new InvalidStateError(`provision ${locked.id} has no RUNNING host to route a public IP to`);
      const held = new Map(hosts.map((h) => [h.index, h.publicIps.filter((a) => a.network === net.name).length]));
      const assignments = Array.from({ length: input.count }, () => {
        const [index] = [...held].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0] as [number, number];
        held.set(index, (held.get(index) ?? 0) + 1);
        return { index, network: net.name };
      });
      return { action: 'add', assignments };
    },
  );
}

/**
 * `ip remove`: takes the address range off the public vnet and releases the
 * IP. Refused (409) while a VM holds a lease of it.
 */
export async function removeIp(deps: Deps, input: { owner: string; id: string; address: string }): Promise<StartedOperation> {
  const p = await getOwnedProvision(deps, input.owner, input.id);
  if (!ipHolder(p, input.address)) throw new NotFoundError(`provision ${p.id} has no public IP ${input.address}`);
  return startOperation(
    deps,
    p.id,
    {
      kind: 'ip-remove',
      summary: `remove public IP ${input.address}`,
      machine: 'ip-action',
      inStates: LIVE_PROVISION_STATES,
      executionPrefix: 'ip-remove',
    },
    async (locked): Promise<IpActionInput> => {
      const found = ipHolder(locked, input.address);
      if (!found) throw new NotFoundError(`provision ${locked.id} has no public IP ${input.address}`);
      await refuseLeased(deps, locked, found.ip);
      return { action: 'remove', address: input.address };
    },
  );
}

/** IpInUseError when a VM holds a lease of the address on its vnet. */
export async function refuseLeased(deps: Deps, p: Provision, ip: IpAssignment): Promise<void> {
  const vnet = p.networks.find((n) => n.name === ip.network);
  if (!vnet) return;
  // An elastic range leases the host's private secondary address, not the public one: its range is what identifies it.
  const lease = (await (await deps.openNebula(p)).addressLeases(vnet.oneId)).find(
    (l) => (ip.arId !== undefined && l.arId === ip.arId) || l.address === ip.address,
  );
  if (lease) {
    throw new IpInUseError(`public IP ${ip.address} is leased to VM ${lease.vmId} on ${ip.network}; detach it from the VM first`);
  }
}
