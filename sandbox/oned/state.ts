import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SimTemplate, SimVector } from './template';

/** A cluster; its hosts, datastores and vnets are derived from their own cluster fields. */
export interface SimCluster {
  id: number;
  name: string;
  template: SimTemplate;
}

/** A host. `STATE` moves INIT → MONITORED at `monitoredAt`. */
export interface SimHost {
  id: number;
  name: string;
  state: number;
  prevState: number;
  imMad: string;
  vmMad: string;
  clusterId: number;
  template: SimTemplate;
  /** When the first monitoring answer arrives (epoch ms); undefined once applied. */
  monitoredAt?: number;
  /** Set once monitored: the capacity figures. */
  monitored: boolean;
  lastMonitorTime?: number;
  /** Why monitoring failed (the host is then in ERROR). */
  monitorError?: string;
}

/** A datastore; may be in several clusters. */
export interface SimDatastore {
  id: number;
  name: string;
  type: number;
  dsMad: string;
  tmMad: string;
  basePath: string;
  clusterIds: number[];
  template: SimTemplate;
}

/** A stored address range of a vnet (raw form attributes, by name). */
export interface SimAddressRange {
  arId: number;
  attributes: SimVector;
}

/** A virtual network; driver actions complete at `readyAt` / `goneAt`. */
export interface SimVnet {
  id: number;
  name: string;
  uid: number;
  clusterIds: number[];
  bridge: string;
  bridgeType: string;
  state: number;
  prevState: number;
  vnMad: string;
  phydev: string;
  vlanId: string;
  vlanIdAutomatic: boolean;
  outerVlanId: string;
  outerVlanIdAutomatic: boolean;
  /** Leases in use that no simulated VM holds (set by tests). */
  usedLeases: number;
  /** Leases VMs hold. */
  leases?: SimLease[];
  template: SimTemplate;
  addressRanges: SimAddressRange[];
  nextArId: number;
  readyAt?: number;
  goneAt?: number;
}

/** An address a VM's NIC holds on a vnet. */
export interface SimLease {
  arId: number;
  /** Position in the range. */
  index: number;
  ip?: string;
  mac: string;
  vmId: number;
}

/** A VM: allocated over XML-RPC (`one.vm.allocate`, `one.vm.deploy`) or seeded by tests. */
export interface SimVm {
  id: number;
  name: string;
  state: number;
  lcmState: number;
  prevState?: number;
  prevLcmState?: number;
  /** The VM template as oned keeps it (NICs resolved, requirements added); undefined for seeded VMs. */
  template?: SimTemplate;
  /** System datastore of the deployment. */
  dsId?: number;
  /** Deployment times (epoch s): prolog start, running since. */
  deployedAt?: number;
  /** When a deploying VM reaches RUNNING (epoch ms). */
  runningAt?: number;
  /** Last monitoring of a running VM (epoch s). */
  lastPoll?: number;
  /** The history action that ended it (28 terminate-hard). */
  endAction?: number;
  hostId?: number;
  /** Host name and drivers at deploy time, as the history record keeps them. */
  hostName?: string;
  vmMad?: string;
  tmMad?: string;
  /** The hypervisor's name for the VM (`<host>:<name>:dummy` for the dummy driver). */
  deployId?: string;
  clusterId?: number;
  stime: number;
  etime: number;
  cpu: string;
  memory: string;
  /** When a termination completes (epoch ms). */
  doneAt?: number;
  /** Network interfaces: the address each holds on a vnet (a lease of its range). */
  nics?: Array<{ vnetId: number; ip: string }>;
  /** Set by `resched`: the scheduler should move it (not simulated: it stays). */
  resched?: boolean;
}

/** An image in an image datastore. */
export interface SimImage {
  id: number;
  name: string;
  /** 0 OS, 1 CDROM, 2 DATABLOCK, 3 KERNEL, 4 RAMDISK, 5 CONTEXT. */
  type: number;
  /** 4 LOCKED while the datastore driver copies it, then 1 READY. */
  state: number;
  prevState: number;
  datastoreId: number;
  size: number;
  source: string;
  path: string;
  regtime: number;
  template: SimTemplate;
  readyAt?: number;
  goneAt?: number;
}

/** A VM template (`VMTEMPLATE`) or a virtual network template (`VNTEMPLATE`). */
export interface SimTemplateObject {
  id: number;
  name: string;
  regtime: number;
  template: SimTemplate;
}

