import { InvalidStateError, ValidationError, VmsRunningError } from '../../shared/errors';
import { getOwnedProvision } from '../commands';
import { publicNetworks } from '../context';
import type { Deps } from '../ports/deps';
import type { OneVm } from '../ports/opennebula';
import type { HostRecord, Provision, ProvisionOperation } from '../model';
import type { HostPlan } from '../plan';
import { startOperation } from '../lock/start-operation';
import { reserveHostNames } from '../name-reservations';
import { DEFAULT_DRAIN_TIMEOUT_SECONDS, type ScaleInInput, type ScaleOutInput } from './requests';
import { findHost, LIVE_PROVISION_STATES, liveHosts, RESTING_HOST_STATES } from './settle';

/** Most hosts one scale-out adds. */
export const MAX_SCALE_OUT = 40;

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$/;
const PARAM_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** A host to add by name, with provider parameters (oneprovision's `host add --hostnames --host-params`). */
export interface NamedHost {
  name: string;
  /** Merged over the copied host's `provision` section (on-prem: `address`, `port`). */
  provision?: Record<string, string>;
}

/** What a scale-out or scale-in request answers: the locked provision and the execution. */
export interface StartedOperation {
  provision: Provision;
  operation: ProvisionOperation;
  executionId: string;
}

/**
 * Scale out: adds `count` hosts copied from the provision's last host, or
 * the named ones, through the same per-host pipeline as create, then gives
 * every host the new ones as overlay peers (scale-provision machine).
 */
export async function scaleOut(
  deps: Deps,
  input: { owner: string; id: string; count?: number; hosts?: NamedHost[] },
): Promise<StartedOperation> {
  const p = await getOwnedProvision(deps, input.owner, input.id);
  const adding = input.hosts?.length ?? input.count ?? 0;
  // Checked before the lock, so a malformed request is a 422 whatever runs.
  newHostPlans(p, input);
  return startOperation(
    deps,
    p.id,
    {
      kind: 'scale-out',
      summary: input.hosts ? `add ${input.hosts.map((h) => h.name).join(', ')}` : `add ${adding} host(s)`,
      machine: 'scale-provision',
      inStates: LIVE_PROVISION_STATES,
      executionPrefix: 'scale-out',
    },
    async (locked): Promise<ScaleOutInput> => {
      const hosts = newHostPlans(locked, input);
      await reserveHostNames(deps, locked.id, locked.owner, hosts);
      return { direction: 'out', hosts };
    },
  );
}

/**
 * The plans of the hosts a scale-out adds: copies of the provision's last
 * host with fresh indexes (never reused, so every idempotency key is new),
 * names that follow the last one's numbering (`edge-host1` → `edge-host2`)
 * or the names given, and each public network's missing addresses shared
 * among them. ValidationError for a request that cannot be met.
 */
export function newHostPlans(p: Provision, request: { count?: number; hosts?: NamedHost[] }): HostPlan[] {
  const template = [...p.plan.hosts].sort((a, b) => a.index - b.index).at(-1);
  if (!template) throw new ValidationError(`provision ${p.id} has no host to copy; name the hosts to add`);
  const onPrem = p.plan.provider.name === 'onprem';
  const wanted = request.hosts ?? (request.count !== undefined ? Array.from({ length: request.count }, () => undefined) : []);
  if (wanted.length < 1 || wanted.length > MAX_SCALE_OUT) {
    throw new ValidationError(`add between 1 and ${MAX_SCALE_OUT} hosts at a time`, [
      { path: request.hosts ? 'hosts' : 'count', message: `expected 1 to ${MAX_SCALE_OUT}, found ${wanted.length}` },
    ]);
  }
  if (onPrem && !request.hosts) {
    throw new ValidationError('on-prem hosts are machines you own: name each one (its address) instead of a count', [
      { path: 'count', message: 'use hosts: [{name, provision: {address}}]' },
    ]);
  }
  const taken = new Set(liveHosts(p).map((h) => h.name));
  let next = Math.max(...p.plan.hosts.map((h) => h.index), ...p.hosts.map((h) => h.index)) + 1;
  const shares = ipShortfall(p, wanted.length);
  return wanted.map((named, k) => {
    const index = next;
    next += 1;
    const name = named ? checkedName(named.name, k, taken) : uniqueName(derivedName(template, index), taken);
    taken.add(name);
    const params = checkedParams(named?.provision ?? {}, k);
    const provision = { ...template.provision, ...params };
    if (onPrem && !params['address']) provision['address'] = name;
    const { hostKeyPin: _pin, publicIpShare: _share, ...copied } = template;
    return { ...copied, index, name, provision, ...(shares[k] ? { publicIpShare: shares[k] } : {}) };
  });
}

/** `edge-host1` at index 1 becomes `edge-host7` at index 7; a name without the index gets `-7`. */
function derivedName(template: HostPlan, index: number): string {
  const numbered = new RegExp(`^(.*?)0*${template.index}(\\D*)$`).exec(template.name);
  return numbered ? `${numbered[1]}${index}${numbered[2]}` : `${template.name}-${index}`;
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${name}-${n}`;
  return candidate;
}

function checkedName(name: string, k: number, taken: Set<string>): string {
  if (!HOSTNAME.test(name)) {
    throw new ValidationError(`host name '${name}' is not valid`, [
      { path: `hosts.${k}.name`, message: `expected letters, digits, '.', '_' and '-', found '${name}'` },
    ]);
  }
  if (taken.has(name)) {
    throw new ValidationError(`a host named '${name}' is already in the provision`, [
      { path: `hosts.${k}.name`, message: `'${name}' is taken` },
    ]);
  }
  return name;
}

function checkedParams(params: Record<string, string>, k: number): Record<string, string> {
  for (const [key, value] of Object.entries(params)) {
    if (!PARAM_KEY.test(key) || typeof value !== 'string' || value.length > 1024 || /[\r\n\0]/.test(value)) {
      throw new ValidationError(`host parameter '${key}' is not valid`, [
        { path: `hosts.${k}.provision.${key}`, message: 'expected a name of letters, digits and _ with a one-line value' },
      ]);
    }
  }
  return params;
}

/**
 * Each public network's addresses the provision lacks (its `publicIps` less
 * what live hosts hold, e.g. after a scale-in), dealt round-robin to the new
 * hosts.
 */
function ipShortfall(p: Provision, newHosts: number): Array<Record<string, number>> {
  const shares: Array<Record<string, number>> = Array.from({ length: newHosts }, () => ({}));
  for (const net of publicNetworks(p)) {
    const held = liveHosts(p).reduce((n, h) => n + h.publicIps.filter((ip) => ip.network === net.name).length, 0);
    for (let i = 0; i < Math.max(0, net.publicIps - held); i += 1) {
      const share = shares[i % newHosts] as Record<string, number>;
      share[net.name] = (share[net.name] ?? 0) + 1;
    }
  }
  return shares;
}

/** What `scale in` was asked to do. */
export interface ScaleInRequest {
  owner: string;
  id: string;
  /** Hosts by name or index; or `count`, and the provision picks. */
  hosts?: string[];
  count?: number;
  drain?: boolean;
  force?: boolean;
  drainTimeoutSeconds?: number;
  /** Lets the provision go below `min_healthy_hosts`, or to no host at all. */
  allowEmpty?: boolean;
}

/**
 * Scale in: removes hosts. Refused (409) while they run VMs unless `drain`
 * (disable, wait for the VMs to leave, or with `force` terminate them,
 * bounded by the drain timeout), and below `min_healthy_hosts` or to zero
 * hosts unless `allowEmpty`. Then each host is deregistered, removed from
 * every peer's FDB, and its IPs and machine released.
 */
export async function scaleIn(deps: Deps, request: ScaleInRequest): Promise<StartedOperation> {
  const p = await getOwnedProvision(deps, request.owner, request.id);
  if (request.force && !request.drain) {
    throw new ValidationError('force terminates the VMs of a drain: ask for drain too', [{ path: 'force', message: 'needs drain' }]);
  }
  if (request.hosts) request.hosts.forEach((ref) => findHost(p, ref));
  else if (!request.count || request.count < 1)
    throw new ValidationError('name the hosts to remove, or how many', [{ path: 'count', message: 'expected 1 or more' }]);
  return startOperation(
    deps,
    p.id,
    {
      kind: 'scale-in',
      summary: request.hosts ? `remove ${request.hosts.join(', ')}` : `remove ${request.count} host(s)`,
      machine: 'scale-provision',
      inStates: LIVE_PROVISION_STATES,
      executionPrefix: 'scale-in',
    },
    async (locked): Promise<ScaleInInput> => {
      const vms = await vmsByHost(deps, locked);
      const chosen = request.hosts ? request.hosts.map((ref) => findHost(locked, ref)) : pickHosts(locked, request.count ?? 0, vms);
      checkRemaining(locked, chosen, request.allowEmpty === true);
      if (!request.drain) {
        const busy = chosen.filter((h) => (vms.get(h.index) ?? []).length > 0);
        if (busy.length) {
          const what = busy.map((h) => `${h.name} runs VM(s) ${describeVms(vms.get(h.index) ?? [])}`).join('; ');
          throw new VmsRunningError(`${what}; scale in with drain to wait for them to leave, or drain and force to terminate them`);
        }
      }
      return {
        direction: 'in',
        indexes: chosen.map((h) => h.index),
        drain: request.drain === true,
        force: request.force === true,
        drainTimeoutSeconds: request.drainTimeoutSeconds ?? DEFAULT_DRAIN_TIMEOUT_SECONDS,
      };
    },
  );
}

/** `7 (game-server), 9 (one-9)`. */
export function describeVms(vms: readonly OneVm[]): string {
  return vms.map((v) => `${v.id} (${v.name})`).join(', ');
}

/** VMs on each registered live host, by host index. */
export async function vmsByHost(deps: Deps, p: Provision): Promise<Map<number, OneVm[]>> {
  const registered = liveHosts(p).filter((h) => h.oneId !== undefined);
  const byHost = new Map<number, OneVm[]>();
  if (registered.length === 0) return byHost;
  const vms = await (await deps.openNebula(p)).vmsOnHosts(registered.map((h) => h.oneId as number));
  for (const h of registered)
    byHost.set(
      h.index,
      vms.filter((vm) => vm.hostId === h.oneId),
    );
  return byHost;
}

/** The hosts a `count` removes: failed ones first, then powered-off, then the newest without VMs, then those with the fewest. */
function pickHosts(p: Provision, count: number, vms: Map<number, OneVm[]>): HostRecord[] {
  const live = liveHosts(p);
  if (count > live.length) throw new InvalidStateError(`provision ${p.id} has ${live.length} host(s); cannot remove ${count}`);
  const rank = (h: HostRecord) => (h.state === 'FAILED' ? 0 : h.state === 'OFF' ? 1 : 2);
  return [...live]
    .sort((a, b) => rank(a) - rank(b) || (vms.get(a.index)?.length ?? 0) - (vms.get(b.index)?.length ?? 0) || b.index - a.index)
    .slice(0, count);
}

function checkRemaining(p: Provision, chosen: HostRecord[], allowEmpty: boolean): void {
  if (allowEmpty) return;
  const gone = new Set(chosen.map((h) => h.index));
  const remaining = liveHosts(p).filter((h) => !gone.has(h.index) && RESTING_HOST_STATES.includes(h.state)).length;
  const min = p.plan.failurePolicy.minHealthyHosts;
  if (remaining === 0) {
    throw new InvalidStateError(
      `removing ${chosen.map((h) => h.name).join(', ')} would leave provision ${p.id} with no healthy host; allow empty to do it`,
    );
  }
  if (min !== undefined && remaining < min) {
    throw new InvalidStateError(
      `removing ${chosen.map((h) => h.name).join(', ')} would leave ${remaining} healthy host(s), below min_healthy_hosts ${min}; allow empty to do it`,
    );
  }
}
