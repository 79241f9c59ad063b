import type { Deps } from '../ports/deps';
import { loadHost, timing, type HostStepInput } from '../context';
import type { HostRecord, Provision } from '../model';
import type { HostSummary, ProvisionMeta } from '../ports/store';
import type { HostStepResult } from './host-allocate';
import { RoleOutputLog } from '../role-output-log';
import { resumeRole } from '../ports/host-configurator';

/** What configuring one host needs of its provision: the metadata and a summary of every host. */
export type ProvisionWithHosts = ProvisionMeta & { hosts: ReadonlyArray<HostSummary> };

/** Hosts whose underlay address is known: VXLAN peers of the one being configured. */
export function knownPeers(provision: ProvisionWithHosts | Provision, except?: number): string[] {
  return provision.hosts
    .filter((h) => h.index !== except && h.privateIp && !['FAILED', 'RELEASING', 'RELEASED'].includes(h.state))
    .map((h) => h.privateIp as string);
}

/** Descriptor `configuration` keys that roles understand, and the role parameter each becomes. */
export const CONFIGURATION_PARAMS: Readonly<Record<string, string>> = {
  one_version: 'EDGE_ONE_VERSION',
  one_repo_url: 'EDGE_ONE_REPO_URL',
  frontend_public_key: 'EDGE_FRONTEND_PUBKEY',
  public_phydev: 'EDGE_PUBLIC_PHYDEV',
  overlay_dev: 'EDGE_OVERLAY_DEV',
  evpn_asn: 'EDGE_EVPN_ASN',
};

/**
 * Parameters the roles receive (validated again by the configurator before
 * use). Other `configuration` keys are Ansible variables of oneprovision's
 * playbooks with no meaning here; they stay in the plan, unused.
 */
export function roleParams(
  provision: ProvisionWithHosts | Provision,
  host: HostRecord,
  configuration: Record<string, string>,
): Record<string, string> {
  const params: Record<string, string> = {
    EDGE_PROVISION_ID: provision.id,
    EDGE_PROVISION_NAME: provision.name,
    EDGE_HOST_NAME: host.name,
    EDGE_HOST_INDEX: String(host.index),
  };
  const first = provision.hosts[0];
  if (first) params['EDGE_FIRST_HOST'] = first.privateIp ?? first.name;
  // BGP EVPN: the first host is the route reflector of the fabric.
  if (provision.plan.overlay.mode === 'evpn' && first?.privateIp) params['EDGE_EVPN_RR'] = first.privateIp;
  if (host.privateIp) params['EDGE_OVERLAY_LOCAL_IP'] = host.privateIp;
  const publicNet = provision.plan.networks.find((n) => n.role === 'public');
  if (publicNet?.attributes['BRIDGE']) params['EDGE_PUBLIC_BRIDGE'] = publicNet.attributes['BRIDGE'];
  const privateNet = provision.plan.networks.find((n) => n.role === 'private');
  const mtu = privateNet?.attributes['MTU'];
  if (mtu) params['EDGE_OVERLAY_MTU'] = mtu;
  // The private vnet's PHYDEV names the overlay's underlay NIC (its device is <PHYDEV>.<VNI>); a fact placeholder means the default NIC.
  const phydev = privateNet?.attributes['PHYDEV'];
  if (phydev && !phydev.includes('${')) params['EDGE_OVERLAY_DEV'] = phydev;
  for (const [key, name] of Object.entries(CONFIGURATION_PARAMS)) {
    const value = configuration[key];
    if (value !== undefined) params[name] = value;
  }
  return params;
}

async function frontendKey(deps: Deps): Promise<Record<string, string>> {
  const key = (await deps.secrets.get(deps.settings.frontendKeyRef))['frontendPublicKey'];
  return key ? { EDGE_FRONTEND_PUBKEY: key } : {};
}

/**
 * Runs the host's configuration roles over SSH until they are done or this
 * invocation's time budget runs low; then returns `done: false` and the
 * machine loops back, resuming at `nextRole`. Role output goes to the log.
 */
export async function configureHost(deps: Deps, input: HostStepInput & { remainingMs?: number }): Promise<HostStepResult> {
  const { provision: meta, host, plan } = await loadHost(deps, input);
  if (['REGISTERING', 'RUNNING'].includes(host.state)) return { ...input, done: true };
  // The VXLAN peers and the first host: a projection of the other hosts, not their full items.
  const provision: ProvisionWithHosts = { ...meta, hosts: await deps.store.hostSummaries(meta.id) };
  const starting = host.state === 'BOOTING';
  const current = await deps.store.updateHost(provision.id, host.index, ['BOOTING', 'CONFIGURING'], 'CONFIGURING', {
    ...(starting ? { timings: timing(host, 'configure', 'start', deps.now()) } : {}),
  });
  const output = new RoleOutputLog(deps.lifecycle, provision.id, host.name);
  const result = await deps.hostConfigurator
    .configure(
      {
        target: {
          provisionId: provision.id,
          hostName: host.name,
          address: current.sshHost ?? '',
          port: current.sshPort ?? 22,
          user: plan.connection.remoteUser,
          hostKey: current.hostKey ?? plan.hostKeyPin,
        },
        fromRole: current.nextRole,
        params: { ...roleParams(provision, current, plan.configuration), ...(await frontendKey(deps)) },
        peers: knownPeers(provision, host.index),
        overlay: provision.plan.overlay,
        deadlineMs: Math.min(input.remainingMs ?? deps.settings.configureBudgetMs, deps.settings.configureBudgetMs),
      },
      (line) => output.add(line),
    )
    .catch(async (err: unknown) => {
      // A retry resumes at the role that failed, not at the first one.
      const role = resumeRole(err);
      if (role)
        await deps.store.updateHost(provision.id, host.index, ['CONFIGURING'], undefined, { nextRole: role }).catch(() => undefined);
      throw err;
    })
    .finally(() => output.flush());
  const patch = {
    hostKey: result.hostKey,
    facts: { ...(current.facts ?? {}), ...result.facts },
    nextRole: result.done ? undefined : result.nextRole,
  };
  if (!result.done) {
    await deps.store.updateHost(provision.id, host.index, ['CONFIGURING'], 'CONFIGURING', patch);
    return { ...input, done: false };
  }
  await deps.store.updateHost(provision.id, host.index, ['CONFIGURING'], 'REGISTERING', {
    ...patch,
    timings: timing(current, 'configure', 'end', deps.now()),
  });
  await deps.lifecycle.emit(provision.id, 'Host Configured', {
    host: host.name,
    index: host.index,
    roles: result.rolesRun.map((r) => r.role),
  });
  return { ...input, done: true };
}
