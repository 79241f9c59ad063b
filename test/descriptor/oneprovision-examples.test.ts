import { join } from 'node:path';
import { errorsOf, loadFile, planOf } from './helpers';

/*
 * The upstream oneprovision templates, copied verbatim into
 * test/fixtures/oneprovision-examples/. Top-level descriptors are loaded
 * directly; the parts under aws.d/, equinix.d/ and common.d/ are loaded
 * through `extends`. The oneform-registry-aws/ files are OneForm (7.x) driver
 * files, not descriptors, and are kept only for reference.
 *
 * Counts, read from the files:
 * - 5.12 example_ec2.yaml: hosts all commented out → 0 hosts, 2 datastores, 2 networks.
 * - 5.12 example_packet.yaml: 0 hosts, 2 datastores, 3 networks, but Packet is retired.
 * - 6.10 aws.yml: 1 host entry with count ${input.number_hosts} (default '1'), 2 datastores
 *   (aws.d/datastores.yml), 1 public network with count ${input.number_public_ips}
 *   (default '1') + 1 vntemplate → 2 networks.
 * - 6.10 equinix.yml: same tree on Equinix, which is retired.
 */
const EXAMPLES = 'test/fixtures/oneprovision-examples';
const V512 = join(EXAMPLES, 'one-5.12/examples');
const METAL = join(EXAMPLES, 'one-6.10/edge-clusters/metal');
const AWS_TREE = join(METAL, 'provisions/aws.yml');
const AWS_PROVIDER = join(METAL, 'providers/aws/aws-us-east-1.yml');

describe('oneprovision 5.12 examples', () => {
  it('loads example_ec2.yaml with 0 hosts, 2 datastores and 2 networks on aws', async () => {
    const { result, store } = await loadFile(join(V512, 'example_ec2.yaml'));
    const plan = planOf(result);
    expect([plan.hosts.length, plan.datastores.length, plan.networks.length]).toEqual([0, 2, 2]);
    expect(plan.provider.name).toBe('aws');
    expect(plan.provider.settings).toEqual({ region: 'us-east-1' });
    expect(plan.datastores.map((d) => d.name)).toEqual(['EC2Cluster-image', 'EC2Cluster-system']);
    expect(plan.networks[0]?.addressRanges).toEqual([{ type: 'IP4', ip: '192.168.150.2', size: 253, attributes: {} }]);
    expect(plan.provider.connectionRef).toBeDefined();
    expect(await store.get(plan.provider.connectionRef ?? '')).toEqual({
      access_key: '***********************************',
      secret_key: '***********************************',
    });
    expect(JSON.stringify(plan)).not.toMatch(/\*\*\*|ec2_access|ec2_secret/);
  });

  it('reports example_packet.yaml as one RetiredProviderError at its driver', async () => {
    const { result, store } = await loadFile(join(V512, 'example_packet.yaml'));
    expect(errorsOf(result)).toEqual([
      {
        file: join(V512, 'example_packet.yaml'),
        line: 19,
        column: 13,
        path: 'defaults.provision.driver',
        code: 'RetiredProviderError',
        message:
          "provider 'packet' is retired: Packet became Equinix Metal, which was shut down on 2026-06-30; supported providers: sim, aws (also ec2), onprem",
      },
    ]);
    expect(store.refs()).toEqual([]);
  });
});

