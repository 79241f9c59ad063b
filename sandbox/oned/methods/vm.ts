import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { poolXml, vmShortXml } from '../bodies';
import type { OnedEngine } from '../engine';
import { actionFailed, apiFailed, noExists, okInt, okString, type CallResult } from '../results';
import type { SimVm } from '../state';
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
  const shutdown = (): CallResult => {
    vm.lcmState = vm.state === 3 ? LCM_SHUTDOWN : vm.lcmState;
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

function vmAction(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult {
  const action = str(args, 0);
  const id = int(args, 1);
  if (!ACTIONS.has(action)) return actionFailed(method, `Action "${action}" is not supported`);
  const vm = engine.vm(id);
  if (!vm) return noExists(method, 'virtual machine', id);
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

/** `one.vm.action` and `one.vmpool.info` (short bodies). */
export const vmMethods: Record<string, MethodSpec> = {
  'one.vm.action': { params: ['s', 'i'], run: vmAction },
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
