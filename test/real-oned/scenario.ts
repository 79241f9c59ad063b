import type { Observed, Step } from './differential';

const state = (re: RegExp) => (_seen: Observed, body: string | undefined) => body !== undefined && re.test(body);
const gone = (seen: Observed) => !seen.ok && seen.code === 0x0400;
/** What the dummy VM driver reports once it polled a VM: there or not yet, depending on timing. */
const VM_MONITORING = /^VM\/MONITORING\//;

/*
 * What registering, using and tearing down an edge cluster asks of oned, in
 * order, with the refusals an operator meets on the way. Run against the
 * simulated oned and OpenNebula's own from an empty state each.
 */
export const SCENARIO: Step[] = [
  { name: 'version', method: 'one.system.version', params: () => [], codeOnly: true },
  { name: 'bad password', method: 'one.clusterpool.info', params: () => [], badSession: true },
  { name: 'unknown method', method: 'one.no.such', params: () => [] },
  { name: 'string for an int', method: 'one.host.info', params: () => ['zero'] },

  // Cluster.
  { name: 'cluster allocate', method: 'one.cluster.allocate', params: () => ['edge-c'], save: 'cluster' },
  { name: 'cluster allocate duplicate', method: 'one.cluster.allocate', params: () => ['edge-c'] },
  { name: 'cluster allocate bad name', method: 'one.cluster.allocate', params: () => ['a/b'] },
  {
    name: 'cluster update',
    method: 'one.cluster.update',
    params: (r) => [r['cluster'] ?? -1, 'PROVISION_ID = "p-0123456789ab"\nRESERVED_CPU = "0"', 1],
  },
  { name: 'cluster info', method: 'one.cluster.info', params: (r) => [r['cluster'] ?? -1] },

  // Datastores as the example descriptor declares them, and what oned refuses.
  {
    name: 'image datastore allocate',
    method: 'one.datastore.allocate',
    params: (r) => [
      'NAME = "edge-image"\nTYPE = "IMAGE_DS"\nDS_MAD = "fs"\nTM_MAD = "ssh"\nSAFE_DIRS = "/var/tmp /tmp"\nPROVISION_ID = "p-0123456789ab"',
      r['cluster'] ?? -1,
    ],
    save: 'imageDs',
  },
  {
    name: 'system datastore allocate',
    method: 'one.datastore.allocate',
    params: (r) => [
      'NAME = "edge-system"\nTYPE = "SYSTEM_DS"\nTM_MAD = "ssh"\nSAFE_DIRS = "/var/tmp /tmp"\nPROVISION_ID = "p-0123456789ab"',
      r['cluster'] ?? -1,
    ],
    save: 'systemDs',
  },
  {
    name: 'dummy datastores allocate',
    method: 'one.datastore.allocate',
    params: (r) => ['NAME = "edge-dummy-system"\nTYPE = "SYSTEM_DS"\nTM_MAD = "dummy"', r['cluster'] ?? -1],
    save: 'dummySystemDs',
  },
  {
    name: 'dummy image datastore allocate',
    method: 'one.datastore.allocate',
    params: (r) => ['NAME = "edge-dummy-image"\nTYPE = "IMAGE_DS"\nDS_MAD = "dummy"\nTM_MAD = "dummy"', r['cluster'] ?? -1],
    save: 'dummyImageDs',
  },
  {
    name: 'datastore allocate duplicate',
    method: 'one.datastore.allocate',
    params: (r) => ['NAME = "edge-image"\nTYPE = "IMAGE_DS"\nDS_MAD = "fs"\nTM_MAD = "ssh"', r['cluster'] ?? -1],
  },
  {
    name: 'ceph datastore without DISK_TYPE',
    method: 'one.datastore.allocate',
    params: (r) => ['NAME = "edge-ceph"\nTYPE = "IMAGE_DS"\nDS_MAD = "ceph"\nTM_MAD = "ceph"\nBRIDGE_LIST = "h1"', r['cluster'] ?? -1],
  },
  {
    name: 'datastore unknown TM_MAD',
    method: 'one.datastore.allocate',
    params: (r) => ['NAME = "edge-x"\nTYPE = "IMAGE_DS"\nDS_MAD = "fs"\nTM_MAD = "nosuch"', r['cluster'] ?? -1],
  },
  { name: 'image datastore info', method: 'one.datastore.info', params: (r) => [r['imageDs'] ?? -1] },
  { name: 'system datastore info', method: 'one.datastore.info', params: (r) => [r['systemDs'] ?? -1] },
  { name: 'datastore pool', method: 'one.datastorepool.info', params: () => [] },

  // Networks: what oned refuses, then the ones an edge cluster needs.
  {
    name: 'vxlan without PHYDEV',
    method: 'one.vn.allocate',
    params: (r) => ['NAME = "edge-bad"\nVN_MAD = "vxlan"\nVLAN_ID = "4242"', r['cluster'] ?? -1],
  },
  {
    name: 'vxlan without VLAN_ID',
    method: 'one.vn.allocate',
    params: (r) => ['NAME = "edge-bad"\nVN_MAD = "vxlan"\nPHYDEV = "eth0"', r['cluster'] ?? -1],
  },
  {
    name: 'vnet unknown VN_MAD',
    method: 'one.vn.allocate',
    params: (r) => ['NAME = "edge-bad"\nVN_MAD = "alias_sdnat"', r['cluster'] ?? -1],
  },
  {
    name: 'private vnet allocate',
    method: 'one.vn.allocate',
    params: (r) => [
      'NAME = "edge-private"\nVN_MAD = "vxlan"\nPHYDEV = "eth0"\nVLAN_ID = "4242"\nBRIDGE = "vxbr4242"\nMTU = "1450"\n' +
        'IP_LINK_CONF = "nolearning="\nCONF = "keep_empty_bridge=true"\nPROVISION_ID = "p-0123456789ab"\n' +
        'AR = [ TYPE = "IP4", IP = "172.16.0.2", SIZE = "250" ]',
      r['cluster'] ?? -1,
    ],
    save: 'private',
  },
  {
    name: 'public vnet allocate',
    method: 'one.vn.allocate',
    params: (r) => ['NAME = "edge-public"\nVN_MAD = "elastic"\nBRIDGE = "br0"\nNETROLE = "public"\nDNS = "1.1.1.1"', r['cluster'] ?? -1],
    save: 'public',
  },
  {
    name: 'vnet allocate duplicate',
    method: 'one.vn.allocate',
    params: (r) => ['NAME = "edge-public"\nVN_MAD = "bridge"', r['cluster'] ?? -1],
  },
  {
    name: 'vnet value trimmed',
    method: 'one.vn.allocate',
    params: (r) => ['NAME = "edge-trim"\nVN_MAD = "bridge"\nBRIDGE = "  br7  "', r['cluster'] ?? -1],
    save: 'trim',
  },
  { name: 'private vnet ready', method: 'one.vn.info', params: (r) => [r['private'] ?? -1], until: state(/<STATE><!\[CDATA\[1\]\]>/) },
  { name: 'public vnet ready', method: 'one.vn.info', params: (r) => [r['public'] ?? -1], until: state(/<STATE><!\[CDATA\[1\]\]>/) },
  { name: 'trimmed vnet ready', method: 'one.vn.info', params: (r) => [r['trim'] ?? -1], until: state(/<STATE><!\[CDATA\[1\]\]>/) },
  {
    name: 'public address range add',
    method: 'one.vn.add_ar',
    params: (r) => [
      r['public'] ?? -1,
      'AR = [ TYPE = "IP4", IP = "10.0.113.10", EXTERNAL_IP = "203.0.113.10", SIZE = "1", GATEWAY = "10.0.113.11", ' +
        'NETWORK_MASK = "255.255.255.254", IPAM_LEASE_ID = "eipalloc-1", PROVISION_ID = "p-0123456789ab" ]',
    ],
  },
  { name: 'public vnet info', method: 'one.vn.info', params: (r) => [r['public'] ?? -1] },
  { name: 'vnet pool', method: 'one.vnpool.info', params: () => [-2, -1, -1] },
  { name: 'cluster addvnet', method: 'one.cluster.addvnet', params: (r) => [r['cluster'] ?? -1, r['trim'] ?? -1] },

  // VN templates (6.x private networks).
  {
    name: 'vntemplate allocate',
    method: 'one.vntemplate.allocate',
    params: () => [
      'NAME = "edge-private-tpl"\nVN_MAD = "vxlan"\nPHYDEV = "eth0"\nVLAN_ID = "4243"\nVXLAN_MODE = "evpn"\nVXLAN_TEP = "local_ip"\nPROVISION_ID = "p-0123456789ab"',
    ],
    save: 'vntemplate',
  },
  {
    name: 'vntemplate allocate duplicate',
    method: 'one.vntemplate.allocate',
    params: () => ['NAME = "edge-private-tpl"\nVN_MAD = "vxlan"'],
  },
  { name: 'vntemplate info', method: 'one.vntemplate.info', params: (r) => [r['vntemplate'] ?? -1] },
  { name: 'vntemplate pool', method: 'one.vntemplatepool.info', params: () => [-2, -1, -1] },

  // Hosts, named by address, tagged as OpenNebula's provision tools do.
  { name: 'host allocate', method: 'one.host.allocate', params: (r) => ['10.0.0.4', 'kvm', 'dummy', r['cluster'] ?? -1], save: 'host' },
  {
    name: 'dummy host allocate',
    method: 'one.host.allocate',
    params: (r) => ['10.0.0.5', 'dummy', 'dummy', r['cluster'] ?? -1],
    save: 'host2',
  },
  { name: 'host allocate duplicate', method: 'one.host.allocate', params: (r) => ['10.0.0.4', 'kvm', 'kvm', r['cluster'] ?? -1] },
  { name: 'host allocate bad hostname', method: 'one.host.allocate', params: (r) => ['bad host', 'kvm', 'kvm', r['cluster'] ?? -1] },
  { name: 'host allocate trailing dot', method: 'one.host.allocate', params: (r) => ['edge.', 'kvm', 'kvm', r['cluster'] ?? -1] },
  {
    name: 'host allocate unknown IM_MAD',
    method: 'one.host.allocate',
    params: (r) => ['10.0.0.6', 'nosuch', 'kvm', r['cluster'] ?? -1],
    save: 'lost',
  },
  { name: 'host allocate missing cluster', method: 'one.host.allocate', params: () => ['10.0.0.7', 'kvm', 'kvm', 999] },
  {
    name: 'host update',
    method: 'one.host.update',
    params: (r) => [
      r['host'] ?? -1,
      'PROVISION_ID = "p-0123456789ab"\nPROVISION = [ ID = "p-0123456789ab", DEPLOY_ID = "i-1", HOSTNAME = "edge-host0" ]\n' +
        'ONEFORM = [ PROVISION_ID = "p-0123456789ab", RESOURCE_ID = "i-1", DRIVER = "sim" ]',
      1,
    ],
  },
  { name: 'host info init', method: 'one.host.info', params: (r) => [r['lost'] ?? -1] },
  { name: 'host pool', method: 'one.hostpool.info', params: () => [], until: state(/<HOST><ID>1<\/ID><NAME>10\.0\.0\.5<\/NAME><STATE>2</) },
  {
    name: 'host monitored',
    method: 'one.host.info',
    params: (r) => [r['host'] ?? -1],
    until: state(/^<HOST><ID>\d+<\/ID><NAME>[^<]*<\/NAME><STATE>2</),
  },
  {
    name: 'dummy host monitored',
    method: 'one.host.info',
    params: (r) => [r['host2'] ?? -1],
    until: state(/^<HOST><ID>\d+<\/ID><NAME>[^<]*<\/NAME><STATE>2</),
  },
  { name: 'unknown IM_MAD host still INIT', method: 'one.host.info', params: (r) => [r['lost'] ?? -1] },

  // A VM on the dummy hypervisor, with a lease on the private network.
  { name: 'vm allocate without memory', method: 'one.vm.allocate', params: () => ['NAME = "vm-bad"\nCPU = "1"', false] },
  {
    name: 'vm allocate',
    method: 'one.vm.allocate',
    params: (r) => [`NAME = "vm1"\nCPU = "0.1"\nMEMORY = "64"\nNIC = [ NETWORK_ID = "${r['private'] ?? -1}" ]`, false],
    save: 'vm',
  },
  { name: 'vm pending', method: 'one.vm.info', params: (r) => [r['vm'] ?? -1] },
  { name: 'vm deploy', method: 'one.vm.deploy', params: (r) => [r['vm'] ?? -1, r['host'] ?? -1, false, r['dummySystemDs'] ?? -1] },
  {
    name: 'vm running',
    method: 'one.vm.info',
    params: (r) => [r['vm'] ?? -1],
    ignore: VM_MONITORING,
    until: state(/<LCM_STATE>3<\/LCM_STATE>/),
  },
  { name: 'vm pool', method: 'one.vmpool.info', params: () => [-2, -1, -1, -1] },
  { name: 'private vnet with a lease', method: 'one.vn.info', params: (r) => [r['private'] ?? -1] },
  { name: 'host with a VM', method: 'one.host.info', params: (r) => [r['host'] ?? -1] },
  { name: 'host delete with a VM', method: 'one.host.delete', params: (r) => [r['host'] ?? -1] },
  { name: 'vnet delete with a lease', method: 'one.vn.delete', params: (r) => [r['private'] ?? -1] },
  { name: 'vm unknown action', method: 'one.vm.action', params: (r) => ['explode', r['vm'] ?? -1] },
  { name: 'vm action on a missing VM', method: 'one.vm.action', params: () => ['explode', 9999] },
  { name: 'vm terminate', method: 'one.vm.action', params: (r) => ['terminate-hard', r['vm'] ?? -1] },
  { name: 'vm done', method: 'one.vm.info', params: (r) => [r['vm'] ?? -1], ignore: VM_MONITORING, until: state(/<STATE>6<\/STATE>/) },
  { name: 'vm deploy when done', method: 'one.vm.deploy', params: (r) => [r['vm'] ?? -1, r['host'] ?? -1, false, -1] },
  { name: 'private vnet lease freed', method: 'one.vn.info', params: (r) => [r['private'] ?? -1] },

  // Images and VM templates, which cleanup deletes before the datastores.
  {
    name: 'image allocate',
    method: 'one.image.allocate',
    params: (r) => ['NAME = "disk"\nTYPE = "DATABLOCK"\nSIZE = "10"\nPROVISION_ID = "p-0123456789ab"', r['dummyImageDs'] ?? -1, false],
    save: 'image',
  },
  { name: 'image ready', method: 'one.image.info', params: (r) => [r['image'] ?? -1], until: state(/<STATE>1<\/STATE>/) },
  { name: 'image pool', method: 'one.imagepool.info', params: () => [-2, -1, -1] },
  { name: 'datastore delete with an image', method: 'one.datastore.delete', params: (r) => [r['dummyImageDs'] ?? -1] },
  {
    name: 'vm template allocate',
    method: 'one.template.allocate',
    params: () => ['NAME = "edge-vm"\nCPU = "1"\nMEMORY = "128"\nPROVISION_ID = "p-0123456789ab"'],
    save: 'template',
  },
  { name: 'vm template pool', method: 'one.templatepool.info', params: () => [-2, -1, -1] },
  { name: 'image delete', method: 'one.image.delete', params: (r) => [r['image'] ?? -1] },
  { name: 'image gone', method: 'one.image.info', params: (r) => [r['image'] ?? -1], until: gone },
  { name: 'vm template delete', method: 'one.template.delete', params: (r) => [r['template'] ?? -1, false] },
  { name: 'vntemplate delete', method: 'one.vntemplate.delete', params: (r) => [r['vntemplate'] ?? -1] },
  { name: 'vntemplate delete again', method: 'one.vntemplate.delete', params: (r) => [r['vntemplate'] ?? -1] },

  // Teardown in the order oned accepts, with the refusals on the way.
  { name: 'cluster delete not empty', method: 'one.cluster.delete', params: (r) => [r['cluster'] ?? -1] },
  { name: 'host delete', method: 'one.host.delete', params: (r) => [r['host'] ?? -1] },
  { name: 'host2 delete', method: 'one.host.delete', params: (r) => [r['host2'] ?? -1] },
  { name: 'lost host delete', method: 'one.host.delete', params: (r) => [r['lost'] ?? -1] },
  { name: 'host delete missing', method: 'one.host.delete', params: (r) => [r['host'] ?? -1] },
  { name: 'public address range remove', method: 'one.vn.rm_ar', params: (r) => [r['public'] ?? -1, 0] },
  { name: 'address range remove missing', method: 'one.vn.rm_ar', params: (r) => [r['public'] ?? -1, 7] },
  { name: 'private vnet delete', method: 'one.vn.delete', params: (r) => [r['private'] ?? -1] },
  { name: 'public vnet delete', method: 'one.vn.delete', params: (r) => [r['public'] ?? -1] },
  { name: 'trimmed vnet delete', method: 'one.vn.delete', params: (r) => [r['trim'] ?? -1] },
  { name: 'private vnet gone', method: 'one.vn.info', params: (r) => [r['private'] ?? -1], until: gone },
  { name: 'public vnet gone', method: 'one.vn.info', params: (r) => [r['public'] ?? -1], until: gone },
  { name: 'trimmed vnet gone', method: 'one.vn.info', params: (r) => [r['trim'] ?? -1], until: gone },
  { name: 'image datastore delete', method: 'one.datastore.delete', params: (r) => [r['imageDs'] ?? -1] },
  { name: 'system datastore delete', method: 'one.datastore.delete', params: (r) => [r['systemDs'] ?? -1] },
  { name: 'dummy system datastore delete', method: 'one.datastore.delete', params: (r) => [r['dummySystemDs'] ?? -1] },
  { name: 'dummy image datastore delete', method: 'one.datastore.delete', params: (r) => [r['dummyImageDs'] ?? -1] },
  { name: 'cluster delete', method: 'one.cluster.delete', params: (r) => [r['cluster'] ?? -1] },
  { name: 'cluster delete missing', method: 'one.cluster.delete', params: (r) => [r['cluster'] ?? -1] },
  { name: 'system cluster delete', method: 'one.cluster.delete', params: () => [0] },
];
