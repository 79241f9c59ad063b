import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { startMemorySandbox } from '../support/memory-sandbox';
import { manualWorkflows } from '../fakes/manual-workflows';
import { apiEvent, call } from '../api/api-events';
import { errorsOf, loadText, planOf } from './helpers';

type Doc = Record<string, unknown>;

/** A valid sim descriptor that writes every kind of field the plan carries. */
function base(): Doc {
  return {
    name: 'fields-edge',
    description: 'Edge cluster for field rules',
    defaults: {
      provision: { provider_name: 'sim', plan: 'metal.small', location: 'sim-fra-1', token: 'inline-credential' },
      connection: { remote_user: 'ubuntu' },
      configuration: { oneprovision_hypervisor: 'kvm', sysctl: { 'net.core.somaxconn': '1024' } },
    },
    cluster: { name: 'fields-edge', description: 'Simulated edge cluster', reserved_cpu: '0' },
    hosts: [{ im_mad: 'kvm', vm_mad: 'kvm', reserved_mem: '0', provision: { count: 1, hostname: 'edge-host${index}' } }],
    datastores: [{ name: 'fields-image', type: 'image_ds', ds_mad: 'fs', tm_mad: 'ssh', safe_dirs: '/var/tmp /tmp' }],
    networks: [
      {
        name: 'fields-public',
        vn_mad: 'elastic',
        bridge: 'br0',
        netrole: 'public',
        dns: '1.1.1.1 8.8.8.8',
        provision: { count: 1 },
        ar: [{ size: '1', ipam_mad: 'sim' }],
      },
      {
        name: 'fields-vlan',
        vn_mad: '802.1Q',
        phydev: 'eth0',
        vlan_id: '100',
        mtu: '1500',
        gateway: '172.16.0.1',
        ar: [{ type: 'IP4', ip: '172.16.0.2', size: '10' }],
      },
    ],
    tags: { team: 'edge' },
  };
}

/** Every string field a descriptor writes, as the path an error names. */
const FIELDS = [
  'name',
  'description',
  'defaults.provision.plan',
  'defaults.provision.location',
  'defaults.connection.remote_user',
  'defaults.configuration.oneprovision_hypervisor',
  'defaults.configuration.sysctl["net.core.somaxconn"]',
  'cluster.name',
  'cluster.description',
  'cluster.reserved_cpu',
  'hosts[0].im_mad',
  'hosts[0].vm_mad',
  'hosts[0].reserved_mem',
  'hosts[0].provision.hostname',
  'datastores[0].name',
  'datastores[0].ds_mad',
  'datastores[0].tm_mad',
  'datastores[0].safe_dirs',
  'networks[0].name',
  'networks[0].vn_mad',
  'networks[0].bridge',
  'networks[0].dns',
  'networks[0].ar[0].ipam_mad',
  'networks[1].name',
  'networks[1].vn_mad',
  'networks[1].phydev',
  'networks[1].vlan_id',
  'networks[1].mtu',
  'networks[1].gateway',
  'networks[1].ar[0].ip',
  'tags.team',
];

/** What a shell would run or a template would read as syntax. */
const PAYLOADS = ['$(touch x)', ';rm -rf /', '`id`', 'br0\nid', 'a|b', 'a && b', '>out', 'a"b', 'a\\b'];
/** Descriptions are text: line breaks are fine there, the rest is not. */
const TEXT_FIELDS = new Set(['description', 'cluster.description']);

const cases = FIELDS.flatMap((field) =>
  PAYLOADS.filter((p) => !(TEXT_FIELDS.has(field) && p.includes('\n'))).map((payload) => [field, payload] as const),
);

function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]"]+)|\[(\d+)\]|\["([^"]+)"\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(m[3] ?? m[1] ?? '');
  }
  return out;
}

function withField(path: string, value: string): Doc {
  const doc = base();
  const segments = pathSegments(path);
  let node = doc as Record<string | number, unknown>;
  for (const s of segments.slice(0, -1)) node = node[s] as Record<string | number, unknown>;
  node[segments[segments.length - 1] as string | number] = value;
  return doc;
}

