import { InvalidStateError, ValidationError, VmsRunningError } from '../../shared/errors';
import { getOwnedProvision } from '../commands';
import type { Deps } from '../ports/deps';
import type { HostRecord } from '../model';
import { startOperation } from '../lock/start-operation';
import type { HostAction, HostActionInput } from './requests';
import { describeVms, vmsByHost, type StartedOperation } from './scale';
import { findHost, LIVE_PROVISION_STATES } from './settle';

/** What `poweroff`, `reboot` or `resume` of one host was asked with. */
export interface HostActionRequest {
  owner: string;
  id: string;
  /** Host name or index. */
  host: string;
  action: HostAction;
  /** reboot: power cycle instead of the provider's reboot. */
  hard?: boolean;
  /** poweroff, reboot: pause the host's VMs first (and resume them once it is back) instead of refusing. */
  force?: boolean;
}

/** The host state each action starts from. */
const FROM: Record<HostAction, HostRecord['state']> = { poweroff: 'RUNNING', reboot: 'RUNNING', resume: 'OFF' };

/** 409 for an action the host's state makes meaningless (resume of a RUNNING host, poweroff of an OFF one). */
export function refuseHostAction(host: HostRecord, action: HostAction): void {
  if (host.state !== FROM[action]) {
    throw new InvalidStateError(
      `host ${host.name} is ${host.state}; ${action} needs ${FROM[action] === 'OFF' ? 'an' : 'a'} ${FROM[action]} host`,
    );
  }
  if (!host.providerId || host.oneId === undefined) {
    throw new InvalidStateError(`host ${host.name} has no machine registered in OpenNebula; nothing to ${action}`);
  }
}

/**
 * Powers a host off, reboots or resumes it, through the provider and
 * OpenNebula (host-action machine). Refused (409) where the state makes no
 * sense, and for a host that runs VMs unless `force`, which pauses them.
 */
export async function hostAction(deps: Deps, request: HostActionRequest): Promise<StartedOperation> {
  if (request.hard && request.action !== 'reboot') {
    throw new ValidationError('hard applies to reboot only (a power cycle)', [{ path: 'hard', message: `not for ${request.action}` }]);
  }
  const p = await getOwnedProvision(deps, request.owner, request.id);
  const named = findHost(p, request.host);
  if (!p.operation) refuseHostAction(named, request.action);
  return startOperation(
    deps,
    p.id,
    {
      kind: 'host-action',
      summary: `${request.action}${request.hard ? ' --hard' : ''} ${named.name}`,
      machine: 'host-action',
      inStates: LIVE_PROVISION_STATES,
      executionPrefix: request.action,
    },
    async (locked): Promise<HostActionInput> => {
      const host = findHost(locked, request.host);
      refuseHostAction(host, request.action);
      if (request.action !== 'resume' && !request.force) {
        const vms = (await vmsByHost(deps, locked)).get(host.index) ?? [];
        if (vms.length) {
          throw new VmsRunningError(
            `host ${host.name} runs VM(s) ${describeVms(vms)}; ${request.action} with force to power them off first (resumed when the host is back)`,
          );
        }
      }
      return { index: host.index, action: request.action, hard: request.hard === true, force: request.force === true };
    },
  );
}
