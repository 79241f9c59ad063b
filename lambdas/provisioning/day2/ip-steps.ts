import { describeError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { idempotencyKey, ipamFor, loadProvision, providerFor } from '../context';
import type { IpAssignment, Provision } from '../model';
import type { OperationStepInput } from './operation-input';
import { IpActionInputSchema } from './requests';
import { ipHolder, refuseLeased } from './ips';

/** First step of ip-action: what to add or remove (no state changes; the lock keeps others out). */
export async function beginIpAction(deps: Deps, p: Provision, request: unknown) {
  const input = IpActionInputSchema.parse(request);
  const indexes = input.action === 'add' ? [...new Set(input.assignments.map((a) => a.index))] : [ipHolder(p, input.address)?.index ?? -1];
  return {
    ...input,
    pollSeconds: deps.settings.pollSeconds,
    maxConcurrency: 1,
    hosts: indexes.filter((index) => index >= 0).map((index) => ({ provisionId: p.id, index })),
  };
}

/**
 * `ip add`: for each assignment, leases one address (idempotency key per
 * operation and slot, so a retry gets the same lease), records it on the
 * host at once (so compensation finds it), routes it to the host's machine,
 * and adds it to the vnet as a size-1 address range.
 */
export async function addPublicIps(
  deps: Deps,
  input: OperationStepInput & { assignments: Array<{ index: number; network: string }> },
): Promise<{ added: string[] }> {
  const p = await loadProvision(deps, input.provisionId);
  const one = await deps.openNebula(p);
  const provider = await providerFor(deps, p);
  const added: string[] = [];
  for (const [slot, a] of input.assignments.entries()) {
    const net = p.plan.networks.find((n) => n.name === a.network);
    const vnet = p.networks.find((n) => n.name === a.network);
    const host = await deps.store.getHost(p.id, a.index);
    if (!net || !vnet || !host?.providerId) throw new Error(`ip add: network ${a.network} or host ${a.index} of ${p.id} is gone`);
    const ipam = await ipamFor(deps, p, net);
    const [lease] = await ipam.requestAddresses(
      { provisionId: p.id, count: 1 },
      idempotencyKey(p.id, 'ipadd', input.operationId.slice(3), slot),
    );
    if (!lease) throw new Error(`ip add: the ${net.name} IPAM answered no address`);
    let ips = host.publicIps;
    let ip = ips.find((x) => x.leaseId === lease.leaseId);
    if (ip?.arId !== undefined) continue;
    if (!ip) {
      ip = { address: lease.address, leaseId: lease.leaseId, network: net.name, operationId: input.operationId };
      ips = [...ips, ip];
      await deps.store.updateHost(p.id, host.index, ['RUNNING'], undefined, { publicIps: ips });
    }
    const [machine] = await provider.describe([host.providerId]);
    if (!machine) throw new Error(`ip add: machine ${host.providerId} of ${host.name} is gone`);
    await ipam.attach(lease, machine);
    const arId = await one.addAddressRange(vnet.oneId, {
      type: 'IP4',
      ip: lease.address,
      size: 1,
      attributes: { PROVISION_ID: p.id, IPAM_LEASE_ID: lease.leaseId, EDGE_HOST: host.name },
    });
    await deps.store.updateHost(p.id, host.index, ['RUNNING'], undefined, {
      publicIps: ips.map((x) => (x.leaseId === lease.leaseId ? { ...x, arId } : x)),
    });
    const detail = { host: host.name, index: host.index, address: lease.address, network: net.name };
    await deps.lifecycle.emit(p.id, 'Ip Assigned', detail);
    await deps.lifecycle.emit(p.id, 'Ip Added', { ...detail, operationId: input.operationId });
    added.push(lease.address);
  }
  return { added };
}

/**
 * `ip remove`: refused while a VM holds a lease of the address; otherwise
 * the address range leaves the vnet (recorded at once, so a retry or the
 * compensation knows), then the IPAM releases the address.
 */
export async function removePublicIp(deps: Deps, input: OperationStepInput & { address: string }): Promise<{ removed: string[] }> {
  const p = await loadProvision(deps, input.provisionId);
  const found = ipHolder(p, input.address);
  if (!found) return { removed: [] };
  const host = p.hosts.find((h) => h.index === found.index);
  const net = p.plan.networks.find((n) => n.name === found.ip.network);
  const vnet = p.networks.find((n) => n.name === found.ip.network);
  if (!host || !net) throw new Error(`ip remove: network ${found.ip.network} of ${p.id} is gone`);
  if (vnet && found.ip.arId !== undefined) {
    await refuseLeased(deps, p, found.ip);
    await (await deps.openNebula(p)).removeAddressRange(vnet.oneId, found.ip.arId);
    await deps.store.updateHost(p.id, host.index, [host.state], undefined, {
      publicIps: host.publicIps.map((x) => (x.address === input.address ? withoutRange(x) : x)),
    });
  }
  const ipam = await ipamFor(deps, p, net);
  await ipam.release({ leaseId: found.ip.leaseId, address: found.ip.address, provisionId: p.id });
  await deps.store.updateHost(p.id, host.index, [host.state], undefined, {
    publicIps: host.publicIps.filter((x) => x.address !== input.address),
  });
  const detail = { host: host.name, index: host.index, address: input.address, network: net.name };
  await deps.lifecycle.emit(p.id, 'Ip Released', detail);
  await deps.lifecycle.emit(p.id, 'Ip Removed', { ...detail, operationId: input.operationId });
  return { removed: [input.address] };
}

function withoutRange(ip: IpAssignment): IpAssignment {
  const { arId: _arId, ...rest } = ip;
  return rest;
}

/**
 * Compensation of a failed ip-action. `add`: every address this operation
 * leased leaves its vnet and is released, and leases of the provision that
 * no host records (an answer lost after the IPAM made them) are released
 * too. `remove`: an address still leased goes back on its vnet. Nothing is
 * left half.
 */
export async function compensateIpAction(
  deps: Deps,
  input: OperationStepInput & { begin: { action: 'add' | 'remove'; address?: string } },
): Promise<{ undone: boolean; undoErrors: string[] }> {
  const p = await loadProvision(deps, input.provisionId);
  const one = await deps.openNebula(p);
  const undoErrors: string[] = [];
  const attempt = async (what: string, action: () => Promise<void>) => {
    try {
      await action();
    } catch (err) {
      undoErrors.push(`${what}: ${describeError(err).message}`);
    }
  };
  if (input.begin.action === 'remove') {
    const found = input.begin.address ? ipHolder(p, input.begin.address) : undefined;
    const vnet = found && p.networks.find((n) => n.name === found.ip.network);
    const host = found && p.hosts.find((h) => h.index === found.index);
    if (found && vnet && host && found.ip.arId === undefined) {
      await attempt(found.ip.address, async () => {
        const arId = await one.addAddressRange(vnet.oneId, {
          type: 'IP4',
          ip: found.ip.address,
          size: 1,
          attributes: { PROVISION_ID: p.id, IPAM_LEASE_ID: found.ip.leaseId, EDGE_HOST: host.name },
        });
        await deps.store.updateHost(p.id, host.index, [host.state], undefined, {
          publicIps: host.publicIps.map((x) => (x.address === found.ip.address ? { ...x, arId } : x)),
        });
      });
    }
    return { undone: undoErrors.length === 0, undoErrors };
  }
  for (const host of p.hosts) {
    const mine = host.publicIps.filter((ip) => ip.operationId === input.operationId);
    for (const ip of mine) {
      await attempt(ip.address, async () => {
        const vnet = p.networks.find((n) => n.name === ip.network);
        if (vnet && ip.arId !== undefined) await one.removeAddressRange(vnet.oneId, ip.arId);
        const net = p.plan.networks.find((n) => n.name === ip.network);
        if (net) await (await ipamFor(deps, p, net)).release({ leaseId: ip.leaseId, address: ip.address, provisionId: p.id });
        const current = await deps.store.getHost(p.id, host.index);
        await deps.store.updateHost(p.id, host.index, [current?.state ?? host.state], undefined, {
          publicIps: (current?.publicIps ?? []).filter((x) => x.leaseId !== ip.leaseId),
        });
        await deps.lifecycle.emit(p.id, 'Ip Released', { host: host.name, index: host.index, address: ip.address, network: ip.network });
      });
    }
  }
  await attempt('unrecorded leases', () => releaseUnrecorded(deps, p));
  return { undone: undoErrors.length === 0, undoErrors };
}

/** Leases the provision's IPAMs hold for it that no host records. */
async function releaseUnrecorded(deps: Deps, p: Provision): Promise<void> {
  const current = await loadProvision(deps, p.id);
  const recorded = new Set(current.hosts.flatMap((h) => h.publicIps.map((ip) => ip.leaseId)));
  const names = new Set(p.plan.networks.filter((n) => n.role === 'public').map((n) => n.ipam ?? p.plan.provider.name));
  for (const name of names) {
    const ipam = await deps.ipams.create({ ...p.plan.provider, name }, deps.secrets);
    for (const lease of await ipam.list(p.id)) if (!recorded.has(lease.leaseId)) await ipam.release(lease);
  }
}