/** Everything oned would keep in its database. */
export interface SimState {
  version: 1;
  lastOid: {
    cluster: number;
    host: number;
    datastore: number;
    vnet: number;
    vm: number;
    image: number;
    template: number;
    vntemplate: number;
  };
  clusters: SimCluster[];
  hosts: SimHost[];
  datastores: SimDatastore[];
  vnets: SimVnet[];
  vms: SimVm[];
  images: SimImage[];
  vmTemplates: SimTemplateObject[];
  vnTemplates: SimTemplateObject[];
}

const DATASTORE_LOCATION = '/var/lib/one//datastores';

/** Where a datastore's files live, as oned's `BASE_PATH`. */
export function basePath(id: number): string {
  return `${DATASTORE_LOCATION}/${id}`;
}

function attrs(pairs: Record<string, string>): SimTemplate {
  return Object.entries(pairs).map(([k, v]) => [k, v]);
}

/**
 * oned right after bootstrap: cluster 0 `default` holding datastores 0
 * `system`, 1 `default`, 2 `files`; clusters and datastores continue at 100.
 */
export function bootstrapState(): SimState {
  const common = { PERSISTENT_SNAPSHOTS: 'YES', RESTRICTED_DIRS: '/', SAFE_DIRS: '/var/tmp' };
  return {
    version: 1,
    lastOid: { cluster: 99, host: -1, datastore: 99, vnet: -1, vm: -1, image: -1, template: -1, vntemplate: -1 },
    clusters: [{ id: 0, name: 'default', template: attrs({ RESERVED_CPU: '', RESERVED_MEM: '' }) }],
    hosts: [],
    datastores: [
      {
        id: 0,
        name: 'system',
        type: 1,
        dsMad: '-',
        tmMad: 'local',
        basePath: basePath(0),
        clusterIds: [0],
        template: attrs({
          ALLOW_ORPHANS: 'FORMAT',
          DISK_TYPE: 'FILE',
          DS_LIVE_MIGRATE: 'YES',
          DS_MIGRATE: 'YES',
          DS_MIGRATE_SNAP: 'YES',
          ...common,
          SHARED: 'NO',
          TM_MAD: 'local',
          TYPE: 'SYSTEM_DS',
        }),
      },
      {
        id: 1,
        name: 'default',
        type: 0,
        dsMad: 'fs',
        tmMad: 'local',
        basePath: basePath(1),
        clusterIds: [0],
        template: attrs({
          ALLOW_ORPHANS: 'FORMAT',
          CLONE_TARGET: 'SYSTEM',
          DISK_TYPE: 'FILE',
          DS_MAD: 'fs',
          LN_TARGET: 'SYSTEM',
          ...common,
          TM_MAD: 'local',
          TYPE: 'IMAGE_DS',
        }),
      },
      {
        id: 2,
        name: 'files',
        type: 2,
        dsMad: 'fs',
        tmMad: 'local',
        basePath: basePath(2),
        clusterIds: [0],
        template: attrs({
          ALLOW_ORPHANS: 'FORMAT',
          CLONE_TARGET: 'SYSTEM',
          DS_MAD: 'fs',
          LN_TARGET: 'SYSTEM',
          ...common,
          TM_MAD: 'local',
          TYPE: 'FILE_DS',
        }),
      },
    ],
    vnets: [],
    vms: [],
    images: [],
    vmTemplates: [],
    vnTemplates: [],
  };
}

/** Reads a saved state, or bootstraps when the file does not exist yet. */
export function loadState(file: string | undefined): SimState {
  if (!file || !fs.existsSync(file)) return bootstrapState();
  const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SimState> & Pick<SimState, 'version' | 'lastOid'>;
  if (saved.version !== 1) throw new Error(`${file}: unknown simulated oned state version ${String(saved.version)}`);
  // Files saved before images and templates were simulated lack their pools.
  const fresh = bootstrapState();
  return {
    ...fresh,
    ...saved,
    lastOid: { ...fresh.lastOid, ...saved.lastOid },
    images: saved.images ?? [],
    vmTemplates: saved.vmTemplates ?? [],
    vnTemplates: saved.vnTemplates ?? [],
  };
}

/** Writes the state atomically (temp file + rename), so a crash never leaves half a file. */
export function saveState(file: string, state: SimState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
}
