import { estimatePlan } from '../../lambdas/descriptor';
import { ProvisionPlanSchema, type ProvisionPlanInput } from '../../lambdas/provisioning/plan';

function plan(provider: string, publicIps: number, hosts = 2, extra: Partial<ProvisionPlanInput> = {}) {
  return ProvisionPlanSchema.parse({
    name: 'edge',
    provider: { name: provider, settings: provider === 'aws' ? { region: 'us-east-1' } : {} },
    cluster: { name: 'edge', datastoreIds: [1, 2] },
    hosts: Array.from({ length: hosts }, (_, i) => ({ index: i, name: `h${i}`, provision: { instancetype: 'c5.metal' } })),
    datastores: [{ name: 'img', type: 'image_ds' }],
    networks: [
      { name: 'pub', role: 'public', vnMad: 'elastic', publicIps, ipam: provider },
      { name: 'tpl', vnMad: 'vxlan', template: true },
    ],
    ...extra,
  });
}

describe('estimatePlan', () => {
  it('lists create object by object in registration order with provider and OpenNebula calls', () => {
    const estimate = estimatePlan(plan('aws', 2));
    expect(estimate.steps.map((s) => s.object)).toEqual([
      'aws network for edge',
      'cluster edge',
      'datastore img',
      'network pub',
      'network template tpl',
      'host h0',
      'host h1',
    ]);
    expect(estimate.steps[1]?.opennebulaCalls).toEqual(['one.cluster.allocate', 'one.cluster.adddatastore ×2']);
    expect(estimate.steps[3]).toEqual({
      kind: 'network',
      object: 'network pub',
      providerCalls: ['AllocateAddress ×2', 'AssignPrivateIpAddresses ×2', 'AssociateAddress ×2'],
      opennebulaCalls: ['one.vn.allocate', 'one.vn.add_ar ×2'],
      publicIps: 2,
    });
    expect(estimate.steps[5]?.providerCalls).toEqual(['RunInstances (ClientToken)', 'DescribeInstanceStatus (polled until ready)']);
    expect(estimate.publicIps).toBe(2);
    expect(estimate.providerCallCount).toBe(7 + 6 + 2 * 2);
  });

  it('stays within the AWS default of 5 Elastic IPs per region at 5', () => {
    const eip = estimatePlan(plan('aws', 5)).quotas[0];
    expect(eip).toMatchObject({ quota: 'EC2 Elastic IP addresses', scope: 'us-east-1', needed: 5, defaultLimit: 5, exceedsDefault: false });
  });

  it('says when the Elastic IPs requested exceed the AWS default', () => {
    const eip = estimatePlan(plan('aws', 6)).quotas[0];
    expect(eip).toMatchObject({ needed: 6, exceedsDefault: true });
    expect(eip?.note).toContain('above the default of 5 per region (AddressLimitExceeded)');
  });

  it('counts vCPUs of known metal types', () => {
    expect(estimatePlan(plan('aws', 0, 3)).quotas[1]).toMatchObject({ quota: 'EC2 running On-Demand instances (vCPUs)', needed: 288 });
  });

  it('needs no quota on the sim provider', () => {
    const estimate = estimatePlan(plan('sim', 2));
    expect(estimate.quotas).toEqual([]);
    expect(estimate.steps[3]?.providerCalls).toEqual(['requestAddresses', 'attach ×2']);
  });

  it('notes that onprem has no IPAM for public IPs', () => {
    expect(estimatePlan(plan('onprem', 1)).quotas).toEqual([expect.objectContaining({ quota: 'public IPs', needed: 1 })]);
    expect(estimatePlan(plan('onprem', 0)).steps.every((s) => s.providerCalls.length === 0)).toBe(true);
  });
});
