import type { NetworkPlan, ProvisionPlan } from '../provisioning/plan';

/** One object create would make, with the calls it takes. */
export interface CreateStep {
  kind: 'infrastructure' | 'cluster' | 'datastore' | 'network' | 'host';
  /** e.g. `host edge-host0`. */
  object: string;
  /** Provider and IPAM API calls, e.g. `RunInstances`, `AllocateAddress ×2`. */
  providerCalls: string[];
  /** OpenNebula XML-RPC calls. */
  opennebulaCalls: string[];
  /** Public IPs this object requests from the provider's IPAM. */
  publicIps: number;
}

/** A provider quota the plan needs. */
export interface QuotaNeed {
  quota: string;
  /** Region or account the quota applies to. */
  scope: string;
  needed: number;
  /** The provider's default limit, when it has a documented one. */
  defaultLimit?: number;
  /** True when `needed` is above the default limit. */
  exceedsDefault: boolean;
  note: string;
}

/** What `create` would do for a plan: steps in order, public IPs, quotas. */
export interface PlanEstimate {
  provider: string;
  region?: string;
  steps: CreateStep[];
  publicIps: number;
  /** Provider and IPAM API calls in total (polls counted once). */
  providerCallCount: number;
  quotas: QuotaNeed[];
}

/** AWS default: 5 Elastic IPs per region (over it: `AddressLimitExceeded`). */
export const AWS_DEFAULT_ELASTIC_IPS_PER_REGION = 5;

/** vCPUs of the metal types the oneprovision templates offer, for the vCPU quota. */
const AWS_METAL_VCPUS: Readonly<Record<string, number>> = {
  'c5.metal': 96,
  'm5.metal': 96,
  'r5.metal': 96,
  'i3.metal': 72,
};

interface ProviderCatalogue {
  infrastructure: string[];
  host: string[];
  ip: (count: number) => string[];
}

const times = (call: string, n: number): string => (n === 1 ? call : `${call} ×${n}`);

const CATALOGUES: Readonly<Record<string, ProviderCatalogue>> = {
  aws: {
    infrastructure: [
      'CreateVpc',
      'CreateSubnet',
      'CreateInternetGateway',
      'AttachInternetGateway',
      'CreateRoute',
      'CreateSecurityGroup',
      'AuthorizeSecurityGroupIngress',
    ],
    host: ['RunInstances (ClientToken)', 'DescribeInstanceStatus (polled until ready)'],
    ip: (n) => [times('AllocateAddress', n), times('AssignPrivateIpAddresses', n), times('AssociateAddress', n)],
  },
  sim: {
    infrastructure: ['ensureInfrastructure'],
    host: ['allocate', 'describe (polled until ready)'],
    ip: (n) => ['requestAddresses', times('attach', n)],
  },
  onprem: {
    infrastructure: [],
    host: [],
    ip: () => [],
  },
};

/**
 * Estimates what `create` would do for a plan, object by object: the
 * provider API calls, the public IPs requested and the quotas needed.
 * Pure: no provider is called.
 */
