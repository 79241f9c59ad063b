import { getOwnedProvision } from '../commands';
import type { Deps } from '../ports/deps';
import type { HostRecord } from '../model';
import { liveHosts } from './settle';

/** One host as `host list` shows it: the record, and OpenNebula's view of it now. */
export interface HostInfo {
  index: number;
  name: string;
  state: HostRecord['state'];
  providerId: string | null;
  oneId: number | null;
  /** OpenNebula's state of the host now (MONITORED, DISABLED, OFFLINE, …); null when not registered. */
  oneState: string | null;
  /** VMs on the host now. */
  vms: Array<{ id: number; name: string; state: number }>;
  privateIp: string | null;
  publicIps: string[];
  /** How to reach it over SSH: the pinned host key and the provision's user (`edgectl host ssh`). */
  ssh: { host: string; port: number; user: string; hostKey: string | null } | null;
  failedStep?: string;
}

/**
 * The provision's hosts with their live OpenNebula state and VMs (released
 * hosts too with `all`).
 */
export async function listHosts(deps: Deps, input: { owner: string; id: string; all?: boolean }): Promise<HostInfo[]> {
  const p = await getOwnedProvision(deps, input.owner, input.id);
  const hosts = input.all ? p.hosts : liveHosts(p);
  const registered = hosts.filter((h) => h.oneId !== undefined && h.state !== 'RELEASED');
  const one = registered.length ? await deps.openNebula(p) : undefined;
  const vms = one ? await one.vmsOnHosts(registered.map((h) => h.oneId as number)) : [];
  const states = new Map<number, string>();
  for (const h of registered) states.set(h.index, (await one?.hostState(h.oneId as number)) ?? '');
  return hosts.map((h) => {
    const plan = p.plan.hosts.find((x) => x.index === h.index);
    return {
      index: h.index,
      name: h.name,
      state: h.state,
      providerId: h.providerId ?? null,
      oneId: h.state === 'RELEASED' ? null : (h.oneId ?? null),
      oneState: states.get(h.index) ?? null,
      vms: vms.filter((vm) => h.oneId !== undefined && vm.hostId === h.oneId).map((vm) => ({ id: vm.id, name: vm.name, state: vm.state })),
      privateIp: h.privateIp ?? null,
      publicIps: h.publicIps.map((ip) => ip.address),
      ssh:
        h.sshHost && h.state !== 'RELEASED'
          ? { host: h.sshHost, port: h.sshPort ?? 22, user: plan?.connection.remoteUser ?? 'root', hostKey: h.hostKey ?? null }
          : null,
      ...(h.failedStep ? { failedStep: h.failedStep } : {}),
    };
  });
}
