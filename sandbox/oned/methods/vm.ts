import { randomUUID } from 'node:crypto';
import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { poolXml } from '../bodies';
import type { OnedEngine } from '../engine';
import { leaseFor, nicAttributes } from '../leases';
import { actionFailed, apiFailed, internalFailed, noExists, okInt, okString, type CallResult } from '../results';
import type { SimLease, SimVm } from '../state';
import { getAttr, getVectors, parseTemplate, removeAttr, setAttr, type SimTemplate, type SimVector } from '../template';
import { HISTORY_ACTION, vmShortXml, vmXml } from '../vm-bodies';
import type { MethodSpec } from './spec';
import { int, str } from './spec';
import { rangeOf } from './vnet';

const VM_STATE_NAMES = [
  'INIT',
  'PENDING',
  'HOLD',
  'ACTIVE',
  'STOPPED',
  'SUSPENDED',
  'DONE',
  'FAILED',
  'POWEROFF',
  'UNDEPLOYED',
  'CLONING',
  'CLONING_FAILURE',
];

const ACTIONS = new Set([
  'terminate-hard',
  'terminate',
  'undeploy-hard',
  'undeploy',
  'poweroff-hard',
  'poweroff',
  'reboot-hard',
  'reboot',
  'hold',
  'release',
  'stop',
  'suspend',
  'resume',
  'resched',
  'unresched',
]);

/** LCM states whose VM `terminate` deletes at once (`*_FAILURE`). */
const FAILURE_LCM = new Set([36, 37, 38, 39, 40, 41, 42, 44, 46, 47, 48, 49, 50, 61]);
const LCM_PROLOG = 1;
const LCM_RUNNING = 3;
const LCM_SHUTDOWN = 12;
const LCM_UNKNOWN = 16;

function wrongState(method: string, action: string, vm: SimVm): CallResult {
  const verb = action.replace(/-hard$/, '');
  return actionFailed(
    method,
    `Error performing action "${action}": Could not ${verb} VM ${vm.id}, wrong state ${VM_STATE_NAMES[vm.state] ?? vm.state}.`,
  );
}

/** `DispatchManager::terminate` by state; the shutdown completes after the configured delay. */
function terminate(engine: OnedEngine, method: string, action: string, vm: SimVm): CallResult {
  vm.endAction = action === 'terminate' ? HISTORY_ACTION.terminate : HISTORY_ACTION.terminateHard;
  const shutdown = (): CallResult => {
    vm.lcmState = vm.state === 3 ? LCM_SHUTDOWN : vm.lcmState;
    vm.runningAt = undefined;
    vm.doneAt = engine.now() + engine.options.vmTerminateDelayMs;
    engine.touch();
    return okInt(vm.id);
  };
  if (vm.state === 6) return okInt(vm.id);
  if ([0, 1, 2, 10, 11].includes(vm.state)) {
    engine.finishVmNow(vm);
    return okInt(vm.id);
  }
  if ([4, 5, 8, 9].includes(vm.state)) return shutdown();
  if (vm.lcmState === LCM_RUNNING || vm.lcmState === LCM_UNKNOWN) return shutdown();
  if (FAILURE_LCM.has(vm.lcmState)) {
    engine.finishVmNow(vm);
    return okInt(vm.id);
  }
  if (vm.lcmState === LCM_SHUTDOWN && action === 'terminate-hard') return okInt(vm.id);
  return wrongState(method, action, vm);
}