export function estimatePlan(plan: ProvisionPlan): PlanEstimate {
  const catalogue = CATALOGUES[plan.provider.name] ?? { infrastructure: [], host: [], ip: () => [] };
  const region = plan.provider.settings.region;
  const steps: CreateStep[] = [];
  if (catalogue.infrastructure.length > 0) {
    steps.push({
      kind: 'infrastructure',
      object: `${plan.provider.name} network for ${plan.name}`,
      providerCalls: catalogue.infrastructure,
      opennebulaCalls: [],
      publicIps: 0,
    });
  }
  steps.push({
    kind: 'cluster',
    object: `cluster ${plan.cluster.name}`,
    providerCalls: [],
    opennebulaCalls: [
      'one.cluster.allocate',
      ...(plan.cluster.datastoreIds.length ? [times('one.cluster.adddatastore', plan.cluster.datastoreIds.length)] : []),
    ],
    publicIps: 0,
  });
  for (const ds of plan.datastores) {
    steps.push({
      kind: 'datastore',
      object: `datastore ${ds.name}`,
      providerCalls: [],
      opennebulaCalls: ['one.datastore.allocate'],
      publicIps: 0,
    });
  }
  for (const net of plan.networks) steps.push(networkStep(net, catalogue));
  for (const host of plan.hosts) {
    steps.push({
      kind: 'host',
      object: `host ${host.name}`,
      providerCalls: catalogue.host,
      opennebulaCalls: ['one.host.allocate'],
      publicIps: 0,
    });
  }
  const publicIps = plan.networks.reduce((sum, n) => sum + n.publicIps, 0);
  return {
    provider: plan.provider.name,
    ...(region ? { region } : {}),
    steps,
    publicIps,
    providerCallCount: steps.reduce((sum, s) => sum + s.providerCalls.reduce((n, call) => n + callCount(call), 0), 0),
    quotas: quotasFor(plan, publicIps, region),
  };
}

function networkStep(net: NetworkPlan, catalogue: ProviderCatalogue): CreateStep {
  if (net.template) {
    return {
      kind: 'network',
      object: `network template ${net.name}`,
      providerCalls: [],
      opennebulaCalls: ['one.vntemplate.allocate'],
      publicIps: 0,
    };
  }
  return {
    kind: 'network',
    object: `network ${net.name}`,
    providerCalls: net.publicIps > 0 ? catalogue.ip(net.publicIps) : [],
    opennebulaCalls: ['one.vn.allocate', ...(net.publicIps > 0 ? [times('one.vn.add_ar', net.publicIps)] : [])],
    publicIps: net.publicIps,
  };
}

function callCount(call: string): number {
  const m = / ×(\d+)$/.exec(call);
  return m?.[1] ? Number(m[1]) : 1;
}

function quotasFor(plan: ProvisionPlan, publicIps: number, region: string | undefined): QuotaNeed[] {
  const scope = region ?? 'the provider default region';
  switch (plan.provider.name) {
    case 'aws': {
      const quotas: QuotaNeed[] = [
        {
          quota: 'EC2 Elastic IP addresses',
          scope,
          needed: publicIps,
          defaultLimit: AWS_DEFAULT_ELASTIC_IPS_PER_REGION,
          exceedsDefault: publicIps > AWS_DEFAULT_ELASTIC_IPS_PER_REGION,
          note:
            publicIps > AWS_DEFAULT_ELASTIC_IPS_PER_REGION
              ? `needs ${publicIps} Elastic IPs, above the default of ${AWS_DEFAULT_ELASTIC_IPS_PER_REGION} per region (AddressLimitExceeded): ask AWS for a quota increase first`
              : `within the default of ${AWS_DEFAULT_ELASTIC_IPS_PER_REGION} per region, counting Elastic IPs the account already holds there`,
        },
      ];
      const vcpus = plan.hosts.map((h) => AWS_METAL_VCPUS[h.provision.instancetype ?? '']);
      const known = vcpus.every((v) => v !== undefined);
      quotas.push({
        quota: 'EC2 running On-Demand instances (vCPUs)',
        scope,
        needed: known ? vcpus.reduce<number>((sum, v) => sum + (v ?? 0), 0) : plan.hosts.length,
        exceedsDefault: false,
        note: known
          ? `${plan.hosts.length} instance(s); the vCPU limit is set per account: check it before create`
          : `${plan.hosts.length} instance(s) of types without a known vCPU count; the vCPU limit is set per account`,
      });
      return quotas;
    }
    case 'onprem':
      return publicIps > 0
        ? [
            {
              quota: 'public IPs',
              scope: 'on-premises',
              needed: publicIps,
              exceedsDefault: false,
              note: 'onprem has no IPAM: give public addresses as address ranges instead',
            },
          ]
        : [];
    default:
      return [];
  }
}
