import { isOverlayNetwork } from './overlay-network';
import type { DatastorePlan, NetworkPlan, ProvisionPlan } from './plan';

/*
 * What a stock OpenNebula front-end (oned.conf of 7.x) accepts for the
 * objects a provision creates: checked before anything is bought, so a
 * descriptor oned would refuse fails validation instead of a create.
 */

/** `VN_MAD_CONF`: the network drivers of a stock oned.conf. */
export const STOCK_VN_MADS: readonly string[] = [
  'dummy',
  '802.1Q',
  'fw',
  'ovswitch',
  'vxlan',
  'ovswitch_vxlan',
  'bridge',
  'elastic',
  'nodeport',
];

/** Network drivers that tag traffic on a physical device: PHYDEV and a VLAN id are mandatory (`VirtualNetwork::insert`). */
export const VLAN_VN_MADS: ReadonlySet<string> = new Set(['802.1Q', 'vxlan']);

/** `DS_MAD_CONF` `REQUIRED_ATTRS` of a stock oned.conf, by datastore driver. */
export const DS_MAD_REQUIRED_ATTRS: Readonly<Record<string, readonly string[]>> = {
  ceph: ['DISK_TYPE', 'BRIDGE_LIST'],
  dev: ['DISK_TYPE'],
  iscsi_libvirt: ['DISK_TYPE', 'ISCSI_HOST'],
  dummy: [],
  fs: [],
  lvm: [],
  restic: ['RESTIC_PASSWORD'],
  rsync: ['RSYNC_HOST', 'RSYNC_USER'],
  netapp: ['NETAPP_HOST', 'NETAPP_USER', 'NETAPP_PASS', 'NETAPP_AGGREGATES', 'NETAPP_SVM', 'NETAPP_IGROUP', 'NETAPP_TARGET'],
  purefa: ['PUREFA_HOST', 'PUREFA_API_TOKEN', 'PUREFA_TARGET'],
  virtiofs: [],
};

/** `TM_MAD_CONF` names of a stock oned.conf. */
export const STOCK_TM_MADS: readonly string[] = [
  'dummy',
  'shared',
  'lvm',
  'fs_lvm',
  'fs_lvm_ssh',
  'qcow2',
  'ssh',
  'local',
  'ceph',
  'iscsi_libvirt',
  'dev',
  'netapp',
  'purefa',
  'virtiofs',
];

/** Disk types a datastore type accepts (`Datastore::set_ds_disk_type`). */
export const DATASTORE_DISK_TYPES: Readonly<Record<'image_ds' | 'system_ds', readonly string[]>> = {
  image_ds: ['FILE', 'BLOCK', 'ISCSI', 'RBD', 'GLUSTER', 'SHEEPDOG', 'FILESYSTEM'],
  system_ds: ['FILE', 'RBD', 'BLOCK', 'FILESYSTEM'],
};

/** One thing oned would refuse (or a warning: something only a customised front-end accepts). */
export interface OnedProblem {
  /** The attribute at fault (plan name, e.g. `PHYDEV`), when one is. */
  attribute?: string;
  message: string;
  warning?: boolean;
}

