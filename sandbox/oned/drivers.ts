/*
 * The driver configuration of a stock oned.conf (7.x), as far as the calls the
 * provisioner makes depend on it.
 */

/** `TM_MAD_CONF` defaults a datastore template gets from its transfer driver. */
export interface TmConf {
  LN_TARGET: string;
  CLONE_TARGET: string;
  SHARED: string;
  DS_MIGRATE: string;
  ALLOW_ORPHANS: string;
  DISK_TYPE?: string;
  DRIVER?: string;
}

export const TM_MAD_CONF: Readonly<Record<string, TmConf>> = {
  dummy: { LN_TARGET: 'NONE', CLONE_TARGET: 'SYSTEM', SHARED: 'YES', DS_MIGRATE: 'YES', ALLOW_ORPHANS: 'NO' },
  lvm: { LN_TARGET: 'NONE', CLONE_TARGET: 'SELF', SHARED: 'YES', DS_MIGRATE: 'NO', ALLOW_ORPHANS: 'NO', DRIVER: 'raw' },
  shared: { LN_TARGET: 'NONE', CLONE_TARGET: 'SYSTEM', SHARED: 'YES', DS_MIGRATE: 'YES', ALLOW_ORPHANS: 'NO', DISK_TYPE: 'FILE' },
  fs_lvm: { LN_TARGET: 'SYSTEM', CLONE_TARGET: 'SYSTEM', SHARED: 'YES', DS_MIGRATE: 'NO', ALLOW_ORPHANS: 'NO', DRIVER: 'raw' },
  fs_lvm_ssh: { LN_TARGET: 'SYSTEM', CLONE_TARGET: 'SYSTEM', SHARED: 'NO', DS_MIGRATE: 'NO', ALLOW_ORPHANS: 'NO', DRIVER: 'raw' },
  qcow2: { LN_TARGET: 'NONE', CLONE_TARGET: 'SYSTEM', SHARED: 'YES', DS_MIGRATE: 'YES', ALLOW_ORPHANS: 'NO', DRIVER: 'qcow2' },
  ssh: { LN_TARGET: 'SYSTEM', CLONE_TARGET: 'SYSTEM', SHARED: 'NO', DS_MIGRATE: 'YES', ALLOW_ORPHANS: 'YES', DISK_TYPE: 'FILE' },
  local: { LN_TARGET: 'SYSTEM', CLONE_TARGET: 'SYSTEM', SHARED: 'NO', DS_MIGRATE: 'YES', ALLOW_ORPHANS: 'FORMAT', DISK_TYPE: 'FILE' },
  ceph: {
    LN_TARGET: 'NONE',
    CLONE_TARGET: 'SELF',
    SHARED: 'YES',
    DS_MIGRATE: 'NO',
    ALLOW_ORPHANS: 'mixed',
    DISK_TYPE: 'RBD',
    DRIVER: 'raw',
  },
  iscsi_libvirt: { LN_TARGET: 'NONE', CLONE_TARGET: 'SELF', SHARED: 'YES', DS_MIGRATE: 'NO', ALLOW_ORPHANS: 'NO', DISK_TYPE: 'ISCSI' },
  dev: { LN_TARGET: 'NONE', CLONE_TARGET: 'NONE', SHARED: 'YES', DS_MIGRATE: 'NO', ALLOW_ORPHANS: 'NO', DISK_TYPE: 'BLOCK' },
  netapp: { LN_TARGET: 'NONE', CLONE_TARGET: 'SELF', SHARED: 'YES', DS_MIGRATE: 'NO', ALLOW_ORPHANS: 'NO', DISK_TYPE: 'BLOCK' },
};

/** `DS_MAD_CONF` names. */
export const DS_MADS: ReadonlySet<string> = new Set(['ceph', 'dev', 'iscsi_libvirt', 'dummy', 'fs', 'lvm', 'restic', 'rsync', 'netapp']);

/** Datastore `TYPE` numbers by template name. */
export const DATASTORE_TYPES: Readonly<Record<string, number>> = { IMAGE_DS: 0, SYSTEM_DS: 1, FILE_DS: 2, BACKUP_DS: 3 };

/** Datastore `DISK_TYPE` numbers by template name. */
export const DISK_TYPES: Readonly<Record<string, number>> = { FILE: 0, CD_ROM: 1, BLOCK: 2, RBD: 3, GLUSTER: 4, SHEEPDOG: 5, ISCSI: 6 };

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
