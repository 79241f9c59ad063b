import { ProvisionPlanSchema, type ProvisionPlan, type ProvisionPlanInput } from '../../lambdas/provisioning/plan';

/** The demo's shape as a rendered plan: 2 hosts, 3 networks (2 public IPs), 2 datastores. */
export function simEdgePlan(overrides: Partial<ProvisionPlanInput> = {}, hostProvision: Array<Record<string, string>> = []): ProvisionPlan {
  return ProvisionPlanSchema.parse({
    name: 'sim-edge',
    provider: { name: 'sim', settings: {} },
    cluster: { name: 'sim-edge', attributes: { RESERVED_CPU: '0' } },
    hosts: [0, 1].map((index) => ({
      index,
      name: `edge-host${index}`,
      provision: { plan: 'metal.small', ...(hostProvision[index] ?? {}) },
    })),
    datastores: [
      { name: 'sim-edge-image', type: 'image_ds', attributes: { DS_MAD: 'fs', TM_MAD: 'ssh' } },
      { name: 'sim-edge-system', type: 'system_ds', attributes: { TM_MAD: 'ssh', REPLICA_HOST: '${updates.first_host}' } },
    ],
    networks: [
      { name: 'sim-edge-public', role: 'public', vnMad: 'elastic', attributes: { BRIDGE: 'br0' }, publicIps: 2 },
      {
        name: 'sim-edge-private',
        role: 'private',
        vnMad: 'vxlan',
        attributes: { PHYDEV: '${updates.default_ipv4_nic}', VLAN_ID: '4242' },
        addressRanges: [{ type: 'IP4', ip: '172.16.0.2', size: 250 }],
      },
      {
        name: 'sim-edge-mgmt',
        role: 'other',
        vnMad: 'bridge',
        attributes: { BRIDGE: 'br-mgmt' },
        addressRanges: [{ type: 'IP4', ip: '192.168.150.2', size: 100 }],
      },
    ],
    ...overrides,
  });
}

/** The plan with every OpenNebula name prefixed, so several provisions of it can live side by side. */
export function withPrefix(plan: ProvisionPlan, prefix: string): ProvisionPlan {
  const name = (n: string) => `${prefix}-${n}`;
  return {
    ...plan,
    name: name(plan.name),
    cluster: { ...plan.cluster, name: name(plan.cluster.name) },
    hosts: plan.hosts.map((h) => ({ ...h, name: name(h.name) })),
    datastores: plan.datastores.map((d) => ({ ...d, name: name(d.name) })),
    networks: plan.networks.map((n) => ({ ...n, name: name(n.name) })),
  };
}
