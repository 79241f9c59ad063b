import { PROVISION_ID_PLACEHOLDER, substituteProvisionId } from '../../lambdas/descriptor';
import { errorsOf, lines, loadFile, loadText, planOf, SIM_BASE, tempTree } from './helpers';

describe('descriptor mapping', () => {
  describe('hosts', () => {
    it('merges defaults into each host section, the host winning', async () => {
      const text = lines(
        "name: 'edge'",
        'defaults:',
        '  provision: { provider_name: sim, plan: small, location: fra }',
        '  connection: { remote_user: admin, remote_port: 2222, public_key: /keys/id.pub }',
        '  configuration: { hv: kvm, tuning: { hugepages: 4 } }',
        'hosts:',
        '  - im_mad: kvm',
        '    vm_mad: kvm',
        "    reserved_cpu: '10'",
        '    provision: { hostname: a, plan: large }',
        '    connection: { remote_user: root }',
        '    configuration: { hv: lxc }',
      );
      const host = planOf((await loadText(text)).result).hosts[0];
      expect(host).toEqual({
        index: 0,
        name: 'a',
        imMad: 'kvm',
        vmMad: 'kvm',
        provision: { plan: 'large', location: 'fra' },
        connection: { remoteUser: 'root', port: 2222 },
        configuration: { hv: 'lxc', tuning: '{"hugepages":4}' },
        attributes: { RESERVED_CPU: '10' },
      });
    });

    it('numbers hosts across entries and takes names from a hostname list', async () => {
      const text = lines(...SIM_BASE, '      count: 2', '  - im_mad: kvm', '    vm_mad: kvm', '    provision:', '      hostname: [x, y]');
      const plan = planOf((await loadText(text)).result);
      expect(plan.hosts.map((h) => [h.index, h.name])).toEqual([
        [0, 'h0'],
        [1, 'h1'],
        [2, 'x'],
        [3, 'y'],
      ]);
    });

    it('pins a host key per host and refuses one pin on several hosts', async () => {
      const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
      const one = planOf((await loadText(lines(...SIM_BASE, '    connection:', `      host_key: '${key}'`))).result);
      expect(one.hosts[0]?.hostKeyPin).toBe(key);
      const two = await loadText(lines(...SIM_BASE, '      count: 2', '    connection:', `      host_key: '${key}'`));
      expect(errorsOf(two.result)).toEqual([
        expect.objectContaining({
          line: 9,
          path: 'hosts[0].connection.host_key',
          message: "host key pin of 'h1' is also pinned for 'h0': each host has its own key",
        }),
      ]);
    });

    it('rejects a host key that is not an OpenSSH public key', async () => {
      const { result } = await loadText(lines(...SIM_BASE, '    connection:', '      host_key: not-a-key'));
      expect(errorsOf(result)).toEqual([
        expect.objectContaining({
          line: 11,
          column: 17,
          path: 'hosts[0].connection.host_key',
          message: "expected an OpenSSH public host key (`ssh-ed25519 AAAA...`), found the string 'not-a-key'",
        }),
      ]);
    });
  });

  describe('placeholders', () => {
    it('renders 5.12 ERB <%= @name %> as the provision name', async () => {
      const plan = planOf(
        (await loadText(lines(...SIM_BASE, 'datastores:', "  - name: '<%= @name %>-image'", '    ds_mad: fs', '    tm_mad: ssh'))).result,
      );
      expect(plan.datastores[0]).toEqual({ name: 'edge-image', type: 'image_ds', attributes: { DS_MAD: 'fs', TM_MAD: 'ssh' } });
    });

    it('renders ${provision_id} when the id is given, and keeps it for substitution otherwise', async () => {
      const text = lines(...SIM_BASE, '      tag: ${provision}-${provision_id}');
      const given = planOf((await loadText(text, { provisionId: 'p-42' })).result);
      expect(given.hosts[0]?.provision.tag).toBe('edge-p-42');
      const later = planOf((await loadText(text)).result);
      expect(later.hosts[0]?.provision.tag).toBe(`edge-${PROVISION_ID_PLACEHOLDER}`);
      expect(substituteProvisionId(later, 'p-7').hosts[0]?.provision.tag).toBe('edge-p-7');
    });

    it('refuses ${index} outside hosts', async () => {
      const { result } = await loadText(lines(...SIM_BASE, 'datastores:', "  - name: 'ds${index}'", '    ds_mad: fs', '    tm_mad: ssh'));
      expect(errorsOf(result)).toEqual([
        expect.objectContaining({ line: 11, column: 14, message: 'unknown placeholder ${index}: ${index} is only defined inside hosts' }),
      ]);
    });

    it('accepts references to objects by index or name', async () => {
      const text = lines(
        ...SIM_BASE,
        'datastores:',
        '  - { name: img, ds_mad: fs, tm_mad: ssh }',
        'networks:',
        '  - { name: lan, vn_mad: bridge, ds: "${datastore.img.id}", h: "${host.0.name}" }',
      );
      const plan = planOf((await loadText(text)).result);
      expect(plan.deferred).toEqual([
        { path: 'networks[0].attributes.DS', ref: 'datastore.img.id', kind: 'datastore' },
        { path: 'networks[0].attributes.H', ref: 'host.0.name', kind: 'host' },
      ]);
    });
  });

  describe('networks', () => {
    it('copies ar[0] count times on a private network', async () => {
      const text = lines(
        ...SIM_BASE,
        'networks:',
        '  - name: lan',
        '    vn_mad: bridge',
        '    netrole: private',
        '    provision: { count: 3 }',
        '    ar:',
        '      - { size: 16, mac: "02:00:00:00:00:01" }',
      );
      const net = planOf((await loadText(text)).result).networks[0];
      expect(net?.addressRanges).toHaveLength(3);
      expect(net?.addressRanges[0]).toEqual({ type: 'IP4', size: 16, attributes: { MAC: '02:00:00:00:00:01' } });
    });

    it('makes a network with an IPAM range public and maps ec2 to aws', async () => {
      const text = lines(...SIM_BASE, 'networks:', '  - name: pub', '    vn_mad: elastic', '    ar:', '      - { size: 3, ipam_mad: ec2 }');
      expect(planOf((await loadText(text)).result).networks[0]).toMatchObject({
        role: 'public',
        publicIps: 3,
        ipam: 'aws',
        addressRanges: [],
      });
    });

    it('keeps vntemplates as networks marked template', async () => {
      const plan = planOf(
        (
          await loadText(
            lines(...SIM_BASE, 'vntemplates:', '  - { name: tpl, vn_mad: vxlan, phydev: eth0, vxlan_mode: evpn, vlan_id: 77 }'),
          )
        ).result,
      );
      expect(plan.networks[0]).toMatchObject({ name: 'tpl', template: true, attributes: { VXLAN_MODE: 'evpn', VLAN_ID: '77' } });
      expect(plan.overlay).toEqual({ mode: 'evpn', vni: 77 });
    });

    it('reports an address range with a bad IPv4 address', async () => {
      const { result } = await loadText(
        lines(...SIM_BASE, 'networks:', '  - name: lan', '    vn_mad: bridge', '    ar:', '      - { ip: 10.0.0.300, size: 4 }'),
      );
      expect(errorsOf(result)).toEqual([
        expect.objectContaining({
          line: 14,
          column: 15,
          path: 'networks[0].ar[0].ip',
          message: "expected an IPv4 address, found '10.0.0.300'",
        }),
      ]);
    });
  });

  describe('native fields', () => {
    it('maps ttl, tags, failure policy, concurrency, overlay and teardown_on', async () => {
      const text = lines(
        ...SIM_BASE,
        '      count: 3',
        'ttl: 1h30m',
        'tags: { team: edge, cost: 42 }',
        'failure_policy: { min_healthy_hosts: 2, on_error: teardown }',
        'max_concurrency: 4',
        'overlay: { mode: none, vni: 9000 }',
        'teardown_on:',
        '  source: [budgets]',
        '  detail: { state: [ALARM] }',
      );
      expect(planOf((await loadText(text)).result)).toMatchObject({
        ttlSeconds: 5400,
        tags: { team: 'edge', cost: '42' },
        failurePolicy: { minHealthyHosts: 2, onError: 'teardown' },
        maxConcurrency: 4,
        overlay: { mode: 'none', vni: 9000 },
        teardownOn: { source: ['budgets'], detail: { state: ['ALARM'] } },
      });
    });

    it.each([
      ['30s', 30],
      ['8h', 28800],
      ['2d', 172800],
      [90, 90],
    ])('reads ttl %p as %p seconds', async (ttl, seconds) => {
      const plan = planOf((await loadText(lines(...SIM_BASE, `ttl: ${String(ttl)}`))).result);
      expect(plan.ttlSeconds).toBe(seconds);
    });

    it('reports native-field mistakes at their values', async () => {
      const text = lines(
        ...SIM_BASE,
        'failure_policy: { min_healthy_hosts: 3 }',
        'overlay: { mode: vxlan, vnid: 3 }',
        'teardown_on: { source: budgets }',
      );
      expect(errorsOf((await loadText(text)).result).map((e) => [e.line, e.column, e.path, e.message])).toEqual([
        [11, 25, 'overlay.vnid', "unknown key 'vnid' (expected one of mode, vni)"],
        [
          12,
          24,
          'teardown_on.source',
          "expected a list of values to match or a nested pattern (EventBridge leaves are lists), found the string 'budgets'",
        ],
        [10, 38, 'failure_policy.min_healthy_hosts', 'expected at most 1 (the number of hosts), found 3'],
      ]);
    });
  });

  it('does not add a min_healthy_hosts error to an error in what decides the hosts', async () => {
    const text = lines(
      "name: 'edge'",
      'inputs:',
      '  - name: hosts',
      '    type: integer',
      'defaults:',
      '  provision:',
      "    provider_name: 'sim'",
      'hosts:',
      "  - im_mad: 'kvm'",
      "    vm_mad: 'kvm'",
      '    provision:',
      '      count: ${input.hosts}',
      "      hostname: 'h${index}'",
      'failure_policy: { min_healthy_hosts: 2 }',
    );
    const errors = errorsOf((await loadText(text, { inputs: { hosts: 'three' } })).result);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.path)).not.toContain('failure_policy.min_healthy_hosts');
  });

  describe('top-level keys', () => {
    it('keeps unknown keys as extras with a warning, and ignores virtual objects', async () => {
      const { result } = await loadText(lines(...SIM_BASE, 'ceph_vars: { a: 1 }', 'my_notes: hello', 'images:', '  - name: img'));
      expect(result.ok).toBe(true);
      expect(result.warnings.map((w) => [w.line, w.message])).toEqual([
        [11, "unknown top-level key 'my_notes' kept as extra data; the plan does not use it"],
        [12, 'images are not created by edge-provisioner; ignored'],
      ]);
    });
  });

  describe('extends', () => {
    it('concatenates lists in order, lets the including file win and hash-merges defaults', async () => {
      const tree = tempTree({
        'main.yml': lines(
          'name: main',
          'extends: [parts/one.yml, parts/two.yml]',
          'defaults:',
          '  provision: { plan: large }',
          'datastores:',
          '  - { name: c, ds_mad: fs, tm_mad: ssh }',
        ),
        'parts/one.yml': lines(
          'name: one',
          'defaults:',
          '  provision: { provider_name: sim, plan: small, location: fra }',
          'datastores:',
          '  - { name: a, ds_mad: fs, tm_mad: ssh }',
        ),
        'parts/two.yml': lines('extends: ../parts/hosts.yml', 'datastores:', '  - { name: b, ds_mad: fs, tm_mad: ssh }'),
        'parts/hosts.yml': lines('hosts:', '  - { im_mad: kvm, vm_mad: kvm, provision: { hostname: h } }'),
      });
      try {
        const plan = planOf((await loadFile('main.yml', { cwd: tree.dir })).result);
        expect(plan.name).toBe('main');
        expect(plan.datastores.map((d) => d.name)).toEqual(['a', 'b', 'c']);
        expect(plan.hosts[0]?.provision).toEqual({ plan: 'large', location: 'fra' });
      } finally {
        tree.cleanup();
      }
    });
  });
});