/** The VM is looked up before the action is: a missing VM answers NO_EXISTS whatever the action. */
function vmAction(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult {
  const action = str(args, 0);
  const id = int(args, 1);
  const vm = engine.vm(id);
  if (!vm) return noExists(method, 'virtual machine', id);
  if (!ACTIONS.has(action)) return actionFailed(method, `Action "${action}" is not supported`);
  const running = vm.state === 3 && vm.lcmState === LCM_RUNNING;
  switch (action) {
    case 'terminate':
    case 'terminate-hard':
      return terminate(engine, method, action, vm);
    case 'poweroff':
    case 'poweroff-hard':
      if (!running) return wrongState(method, action, vm);
      vm.state = 8;
      vm.lcmState = 0;
      break;
    case 'resume':
      if (![4, 5, 8, 9].includes(vm.state)) return wrongState(method, action, vm);
      vm.state = 3;
      vm.lcmState = LCM_RUNNING;
      break;
    case 'reboot':
    case 'reboot-hard':
      if (!running) return wrongState(method, action, vm);
      break;
    case 'resched':
    case 'unresched':
      // Flags the VM for the scheduler, which is not simulated: it stays where it is.
      if (vm.state !== 3 || ![LCM_RUNNING, LCM_UNKNOWN].includes(vm.lcmState)) return wrongState(method, action, vm);
      vm.resched = action === 'resched';
      break;
    default:
      // The scheduler-driven actions are not simulated; oned would accept some of them.
      return wrongState(method, action, vm);
  }
  engine.touch();
  return okInt(id);
}

const positiveInteger = (value: string | undefined) => value !== undefined && /^\d+$/.test(value.trim()) && Number(value) > 0;
const positiveNumber = (value: string | undefined) => value !== undefined && /^\d*\.?\d+$/.test(value.trim()) && Number(value) > 0;

/** The NICs of a new VM, resolved against their vnets, with one lease each. */
function resolveNics(
  engine: OnedEngine,
  method: string,
  vmId: number,
  nics: SimVector[],
): { ok: true; nics: SimVector[]; leases: Array<{ vnetId: number; lease: SimLease }> } | { ok: false; result: CallResult } {
  const out: SimVector[] = [];
  const leases: Array<{ vnetId: number; lease: SimLease }> = [];
  for (const [nicId, nic] of nics.entries()) {
    const byId = nic.find(([k]) => k === 'NETWORK_ID')?.[1];
    const byName = nic.find(([k]) => k === 'NETWORK')?.[1];
    const vnet = byId !== undefined ? engine.vnet(Number(byId)) : engine.state.vnets.find((v) => v.name === byName);
    if (!vnet) return { ok: false, result: noExists(method, 'virtual network', Number(byId ?? -1)) };
    const lease = leaseFor(
      vnet,
      vmId,
      leases.filter((l) => l.vnetId === vnet.id).map((l) => l.lease),
    );
    if (!lease) return { ok: false, result: internalFailed(method, `No free addresses in virtual network ${vnet.id}`) };
    leases.push({ vnetId: vnet.id, lease });
    out.push(nicAttributes(vnet, lease, vmId, nicId, nic));
  }
  return { ok: true, nics: out, leases };
}

/** `one.vm.allocate(template, on_hold)`: a PENDING VM holding one lease per NIC. */
function allocate(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult {
  const parsed = parseTemplate(str(args, 0));
  if (!parsed.ok) return internalFailed(method, parsed.error);
  const onHold = args.length > 1 && args[1] === true;
  const template: SimTemplate = parsed.template;
  const refused = (detail: string): CallResult => {
    engine.failedInsert('vm');
    return internalFailed(method, detail);
  };
  if (!positiveInteger(getAttr(template, 'MEMORY'))) return refused('MEMORY attribute must be a positive integer value.');
  if (!positiveNumber(getAttr(template, 'CPU'))) return refused('CPU attribute must be a positive float or integer value.');
  const id = engine.state.lastOid.vm + 1;
  const resolved = resolveNics(engine, method, id, getVectors(template, 'NIC'));
  if (!resolved.ok) return resolved.result;
  engine.nextId('vm');
  const name = getAttr(template, 'NAME') ?? `one-${id}`;
  removeAttr(template, 'NAME');
  removeAttr(template, 'NIC');
  template.push(...resolved.nics.map((nic): [string, SimVector] => ['NIC', nic]));
  const clusters = [...new Set(resolved.leases.map((l) => engine.vnet(l.vnetId)?.clusterIds[0] ?? 0))];
  if (clusters.length > 0) {
    const cid = clusters[0] ?? 0;
    setAttr(template, 'AUTOMATIC_DS_REQUIREMENTS', `("CLUSTERS/ID" @> ${cid})`);
    setAttr(template, 'AUTOMATIC_NIC_REQUIREMENTS', `("CLUSTERS/ID" @> ${cid})`);
    setAttr(template, 'AUTOMATIC_REQUIREMENTS', `(CLUSTER_ID = ${cid}) & !(PIN_POLICY = PINNED)`);
    for (const rule of ['OUTBOUND', 'INBOUND']) {
      template.push([
        'SECURITY_GROUP_RULE',
        [
          ['PROTOCOL', 'ALL'],
          ['RULE_TYPE', rule],
          ['SECURITY_GROUP_ID', '0'],
          ['SECURITY_GROUP_NAME', 'default'],
        ],
      ]);
    }
  } else {
    setAttr(template, 'AUTOMATIC_REQUIREMENTS', '!(PIN_POLICY = PINNED)');
  }
  template.push([
    'OS',
    [
      ['MACHINE', 'q35'],
      ['UUID', randomUUID()],
    ],
  ]);
  setAttr(template, 'VMID', String(id));
  for (const { vnetId, lease } of resolved.leases) {
    const vnet = engine.vnet(vnetId);
    if (!vnet) continue;
    vnet.leases = [...(vnet.leases ?? []), lease];
    vnet.usedLeases += 1;
  }
  const state = onHold ? 2 : 1;
  engine.state.vms.push({
    id,
    name,
    state,
    lcmState: 0,
    prevState: state,
    prevLcmState: 0,
    template,
    stime: Math.floor(engine.now() / 1000),
    etime: 0,
    cpu: getAttr(template, 'CPU') ?? '1',
    memory: getAttr(template, 'MEMORY') ?? '128',
  });
  return okInt(id);
}

/** `one.vm.deploy(id, host, enforce, datastore)`: PROLOG now, RUNNING once the driver answered. */
function deploy(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult {
  const [id, hostId] = [int(args, 0), int(args, 1)];
  const requestedDs = args.length > 3 ? int(args, 3) : -1;
  const vm = engine.vm(id);
  if (!vm) return noExists(method, 'virtual machine', id);
  const host = engine.host(hostId);
  if (!host) return noExists(method, 'host', hostId);
  if (![1, 2, 4, 9].includes(vm.state)) {
    return actionFailed(method, `Deploy action is not available for state ${VM_STATE_NAMES[vm.state] ?? vm.state}`);
  }
  const system = (ds: { type: number; clusterIds: number[] }) => ds.type === 1 && ds.clusterIds.includes(host.clusterId);
  const ds = requestedDs === -1 ? engine.state.datastores.find(system) : engine.datastore(requestedDs);
  if (!ds) return noExists(method, 'datastore', requestedDs);
  vm.state = 3;
  vm.lcmState = LCM_PROLOG;
  vm.hostId = host.id;
  vm.hostName = host.name;
  vm.vmMad = host.vmMad;
  vm.tmMad = ds.tmMad;
  vm.clusterId = host.clusterId;
  vm.dsId = ds.id;
  vm.deployedAt = Math.floor(engine.now() / 1000);
  vm.deployId = host.vmMad === 'dummy' ? `${host.name}:${vm.name}:dummy` : `one-${vm.id}`;
  vm.runningAt = engine.now() + engine.options.vmDeployDelayMs;
  if (vm.template) setAttr(vm.template, 'TM_MAD_SYSTEM', ds.tmMad);
  engine.touch();
  return okInt(id);
}

/** `one.vm.*` and `one.vmpool.info` (short bodies). */
export const vmMethods: Record<string, MethodSpec> = {
  'one.vm.allocate': { params: ['s'], optional: ['b'], run: allocate },
  'one.vm.deploy': { params: ['i', 'i'], optional: ['b', 'i'], run: deploy },
  'one.vm.action': { params: ['s', 'i'], run: vmAction },
  'one.vm.info': {
    params: ['i'],
    optional: ['b'],
    run(engine, method, args) {
      const vm = engine.vm(int(args, 0));
      if (!vm) return noExists(method, 'virtual machine', int(args, 0));
      return okString(vmXml(vm));
    },
  },
  'one.vmpool.info': {
    params: ['i', 'i', 'i', 'i'],
    optional: ['s'],
    run(engine, method, args) {
      const [filter, start, end, state] = [int(args, 0), int(args, 1), int(args, 2), int(args, 3)];
      if (filter < -4) return apiFailed(method, 'Incorrect filter_flag');
      if (state < -2 || state > 11) return apiFailed(method, 'Incorrect filter_flag, state');
      const matching = engine.state.vms.filter((vm) => {
        if (filter >= 0 && filter !== 0) return false;
        if (state === -2) return true;
        if (state === -1) return vm.state !== 6;
        return vm.state === state;
      });
      const bodies = rangeOf(engine.ordered(matching), start, end).map(vmShortXml);
      return okString(poolXml('VM_POOL', bodies));
    },
  },
};