describe('descriptor field rules', () => {
  it('loads the base descriptor, storing its inline credential', async () => {
    const { result, store } = await loadText(stringify(base()));
    const plan = planOf(result);
    expect(store.refs()).toHaveLength(1);
    expect(plan.networks[1]?.attributes).toMatchObject({ VLAN_ID: '100', MTU: '1500', PHYDEV: 'eth0' });
  });

  it.each(cases)('refuses %s = %j with its path and line', async (field, payload) => {
    const text = stringify(withField(field, payload));
    const { result, store } = await loadText(text);
    const errors = errorsOf(result);
    const error = errors.find((e) => e.path === field);
    expect({ field, paths: errors.map((e) => e.path) }).toEqual({ field, paths: expect.arrayContaining([field]) });
    expect(error?.file).toBe('edge.yml');
    // The line named is the one the field was written on.
    const key =
      pathSegments(field)
        .filter((x): x is string => typeof x === 'string')
        .pop() ?? '';
    expect(text.split('\n')[(error?.line ?? 0) - 1]).toContain(key);
    // Nothing is kept for a refused descriptor.
    expect(store.refs()).toEqual([]);
  });

  it('accepts a multi-line description', async () => {
    const plan = planOf((await loadText(stringify({ ...base(), description: 'Edge cluster\nfor field rules\n' }))).result);
    expect(plan.description).toBe('Edge cluster\nfor field rules\n');
  });

  const VALUES: Array<[string, string, boolean]> = [
    ['networks[1].vlan_id', '0', false],
    ['networks[1].vlan_id', '4095', false],
    ['networks[1].vlan_id', '4094', true],
    ['networks[1].vlan_id', 'ten', false],
    ['networks[1].mtu', '67', false],
    ['networks[1].mtu', '65536', false],
    ['networks[1].mtu', '9000', true],
    ['networks[0].bridge', 'abcdefghijklmnop', false],
    ['networks[0].bridge', 'br/0', false],
    ['networks[0].bridge', 'br 0', false],
    ['networks[0].bridge', 'br:0', false],
    ['networks[0].bridge', 'onebr.100', true],
    ['networks[1].phydev', 'enp125s0', true],
    ['networks[0].dns', '8.8.8.8,1.1.1.1', true],
    ['networks[0].dns', '2001:4860:4860::8888', true],
    ['networks[0].dns', 'dns.google', false],
    ['networks[0].dns', '8.8.8.256', false],
    ['networks[1].gateway', '172.16.0.300', false],
    ['defaults.connection.remote_user', '-oProxyCommand=id', false],
    ['defaults.connection.remote_user', 'user name', false],
    ['defaults.connection.remote_user', 'a'.repeat(33), false],
    ['defaults.connection.remote_user', 'ec2-user', true],
    ['datastores[0].tm_mad', 'SSH!', false],
    ['datastores[0].tm_mad', 'shared', true],
    ['hosts[0].im_mad', 'k v m', false],
    ['hosts[0].vm_mad', 'lxc', true],
    ['networks[0].vn_mad', 'ovswitch', true],
    ['cluster.name', 'edge:one', false],
    ['cluster.name', 'edge/one', false],
    ['cluster.name', "edge's", false],
    ['cluster.name', 'x'.repeat(129), false],
    ['cluster.name', 'Edge One (Frankfurt)', true],
    ['hosts[0].provision.hostname', `h${'x'.repeat(63)}`, false],
    ['tags.team', 'a'.repeat(4097), false],
  ];

  it.each(VALUES)('checks %s = %j (accepted: %s)', async (field, value, accepted) => {
    const { result } = await loadText(stringify(withField(field, value)));
    if (accepted) planOf(result);
    else expect(errorsOf(result).map((e) => e.path)).toContain(field);
  });

  it("takes a VXLAN network's vlan_id as a 24-bit VNI", async () => {
    const vxlan = (vni: string) => {
      const doc = withField('networks[1].vn_mad', 'vxlan');
      (doc['networks'] as Doc[])[1]!['vlan_id'] = vni;
      return stringify(doc);
    };
    planOf((await loadText(vxlan('16777215'))).result);
    expect(errorsOf((await loadText(vxlan('16777216'))).result).map((e) => e.path)).toEqual(['networks[1].vlan_id']);
  });

  it('says what was expected and where', async () => {
    const errors = errorsOf((await loadText(stringify(withField('networks[0].bridge', '$(touch /tmp/x)')))).result);
    expect(errors).toEqual([
      expect.objectContaining({
        file: 'edge.yml',
        path: 'networks[0].bridge',
        code: 'InvalidFieldError',
        message: 'expected a value without shell syntax (` $ ; | & < > \\ "), found "$(touch /tmp/x)"',
      }),
    ]);
  });
});

describe('POST /validate and edgectl validate', () => {
  let s: Awaited<ReturnType<typeof startMemorySandbox>>;
  let dir: string;
  beforeAll(async () => {
    s = await startMemorySandbox();
    s.deps.workflows = manualWorkflows();
    dir = mkdtempSync(join(tmpdir(), 'field-rules-'));
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuse a JSON plan whose bridge would run a command, naming the field', async () => {
    const plan = planOf((await loadText(stringify(base()))).result);
    const bad = {
      ...plan,
      networks: plan.networks.map((n, i) => (i === 0 ? { ...n, attributes: { ...n.attributes, BRIDGE: '$(touch x)' } } : n)),
    };
    const res = await call(s.deps, apiEvent({ method: 'POST', path: '/validate', body: JSON.stringify({ plan: bad }) }));
    expect(res.statusCode).toBe(422);
    expect(res.json['errors']).toEqual([{ path: 'networks[0].attributes.BRIDGE', message: expect.stringContaining('shell syntax') }]);
  });

  const shellCases = FIELDS.map((field) => [field, TEXT_FIELDS.has(field) ? '`id`' : '$(touch x)\n;rm'] as const);

  it.each(shellCases)('refuse %s = %j with its path', async (field, payload) => {
    const text = stringify(withField(field, payload));
    const res = await call(
      s.deps,
      apiEvent({ method: 'POST', path: '/validate', body: text, headers: { 'content-type': 'application/yaml' } }),
    );
    expect(res.statusCode).toBe(422);
    expect((res.json['errors'] as Array<{ path: string }>).map((e) => e.path)).toContain(field);

    const file = join(dir, 'edge.yml');
    writeFileSync(file, text);
    const err: string[] = [];
    const io: CliIo = { out: () => undefined, err: (t) => err.push(t), cwd: dir, env: {} };
    expect(await main(['validate', 'edge.yml'], io)).toBe(2);
    expect(err.some((line) => line.startsWith('edge.yml:') && line.includes(`: ${field}: `))).toBe(true);
  });
});
