import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const METAL = 'test/fixtures/oneprovision-examples/one-6.10/edge-clusters/metal';
const AWS = ['plan', `${METAL}/provisions/aws.yml`, '--provider-file', `${METAL}/providers/aws/aws-us-east-1.yml`];

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t), cwd: process.cwd(), env: {} }, out, err };
}

describe('edgectl plan', () => {
  it('lists what create would do object by object on the sim provider', async () => {
    const { io, out, err } = capture();
    expect(await main(['plan', 'examples/sim-edge.yml'], io)).toBe(0);
    expect(out).toEqual([
      "Plan for 'sim-edge' on provider sim:",
      '  1. sim network for sim-edge',
      '       provider: ensureInfrastructure',
      '  2. cluster sim-edge',
      '       opennebula: one.cluster.allocate',
      '  3. datastore sim-edge-image',
      '       opennebula: one.datastore.allocate',
      '  4. datastore sim-edge-system',
      '       opennebula: one.datastore.allocate',
      '  5. network sim-edge-public',
      '       provider: requestAddresses, attach ×2',
      '       opennebula: one.vn.allocate, one.vn.add_ar ×2',
      '       public IPs: 2',
      '  6. network sim-edge-private',
      '       opennebula: one.vn.allocate',
      '  7. network sim-edge-mgmt',
      '       opennebula: one.vn.allocate',
      '  8. host edge-host0',
      '       provider: allocate, describe (polled until ready)',
      '       opennebula: one.host.allocate',
      '  9. host edge-host1',
      '       provider: allocate, describe (polled until ready)',
      '       opennebula: one.host.allocate',
      'Public IPs requested: 2',
      'Provider API calls: 8',
      'Quotas: none needed',
    ]);
    expect(err).toEqual([]);
  });

  it('shows the AWS calls and the Elastic IP quota within its default', async () => {
    const { io, out, err } = capture();
    expect(await main([...AWS, '--input', 'number_public_ips=5'], io)).toBe(0);
    expect(out).toContain('       provider: RunInstances (ClientToken), DescribeInstanceStatus (polled until ready)');
    expect(out).toContain('       provider: AllocateAddress ×5, AssignPrivateIpAddresses ×5, AssociateAddress ×5');
    expect(out.find((l) => l.includes('EC2 Elastic IP addresses'))).toMatch(
      /^ {2}EC2 Elastic IP addresses \(us-east-1\): 5 of default 5; within the default/,
    );
    expect(err).toEqual([]);
  });

  it('warns when the public IPs exceed the AWS default quota', async () => {
    const { io, out, err } = capture();
    expect(await main([...AWS, '--input', 'number_public_ips=6'], io)).toBe(0);
    expect(out.find((l) => l.includes('EC2 Elastic IP addresses'))).toContain('6 of default 5 — EXCEEDS the default');
    expect(err).toEqual([
      'warning: EC2 Elastic IP addresses in us-east-1: needs 6 Elastic IPs, above the default of 5 per region (AddressLimitExceeded): ask AWS for a quota increase first',
    ]);
  });

  it('prints the estimate as JSON with --json', async () => {
    const { io, out } = capture();
    expect(await main(['plan', 'examples/sim-edge.yml', '--json'], io)).toBe(0);
    const estimate = JSON.parse(out.join('\n')) as { provider: string; publicIps: number; steps: unknown[] };
    expect(estimate).toMatchObject({ provider: 'sim', publicIps: 2 });
    expect(estimate.steps).toHaveLength(9);
  });

  it('exits 2 with located errors for an invalid descriptor', async () => {
    const { io, out, err } = capture();
    expect(await main(['plan', `${METAL}/provisions/equinix.yml`], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([
      expect.stringMatching(/^test\/.*equinix\.yml:52:20: defaults\.provision\.provider_name: provider 'equinix' is retired/),
    ]);
  });
});
