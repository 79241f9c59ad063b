import { OWNER, PERMISSIONS_OWNER, cdata, el, permissions, templateXml } from './bodies';
import type { SimImage, SimTemplateObject, SimVm } from './state';
import { getAttr, getVectors, type SimTemplate } from './template';

/*
 * VM, image and template bodies as oned 7.5 writes them (captured from a real
 * oned): the full `<VM>` of `one.vm.info`, the short one of `one.vmpool.info`,
 * `<IMAGE>`, `<VMTEMPLATE>` and `<VNTEMPLATE>`.
 */

/** History action numbers (`VMActions::Action`) the simulated VMs end with. */
export const HISTORY_ACTION = { none: 0, terminate: 27, terminateHard: 28 } as const;

/** Per-VM figures the dummy VM driver reports once it has polled a running VM. */
const VM_MONITORING: ReadonlyArray<readonly [string, number]> = [
  ['CPU', 0],
  ['DISKRDBYTES', 288],
  ['DISKRDIOPS', 543],
  ['DISKWRBYTES', 495],
  ['DISKWRIOPS', 862],
];

function historyFull(vm: SimVm): string {
  if (vm.hostId === undefined) return '<HISTORY_RECORDS/>';
  const stime = vm.deployedAt ?? vm.stime;
  const ended = vm.state === 6;
  const etime = ended ? vm.etime : 0;
  return (
    `<HISTORY_RECORDS><HISTORY>${el('OID', vm.id)}${el('SEQ', 0)}${el('HOSTNAME', vm.hostName ?? '')}${el('HID', vm.hostId)}` +
    `${el('CID', vm.clusterId ?? 0)}${el('STIME', stime)}${el('ETIME', etime)}${cdata('VM_MAD', vm.vmMad ?? 'kvm')}` +
    `${cdata('TM_MAD', vm.tmMad ?? 'ssh')}${el('DS_ID', vm.dsId ?? 0)}${el('PLAN_ID', -2)}${el('ACTION_ID', -1)}` +
    `${el('PSTIME', stime)}${el('PETIME', stime)}${el('RSTIME', stime)}${el('RETIME', etime)}${el('ESTIME', etime)}${el('EETIME', etime)}` +
    `${el('ACTION', ended ? (vm.endAction ?? HISTORY_ACTION.terminateHard) : 0)}${el('UID', ended ? 0 : -1)}${el('GID', ended ? 0 : -1)}` +
    `${el('REQUEST_ID', -1)}</HISTORY></HISTORY_RECORDS>`
  );
}

function monitoringXml(vm: SimVm): string {
  if (vm.lastPoll === undefined) return '<MONITORING></MONITORING>';
  const figures = [...VM_MONITORING, ['ID', vm.id] as const, ['MEMORY', Number(vm.memory) * 696] as const];
  const sorted = [...figures, ['NETRX', 2361] as const, ['NETTX', 2311] as const, ['TIMESTAMP', vm.lastPoll] as const].sort((a, b) =>
    a[0] < b[0] ? -1 : 1,
  );
  return `<MONITORING>${sorted.map(([k, v]) => cdata(k, v)).join('')}</MONITORING>`;
}

/** The VM template a seeded VM (allocated by a test, not over XML-RPC) shows. */
function seededTemplate(vm: SimVm): SimTemplate {
  return [
    ['CPU', vm.cpu],
    ['MEMORY', vm.memory],
    ['VMID', String(vm.id)],
  ];
}

/** `<VM>` of `one.vm.info`. */
export function vmXml(vm: SimVm): string {
  const deployId = vm.hostId === undefined ? '' : (vm.deployId ?? `one-${vm.id}`);
  return (
    `<VM>${el('ID', vm.id)}${OWNER}${el('NAME', vm.name)}${permissions(PERMISSIONS_OWNER)}${el('LAST_POLL', vm.lastPoll ?? 0)}` +
    `${el('STATE', vm.state)}${el('LCM_STATE', vm.lcmState)}${el('PREV_STATE', vm.prevState ?? vm.state)}` +
    `${el('PREV_LCM_STATE', vm.prevLcmState ?? vm.lcmState)}${el('RESCHED', 0)}${el('STIME', vm.stime)}${el('ETIME', vm.etime)}` +
    `${el('DEPLOY_ID', deployId)}${monitoringXml(vm)}<SCHED_ACTIONS></SCHED_ACTIONS>${templateXml(vm.template ?? seededTemplate(vm))}` +
    `<USER_TEMPLATE></USER_TEMPLATE>${historyFull(vm)}<BACKUPS><BACKUP_CONFIG/><BACKUP_IDS></BACKUP_IDS></BACKUPS></VM>`
  );
}

