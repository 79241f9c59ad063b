import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const METAL = 'test/fixtures/oneprovision-examples/one-6.10/edge-clusters/metal';
const V512 = 'test/fixtures/oneprovision-examples/one-5.12/examples';

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t), cwd: process.cwd(), env: {} }, out, err };
}

const ERROR_LINE = /^[^:]+:\d+:\d+: (\S+: )?.+$/;

describe('edgectl validate', () => {
  it('summarises a valid descriptor and exits 0', async () => {
    const { io, out, err } = capture();
    expect(await main(['validate', 'examples/sim-edge.yml'], io)).toBe(0);
    expect(out).toEqual([
      "examples/sim-edge.yml: valid — provision 'sim-edge' on provider sim",
      '  hosts: 2 (edge-host0, edge-host1)',
      '  datastores: 2',
      '  networks: 3',
      '  public IPs requested: 2',
    ]);
    expect(err).toEqual([]);
  });

  it('prints the rendered plan as JSON with --json', async () => {
    const { io, out } = capture();
    expect(await main(['validate', 'examples/sim-edge.yml', '--json'], io)).toBe(0);
    const plan = JSON.parse(out.join('\n')) as Record<string, unknown>;
    expect(Object.keys(plan)).toEqual(expect.arrayContaining(['name', 'provider', 'hosts', 'datastores', 'networks']));
    expect(plan.name).toBe('sim-edge');
  });

  it('takes --input, --inputs-file and --provider-file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    try {
      writeFileSync(join(dir, 'values.yml'), 'number_hosts: 3\nnumber_public_ips: 3\n');
      const { io, out } = capture();
      const code = await main(
        [
          'validate',
          `${METAL}/provisions/aws.yml`,
          '--inputs-file',
          join(dir, 'values.yml'),
          '--input',
          'number_hosts=2',
          '--provider-file',
          `${METAL}/providers/aws/aws-us-east-1.yml`,
        ],
        io,
      );
      expect(code).toBe(0);
      expect(out).toContain('  hosts: 2 (edge-host0, edge-host1)');
      expect(out).toContain('  networks: 2 (1 template)');
      expect(out).toContain('  public IPs requested: 3');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints each error as FILE:LINE:COL: PATH: message on stderr and exits 2', async () => {
    const { io, out, err } = capture();
    expect(await main(['validate', `${METAL}/provisions/aws.yml`, '--input', 'number_hosts=0', '--input', 'one_hypervisor=xen'], io)).toBe(
      2,
    );
    expect(out).toEqual([]);
    expect(err).toEqual([
      "--input:2:16: inputs.one_hypervisor: input 'one_hypervisor' must be one of 'kvm', 'lxc', found 'xen' (from --input)",
      `${METAL}/provisions/common.d/hosts.yml:33:14: hosts[0].provision.count: provision.count must be a positive integer, found '0' (rendered from \${input.number_hosts})`,
    ]);
    for (const line of err) expect(line).toMatch(ERROR_LINE);
  });

  it('says in one line that the Packet provider is retired', async () => {
    const { io, err } = capture();
    expect(await main(['validate', `${V512}/example_packet.yaml`], io)).toBe(2);
    expect(err).toEqual([
      `${V512}/example_packet.yaml:19:13: defaults.provision.driver: provider 'packet' is retired: Packet became Equinix Metal, which was shut down on 2026-06-30; supported providers: sim, aws (also ec2), onprem`,
    ]);
  });

  it('reports a missing file in one line with exit 2', async () => {
    const { io, err } = capture();
    expect(await main(['validate', 'no/such/edge.yml'], io)).toBe(2);
    expect(err).toEqual(["no/such/edge.yml:1:1: cannot read descriptor 'no/such/edge.yml': no such file"]);
  });

  it('reports invalid YAML in one line with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    try {
      writeFileSync(join(dir, 'bad.yml'), "name: 'edge'\nhosts: [\n  - a: b: c\n");
      const { io, err } = capture();
      io.cwd = dir;
      expect(await main(['validate', 'bad.yml'], io)).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^bad\.yml:3:\d+: invalid YAML: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an --input without NAME=VALUE', async () => {
    const { io, err } = capture();
    expect(await main(['validate', 'examples/sim-edge.yml', '--input', 'oops'], io)).toBe(2);
    expect(err).toEqual(["edgectl: --input expects NAME=VALUE, found 'oops'"]);
  });

  it('never prints inline credentials', async () => {
    const { io, out, err } = capture();
    expect(await main(['validate', `${V512}/example_ec2.yaml`, '--json'], io)).toBe(0);
    expect([...out, ...err].join('\n')).not.toMatch(/\*\*\*\*|ec2_secret|ec2_access/);
  });
});
