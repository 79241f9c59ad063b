import { ProvisionPlanSchema, type ProvisionPlan } from '../lambdas/provisioning/plan';
import { EDGE_SITES, type SiteProfile } from '../sandbox/latency-model';

/**
 * A sim plan like the seed demo's: N hosts, two datastores and three networks
 * (public IPs from the IPAM, a VXLAN overlay, a management bridge), one
 * public IP per host, every host in `location`.
 */
export function simPlan(hosts: number, name = 'bench', location?: string): ProvisionPlan {
  return ProvisionPlanSchema.parse({
    name,
    provider: { name: 'sim', settings: {} },
    cluster: { name },
    hosts: Array.from({ length: hosts }, (_, index) => ({
      index,
      name: `${name}-host${index}`,
      provision: location ? { location } : {},
    })),
    datastores: [
      { name: `${name}-image`, type: 'image_ds', attributes: { DS_MAD: 'fs', TM_MAD: 'ssh' } },
      { name: `${name}-system`, type: 'system_ds', attributes: { TM_MAD: 'ssh' } },
    ],
    networks: [
      { name: `${name}-public`, role: 'public', vnMad: 'elastic', attributes: { BRIDGE: 'br0' }, publicIps: hosts },
      {
        name: `${name}-private`,
        role: 'private',
        vnMad: 'vxlan',
        attributes: { PHYDEV: '${updates.default_ipv4_nic}', VLAN_ID: '4242' },
        addressRanges: [{ ip: '172.16.0.2', size: 250 }],
      },
      { name: `${name}-mgmt`, vnMad: 'bridge', attributes: { BRIDGE: 'br-mgmt' }, addressRanges: [{ ip: '192.168.150.2', size: 100 }] },
    ],
    // As many hosts at once as an inline Map runs (40): beyond that, hosts wait for a slot.
    maxConcurrency: 40,
  });
}

/** Name of the edge provision of a site in the fan-out. */
export function siteProvisionName(site: SiteProfile): string {
  return `edge-${site.code}`;
}

/** One 2-host provision per edge site, each named after its site. */
export function edgeSitePlans(sites: readonly SiteProfile[] = EDGE_SITES, hostsPerSite = 2): ProvisionPlan[] {
  return sites.map((site) => simPlan(hostsPerSite, siteProvisionName(site), site.code));
}