/** NIC attributes the short body keeps. */
const SHORT_NIC = ['IP', 'MAC', 'NETWORK', 'NETWORK_ID', 'NIC_ID', 'SECURITY_GROUPS'];

/** The short `<VM>` of `one.vmpool.info`, with the last history record. */
export function vmShortXml(vm: SimVm): string {
  const template = vm.template ?? seededTemplate(vm);
  const nics = getVectors(template, 'NIC')
    .map(
      (nic) =>
        `<NIC>${nic
          .filter(([k]) => SHORT_NIC.includes(k))
          .map(([k, v]) => cdata(k, v))
          .join('')}</NIC>`,
    )
    .join('');
  const history =
    vm.hostId === undefined
      ? '<HISTORY_RECORDS/>'
      : `<HISTORY_RECORDS><HISTORY>${el('OID', vm.id)}${el('SEQ', 0)}${cdata('HOSTNAME', vm.hostName ?? '')}${el('HID', vm.hostId)}` +
        `${el('CID', vm.clusterId ?? 0)}${el('DS_ID', vm.dsId ?? 0)}${cdata('VM_MAD', vm.vmMad ?? 'kvm')}${cdata('TM_MAD', vm.tmMad ?? 'ssh')}` +
        `${cdata('ACTION', vm.state === 6 ? (vm.endAction ?? HISTORY_ACTION.terminateHard) : 0)}</HISTORY></HISTORY_RECORDS>`;
  const deployId = vm.hostId === undefined ? '' : (vm.deployId ?? `one-${vm.id}`);
  return (
    `<VM>${el('ID', vm.id)}${OWNER}${el('NAME', vm.name)}${el('LAST_POLL', vm.lastPoll ?? 0)}${el('STATE', vm.state)}` +
    `${el('LCM_STATE', vm.lcmState)}${el('RESCHED', 0)}${el('STIME', vm.stime)}${el('ETIME', vm.etime)}${el('DEPLOY_ID', deployId)}` +
    `<TEMPLATE>${el('CPU', getAttr(template, 'CPU') ?? vm.cpu)}${el('MEMORY', getAttr(template, 'MEMORY') ?? vm.memory)}` +
    `${el('VCPU', getAttr(template, 'VCPU') ?? '')}${nics}</TEMPLATE><MONITORING/><USER_TEMPLATE/>${history}</VM>`
  );
}

/** `<IMAGE>` (info and pool are the same). */
export function imageXml(image: SimImage, datastore: { name: string; allowOrphans: string }): string {
  return (
    `<IMAGE>${el('ID', image.id)}${OWNER}${el('NAME', image.name)}${permissions(PERMISSIONS_OWNER)}${el('TYPE', image.type)}` +
    `${el('DISK_TYPE', 0)}${el('PERSISTENT', 0)}${el('REGTIME', image.regtime)}${el('MODTIME', image.regtime)}` +
    `${cdata('SOURCE', image.source)}${cdata('PATH', image.path)}${cdata('FORMAT', 'raw')}${cdata('FS', '')}${el('SIZE', image.size)}` +
    `${el('STATE', image.state)}${el('PREV_STATE', image.prevState)}${el('RUNNING_VMS', 0)}${el('CLONING_OPS', 0)}` +
    `${el('CLONING_ID', -1)}${el('TARGET_SNAPSHOT', -1)}${el('DATASTORE_ID', image.datastoreId)}${el('DATASTORE', datastore.name)}` +
    `<VMS></VMS><CLONES></CLONES><APP_CLONES></APP_CLONES>${templateXml(image.template)}` +
    `<SNAPSHOTS>${cdata('ALLOW_ORPHANS', datastore.allowOrphans)}${cdata('CURRENT_BASE', -1)}${cdata('NEXT_SNAPSHOT', 0)}</SNAPSHOTS>` +
    `<BACKUP_INCREMENTS></BACKUP_INCREMENTS><BACKUP_DISK_IDS></BACKUP_DISK_IDS></IMAGE>`
  );
}

/** `<VMTEMPLATE>` or `<VNTEMPLATE>`. */
export function templateObjectXml(root: 'VMTEMPLATE' | 'VNTEMPLATE', object: SimTemplateObject): string {
  return (
    `<${root}>${el('ID', object.id)}${OWNER}${el('NAME', object.name)}${permissions(PERMISSIONS_OWNER)}` +
    `${el('REGTIME', object.regtime)}${templateXml(object.template)}</${root}>`
  );
}