describe('oneprovision 6.10 edge-clusters/metal', () => {
  it('loads aws.yml with its defaults: 1 host, 2 datastores, 2 networks, 1 public IP', async () => {
    const plan = planOf((await loadFile(AWS_TREE)).result);
    expect([plan.hosts.length, plan.datastores.length, plan.networks.length]).toEqual([1, 2, 2]);
    expect(plan.hosts[0]).toMatchObject({
      name: 'edge-host0',
      imMad: 'kvm',
      vmMad: 'kvm',
      provision: { ami: 'default', root_size: '512', instancetype: 'c5.metal', cloud_init: 'true' },
      connection: { remoteUser: 'ubuntu' },
      configuration: { oneprovision_hypervisor: 'kvm', opennebula_ssh_deploy_private_key: 'true' },
    });
    expect(plan.networks.map((n) => [n.name, n.role, n.publicIps, n.template])).toEqual([
      ['aws-edge-cluster-public', 'public', 1, false],
      ['aws-edge-cluster-private', 'private', 0, true],
    ]);
    expect(plan.cluster).toMatchObject({ name: 'aws-edge-cluster', datastoreIds: [1, 2] });
    expect(plan.overlay.mode).toBe('evpn');
  });

  it('keeps ${updates.*} and ${cluster.0.id} verbatim and lists them as deferred', async () => {
    const plan = planOf((await loadFile(AWS_TREE)).result);
    expect(plan.datastores[1]?.attributes.REPLICA_HOST).toBe('${updates.first_host}');
    expect(plan.networks[1]?.attributes.CLUSTER_IDS).toBe('${cluster.0.id}');
    expect(plan.deferred).toEqual([
      { path: 'datastores[1].attributes.REPLICA_HOST', ref: 'updates.first_host', kind: 'updates' },
      { path: 'networks[1].attributes.PHYDEV', ref: 'updates.default_ipv4_nic', kind: 'updates' },
      { path: 'networks[1].attributes.CLUSTER_IDS', ref: 'cluster.0.id', kind: 'cluster' },
    ]);
  });

  it('expands hosts and public IPs from input values', async () => {
    const plan = planOf((await loadFile(AWS_TREE, { inputs: { number_hosts: '3', number_public_ips: '2' } })).result);
    expect(plan.hosts.map((h) => [h.index, h.name])).toEqual([
      [0, 'edge-host0'],
      [1, 'edge-host1'],
      [2, 'edge-host2'],
    ]);
    expect(plan.networks[0]?.publicIps).toBe(2);
  });

  it('takes the connection and inputs of the aws provider file', async () => {
    const { result, store } = await loadFile(AWS_TREE, { providerFile: AWS_PROVIDER });
    const plan = planOf(result);
    expect(plan.provider).toMatchObject({ name: 'aws', settings: { region: 'us-east-1', cidr: '10.0.0.0/16' } });
    expect(await store.get(plan.provider.connectionRef ?? '')).toEqual({ access_key: 'AWS access key', secret_key: 'AWS secret key' });
    expect(JSON.stringify(plan)).not.toContain('AWS secret key');
  });

  it('checks a value against the provider file input options, which replace the template input', async () => {
    const { result } = await loadFile(AWS_TREE, { providerFile: AWS_PROVIDER, inputs: { aws_instance_type: 't3.micro' } });
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({
        file: '--input',
        line: 1,
        column: 19,
        path: 'inputs.aws_instance_type',
        code: 'InputValueError',
        message: "input 'aws_instance_type' must be one of 'c5.metal', 'i3.metal', 'm5.metal', 'r5.metal', found 't3.micro' (from --input)",
      }),
    ]);
  });

  it('reports a bad count at the extended file that wrote it (common.d/hosts.yml)', async () => {
    const { result } = await loadFile(AWS_TREE, { inputs: { number_hosts: '0' } });
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({
        file: join(METAL, 'provisions/common.d/hosts.yml'),
        line: 33,
        column: 14,
        path: 'hosts[0].provision.count',
        code: 'InvalidCountError',
        message: "provision.count must be a positive integer, found '0' (rendered from ${input.number_hosts})",
      }),
    ]);
  });

  it('reports equinix.yml as one RetiredProviderError at its provider_name', async () => {
    const { result } = await loadFile(join(METAL, 'provisions/equinix.yml'));
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({
        file: join(METAL, 'provisions/equinix.yml'),
        line: 52,
        column: 20,
        path: 'defaults.provision.provider_name',
        code: 'RetiredProviderError',
        message:
          "provider 'equinix' is retired: Equinix Metal was shut down on 2026-06-30; supported providers: sim, aws (also ec2), onprem",
      }),
    ]);
  });

  it('reports the equinix provider file as retired at its provider key', async () => {
    const { result } = await loadFile(AWS_TREE, { providerFile: join(METAL, 'providers/equinix/equinix-am.yml') });
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({
        file: join(METAL, 'providers/equinix/equinix-am.yml'),
        line: 4,
        column: 11,
        path: 'provider',
        code: 'RetiredProviderError',
      }),
    ]);
  });
});

describe('examples/sim-edge.yml', () => {
  it('loads 2 hosts, 3 networks, 2 datastores and 2 public IPs with its native fields', async () => {
    const plan = planOf((await loadFile('examples/sim-edge.yml')).result);
    expect([plan.hosts.length, plan.networks.length, plan.datastores.length]).toEqual([2, 3, 2]);
    expect(plan.networks.reduce((n, net) => n + net.publicIps, 0)).toBe(2);
    expect(plan.networks.map((n) => n.role)).toEqual(['public', 'private', 'other']);
    expect(plan).toMatchObject({
      provider: { name: 'sim', settings: {} },
      tags: { team: 'edge' },
      failurePolicy: { minHealthyHosts: 1 },
      maxConcurrency: 10,
      overlay: { mode: 'vxlan', vni: 4242 },
    });
    // No TTL: an edge created from the example stays until deleted.
    expect(plan.ttlSeconds).toBeUndefined();
  });
});
