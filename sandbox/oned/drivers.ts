/*
 * The driver configuration of a stock oned.conf (7.x), as far as the calls the
 * provisioner makes depend on it.
 */

/**
 * One `TM_MAD_CONF` entry of oned.conf: what a datastore gets from its
 * transfer driver. Image datastores take LN_TARGET, CLONE_TARGET, DRIVER,
 * DISK_TYPE and the per-system-driver `_<TM>` variants; system datastores
 * SHARED and the migration flags.
 */
export interface TmConf {
  LN_TARGET: string;
  CLONE_TARGET: string;
  SHARED: string;
  DS_MIGRATE?: string;
  DS_LIVE_MIGRATE?: string;
  DS_MIGRATE_SNAP?: string;
  ALLOW_ORPHANS?: string;
  PERSISTENT_SNAPSHOTS?: string;
  DISK_TYPE?: string;
  DRIVER?: string;
  /** System transfer drivers an image datastore of this kind also serves, with their targets. */
  TM_MAD_SYSTEM?: string;
  LN_TARGET_SSH?: string;
  CLONE_TARGET_SSH?: string;
  DISK_TYPE_SSH?: string;
}

const NO_MIGRATION = { DS_MIGRATE: 'NO', DS_LIVE_MIGRATE: 'NO', DS_MIGRATE_SNAP: 'NO' };
const MIGRATION = { DS_MIGRATE: 'YES', DS_LIVE_MIGRATE: 'YES', DS_MIGRATE_SNAP: 'YES' };
const SSH_SYSTEM = { TM_MAD_SYSTEM: 'ssh', LN_TARGET_SSH: 'SYSTEM', CLONE_TARGET_SSH: 'SYSTEM', DISK_TYPE_SSH: 'FILE' };

/** The stock `TM_MAD_CONF` of oned.conf (7.x). */
export const TM_MAD_CONF: Readonly<Record<string, TmConf>> = {
  dummy: { LN_TARGET: 'NONE', CLONE_TARGET: 'SYSTEM', SHARED: 'YES', ...MIGRATION },
  shared: { LN_TARGET: 'NONE', CLONE_TARGET: 'SYSTEM', SHARED: 'YES', ...SSH_SYSTEM, ALLOW_ORPHANS: 'FORMAT', ...MIGRATION },
  lvm: {
    LN_TARGET: 'NONE',
    CLONE_TARGET: 'SELF',
    SHARED: 'YES',
    DRIVER: 'raw',
    DISK_TYPE: 'BLOCK',
    ALLOW_ORPHANS: 'YES',
    DS_MIGRATE: 'YES',
    DS_LIVE_MIGRATE: 'NO',
    DS_MIGRATE_SNAP: 'NO',
  },
  fs_lvm: {
    LN_TARGET: 'SYSTEM',
    CLONE_TARGET: 'SYSTEM',
    SHARED: 'YES',
    DRIVER: 'raw',
    DISK_TYPE: 'BLOCK',
    DS_MIGRATE: 'YES',
    DS_LIVE_MIGRATE: 'NO',
    DS_MIGRATE_SNAP: 'NO',
  },
  fs_lvm_ssh: {
    LN_TARGET: 'SYSTEM',
    CLONE_TARGET: 'SYSTEM',
    SHARED: 'YES',
    DRIVER: 'raw',
    DISK_TYPE: 'BLOCK',
    PERSISTENT_SNAPSHOTS: 'NO',
    ALLOW_ORPHANS: 'YES',
    DS_MIGRATE: 'YES',
    DS_LIVE_MIGRATE: 'YES',
    DS_MIGRATE_SNAP: 'NO',
  },
  qcow2: {
    LN_TARGET: 'NONE',
    CLONE_TARGET: 'SYSTEM',
    SHARED: 'YES',
    ...SSH_SYSTEM,
    DRIVER: 'qcow2',
    ALLOW_ORPHANS: 'FORMAT',
    ...MIGRATION,
  },
  ssh: { LN_TARGET: 'SYSTEM', CLONE_TARGET: 'SYSTEM', SHARED: 'NO', ALLOW_ORPHANS: 'YES', ...MIGRATION },
  local: { LN_TARGET: 'SYSTEM', CLONE_TARGET: 'SYSTEM', SHARED: 'NO', ALLOW_ORPHANS: 'FORMAT', ...MIGRATION },
  ceph: { LN_TARGET: 'NONE', CLONE_TARGET: 'SELF', SHARED: 'YES', DRIVER: 'raw', ALLOW_ORPHANS: 'mixed', ...SSH_SYSTEM, ...NO_MIGRATION },
  iscsi_libvirt: { LN_TARGET: 'NONE', CLONE_TARGET: 'SELF', SHARED: 'YES', DRIVER: 'raw', ...NO_MIGRATION },
  dev: { LN_TARGET: 'NONE', CLONE_TARGET: 'NONE', SHARED: 'YES', DRIVER: 'raw', ...NO_MIGRATION },
  netapp: {
    LN_TARGET: 'NONE',
    CLONE_TARGET: 'SELF',
    SHARED: 'YES',
    DRIVER: 'raw',
    DISK_TYPE: 'BLOCK',
    ALLOW_ORPHANS: 'LINEAR',
    ...NO_MIGRATION,
  },
  purefa: {
    LN_TARGET: 'NONE',
    CLONE_TARGET: 'SELF',
    SHARED: 'YES',
    DRIVER: 'raw',
    DISK_TYPE: 'BLOCK',
    ALLOW_ORPHANS: 'YES',
    ...NO_MIGRATION,
  },
  virtiofs: { LN_TARGET: 'NONE', CLONE_TARGET: 'NONE', SHARED: 'YES', DRIVER: 'virtiofs', DISK_TYPE: 'filesystem', ...NO_MIGRATION },
};

