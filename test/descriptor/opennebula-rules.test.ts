import { planOnedProblems } from '../../lambdas/provisioning/oned-rules';
import { errorsOf, lines, loadText, planOf, SIM_BASE } from './helpers';

describe('descriptor checks of what oned refuses', () => {
  it('refuses a vxlan network without PHYDEV, a VLAN network without VLAN_ID and a ceph datastore without DISK_TYPE, where they are written', async () => {
    const text = lines(
      ...SIM_BASE,
      'datastores:',
      '  - name: ceph-images',
      '    type: image_ds',
      '    ds_mad: ceph',
      '    tm_mad: ceph',
      '    bridge_list: h0',
      'networks:',
      '  - name: tenants',
      '    vn_mad: vxlan',
      '    vlan_id: 100',
      '  - name: vlans',
      '    vn_mad: 802.1Q',
      '    phydev: eth1',
      '  - name: wide',
      '    vn_mad: vxlan',
      '    phydev: eth1',
      '    vlan_id: 16777216',
    );
    const { result } = await loadText(text);
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({
        line: 17,
        column: 5,
        path: 'networks[0]',
        code: 'OpenNebulaRuleError',
        message: expect.stringMatching(/^network 'tenants': PHYDEV is mandatory for driver vxlan, and oned refuses the network without it/),
      }),
      expect.objectContaining({
        line: 20,
        path: 'networks[1]',
        message: "network 'vlans': VLAN_ID (or AUTOMATIC_VLAN_ID) is mandatory for driver 802.1Q: set vlan_id, or automatic_vlan_id: 'YES'",
      }),
      expect.objectContaining({
        line: 26,
        column: 5,
        path: 'networks[2].vlan_id',
        message: "network 'wide': vlan_id must be a whole number from 1 to 16777215 for driver vxlan, found '16777216'",
      }),
      expect.objectContaining({
        line: 11,
        path: 'datastores[0]',
        message: `datastore 'ceph-images': ceph datastores need disk_type (oned refuses it: Datastore template is missing the "DISK_TYPE" attribute)`,
      }),
    ]);
  });

  it('lets the private overlay network take its VNI from the overlay, with AUTOMATIC_VLAN_ID or none', async () => {
    const text = lines(
      ...SIM_BASE,
      'networks:',
      '  - name: private',
      '    vn_mad: vxlan',
      '    netrole: private',
      "    phydev: '${updates.default_ipv4_nic}'",
    );
    expect(planOf((await loadText(text)).result).networks[0]?.name).toBe('private');
  });

  it('renders host names with ${provision_id} and ${index}, so overlapping provisions of one template get distinct hosts', async () => {
    const text = lines(
      "name: 'edge'",
      'defaults:',
      '  provision:',
      "    provider_name: 'sim'",
      'hosts:',
      "  - im_mad: 'kvm'",
      "    vm_mad: 'kvm'",
      '    provision:',
      '      count: 2',
      "      hostname: 'edge-${provision_id}-${index}'",
    );
    const withId = planOf((await loadText(text, { provisionId: 'p-0123456789ab' })).result);
    expect(withId.hosts.map((h) => h.name)).toEqual(['edge-p-0123456789ab-0', 'edge-p-0123456789ab-1']);
    const template = planOf((await loadText(text)).result);
    expect(template.hosts.map((h) => h.name)).toEqual(['edge-${provision_id}-0', 'edge-${provision_id}-1']);
  });

  it('finds the same refusals in a rendered plan posted without a descriptor', () => {
    expect(
      planOnedProblems({
        overlay: { mode: 'vxlan', vni: 4242 },
        networks: [
          { name: 'n', role: 'other', vnMad: 'vxlan', attributes: { VLAN_ID: '5' }, addressRanges: [], publicIps: 0, template: false },
        ],
        datastores: [{ name: 'd', type: 'system_ds', attributes: { TM_MAD: 'ssh', DS_MAD: 'fs' } }],
      }),
    ).toEqual([
      { path: 'networks[0]', message: expect.stringContaining('PHYDEV is mandatory for driver vxlan') },
      { path: 'datastores[0].attributes.DS_MAD', message: "datastore 'd': system datastores cannot have ds_mad (oned refuses it)" },
    ]);
  });
});