const value = (attributes: Record<string, string>, name: string): string | undefined => {
  const v = attributes[name];
  return v === undefined || v.trim() === '' ? undefined : v;
};
const isYes = (v: string | undefined) => (v ?? '').trim().toUpperCase() === 'YES';
const unresolved = (v: string) => /\$\{/.test(v);

/**
 * What oned's `VirtualNetwork::insert` refuses in a network (or a VN
 * template, refused when instantiated). The overlay network takes its VNI
 * from the overlay, so it needs no VLAN id of its own.
 */
export function networkProblems(net: Pick<NetworkPlan, 'name' | 'vnMad' | 'attributes'>, options: { overlay: boolean }): OnedProblem[] {
  const { vnMad, attributes, name } = net;
  if (unresolved(vnMad)) return [];
  if (vnMad === 'alias_sdnat') {
    return [
      {
        attribute: 'VN_MAD',
        message: `network '${name}': vn_mad alias_sdnat was OpenNebula 5.12's public NAT driver and is gone since 6.0; use elastic`,
      },
    ];
  }
  if (!STOCK_VN_MADS.includes(vnMad)) {
    return [
      {
        attribute: 'VN_MAD',
        warning: true,
        message: `network '${name}': vn_mad '${vnMad}' is not a driver of a stock oned.conf (${STOCK_VN_MADS.join(', ')}); the front-end must define it`,
      },
    ];
  }
  const out: OnedProblem[] = [];
  if ((VLAN_VN_MADS.has(vnMad) || vnMad === 'ovswitch_vxlan') && value(attributes, 'PHYDEV') === undefined) {
    const hint = vnMad === 'vxlan' ? " (the hosts' underlay NIC, e.g. phydev: '${updates.default_ipv4_nic}')" : '';
    out.push({
      message: `network '${name}': PHYDEV is mandatory for driver ${vnMad}, and oned refuses the network without it: set phydev${hint}`,
    });
  }
  if (
    VLAN_VN_MADS.has(vnMad) &&
    !options.overlay &&
    value(attributes, 'VLAN_ID') === undefined &&
    !isYes(attributes['AUTOMATIC_VLAN_ID'])
  ) {
    out.push({
      message: `network '${name}': VLAN_ID (or AUTOMATIC_VLAN_ID) is mandatory for driver ${vnMad}: set vlan_id, or automatic_vlan_id: 'YES'`,
    });
  }
  if (vnMad === 'ovswitch_vxlan' && value(attributes, 'OUTER_VLAN_ID') === undefined && !isYes(attributes['AUTOMATIC_OUTER_VLAN_ID'])) {
    out.push({ message: `network '${name}': OUTER_VLAN_ID (or AUTOMATIC_OUTER_VLAN_ID) is mandatory for driver ovswitch_vxlan` });
  }
  if (vnMad === 'dummy' && value(attributes, 'BRIDGE') === undefined) {
    out.push({ message: `network '${name}': BRIDGE is mandatory for driver dummy: set bridge` });
  }
  const vlan = value(attributes, 'VLAN_ID');
  if (vlan !== undefined && !unresolved(vlan) && VLAN_VN_MADS.has(vnMad)) {
    const max = vnMad === 'vxlan' ? 16_777_215 : 4094;
    if (!/^\d+$/.test(vlan.trim()) || Number(vlan) < 1 || Number(vlan) > max) {
      out.push({
        attribute: 'VLAN_ID',
        message: `network '${name}': vlan_id must be a whole number from 1 to ${max} for driver ${vnMad}, found '${vlan}'`,
      });
    }
  }
  return out;
}

/** What oned's `Datastore::insert` refuses in a datastore: drivers, their REQUIRED_ATTRS, the disk type. */
export function datastoreProblems(ds: Pick<DatastorePlan, 'name' | 'type' | 'attributes'>): OnedProblem[] {
  const { type, attributes, name } = ds;
  const out: OnedProblem[] = [];
  const dsMad = value(attributes, 'DS_MAD');
  const tmMad = value(attributes, 'TM_MAD');
  if (type === 'system_ds' && dsMad !== undefined)
    out.push({ attribute: 'DS_MAD', message: `datastore '${name}': system datastores cannot have ds_mad (oned refuses it)` });
  if (type !== 'system_ds' && dsMad === undefined)
    out.push({ message: `datastore '${name}': ds_mad is mandatory for ${type} (oned refuses it without): e.g. fs` });
  if (tmMad === undefined) out.push({ message: `datastore '${name}': tm_mad is mandatory (oned refuses it without): e.g. ssh` });
  else if (!STOCK_TM_MADS.includes(tmMad) && !unresolved(tmMad)) {
    out.push({
      attribute: 'TM_MAD',
      warning: true,
      message: `datastore '${name}': tm_mad '${tmMad}' is not a driver of a stock oned.conf; the front-end must define it`,
    });
  }
  if (type !== 'system_ds' && dsMad !== undefined) {
    for (const required of DS_MAD_REQUIRED_ATTRS[dsMad] ?? []) {
      if (value(attributes, required) === undefined) {
        out.push({
          message: `datastore '${name}': ${dsMad} datastores need ${required.toLowerCase()} (oned refuses it: Datastore template is missing the "${required}" attribute)`,
        });
      }
    }
  }
  const diskType = value(attributes, 'DISK_TYPE');
  if (diskType !== undefined && type !== 'file_ds' && !unresolved(diskType)) {
    const valid = DATASTORE_DISK_TYPES[type];
    if (!valid.includes(diskType.trim().toUpperCase())) {
      out.push({
        attribute: 'DISK_TYPE',
        message: `datastore '${name}': disk_type '${diskType}' is not valid for ${type} (expected one of ${valid.join(', ')})`,
      });
    }
  }
  return out;
}

/** Every refusal (no warnings) in a plan's networks and datastores, with the plan path at fault. */
export function planOnedProblems(
  plan: Pick<ProvisionPlan, 'overlay' | 'networks' | 'datastores'>,
): Array<{ path: string; message: string }> {
  const at = (base: string, p: OnedProblem) => (p.attribute ? `${base}.attributes.${p.attribute}` : base);
  return [
    ...plan.networks.flatMap((net, i) =>
      networkProblems(net, { overlay: isOverlayNetwork(plan, net) })
        .filter((p) => !p.warning)
        .map((p) => ({ path: at(`networks[${i}]`, p), message: p.message })),
    ),
    ...plan.datastores.flatMap((ds, i) =>
      datastoreProblems(ds)
        .filter((p) => !p.warning)
        .map((p) => ({ path: at(`datastores[${i}]`, p), message: p.message })),
    ),
  ];
}