/** `DS_MAD_CONF`: datastore drivers and the attributes each requires. */
export const DS_MAD_CONF: Readonly<Record<string, { REQUIRED_ATTRS: readonly string[] }>> = {
  ceph: { REQUIRED_ATTRS: ['DISK_TYPE', 'BRIDGE_LIST'] },
  dev: { REQUIRED_ATTRS: ['DISK_TYPE'] },
  iscsi_libvirt: { REQUIRED_ATTRS: ['DISK_TYPE', 'ISCSI_HOST'] },
  dummy: { REQUIRED_ATTRS: [] },
  fs: { REQUIRED_ATTRS: [] },
  lvm: { REQUIRED_ATTRS: [] },
  restic: { REQUIRED_ATTRS: ['RESTIC_PASSWORD'] },
  rsync: { REQUIRED_ATTRS: ['RSYNC_HOST', 'RSYNC_USER'] },
  netapp: {
    REQUIRED_ATTRS: ['NETAPP_HOST', 'NETAPP_USER', 'NETAPP_PASS', 'NETAPP_AGGREGATES', 'NETAPP_SVM', 'NETAPP_IGROUP', 'NETAPP_TARGET'],
  },
  purefa: { REQUIRED_ATTRS: ['PUREFA_HOST', 'PUREFA_API_TOKEN', 'PUREFA_TARGET'] },
  virtiofs: { REQUIRED_ATTRS: [] },
};

/** `DS_MAD_CONF` names. */
export const DS_MADS: ReadonlySet<string> = new Set(Object.keys(DS_MAD_CONF));

/** Monitoring drivers monitord runs (monitord.conf); a host with another IM_MAD is never monitored. */
export const IM_MADS: ReadonlySet<string> = new Set(['kvm', 'qemu', 'lxc', 'dummy']);

/** Datastore `TYPE` numbers by template name. */
export const DATASTORE_TYPES: Readonly<Record<string, number>> = { IMAGE_DS: 0, SYSTEM_DS: 1, FILE_DS: 2, BACKUP_DS: 3 };

/** `Image::DiskType` numbers by name (`Image::str_to_disk_type`). */
export const DISK_TYPES: Readonly<Record<string, number>> = {
  FILE: 0,
  CDROM: 1,
  BLOCK: 2,
  RBD: 3,
  RBD_CDROM: 4,
  GLUSTER: 5,
  GLUSTER_CDROM: 6,
  SHEEPDOG: 7,
  SHEEPDOG_CDROM: 8,
  ISCSI: 9,
  FILESYSTEM: 10,
};

/** `VN_MAD_CONF`: driver name → bridge type. */
export const VN_MAD_CONF: Readonly<Record<string, string>> = {
  dummy: 'linux',
  '802.1Q': 'linux',
  fw: 'linux',
  ovswitch: 'openvswitch',
  vxlan: 'linux',
  ovswitch_vxlan: 'openvswitch',
  bridge: 'linux',
  elastic: 'linux',
  nodeport: 'linux',
};

/** `IPAM_MAD` drivers an address range may name. */
export const IPAM_MADS: ReadonlySet<string> = new Set(['dummy', 'aws', 'equinix', 'vultr', 'scaleway']);

/** `VXLAN_IDS/START`: the automatic VNI of a vxlan network is this plus its ID. */
export const VXLAN_ID_START = 2;

/** `MAC_PREFIX`: first two bytes of generated MACs. */
export const MAC_PREFIX = '02:00';
