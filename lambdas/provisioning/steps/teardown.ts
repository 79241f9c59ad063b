import { CleanupTimeoutError, describeError, VmsRunningError } from '../../shared/errors';
import type { Deps } from '../ports/deps';
import { ipamFor, loadHost, providerFor, timing, type HostStepInput } from '../context';
import { HOST_STATES, type HostState } from '../model';
import { BestEffort, type Leftover } from '../best-effort';
import { sweepProvision } from './sweep';

const NOT_RELEASED: HostState[] = HOST_STATES.filter((s) => s !== 'RELEASED');

/** How long cleanup waits for a host's VMs, or for an image, to be gone when the delete does not say (seconds). */
export const DEFAULT_CLEANUP_TIMEOUT_SECONDS = 120;

/** Input of the per-host delete steps. */
export interface TeardownHostInput extends HostStepInput {
  cleanup?: boolean;
  /** `--cleanup-timeout`: how long to wait for the host's VMs to be gone (seconds). */
  cleanupTimeoutSeconds?: number;
  /**
   * A forced teardown: every removal is attempted whatever failed before it,
   * and what could not be removed is reported instead of failing the step.
   */
  force?: boolean;
  /** What earlier steps of this host's teardown could not remove. */
  notRemoved?: Leftover[];
}

/** Retries of a transient failure inside a forced step, which reports instead of failing. */
const FORCE_ATTEMPTS = { attempts: 3, delayMs: 100 };

/**
 * Removes the host from OpenNebula: refuses while VMs run unless cleanup,
 * which terminates them (hard) and answers `done: false` until they are gone
 * (the machine waits and calls again), failing with `CleanupTimeoutError`
 * past `cleanupTimeoutSeconds`; then deletes the host and its public address
 * ranges.
 */
export async function deregisterHost(deps: Deps, input: TeardownHostInput): Promise<TeardownHostInput & { done: boolean }> {
  const { provision, host } = await loadHost(deps, input);
  const out = { ...input, notRemoved: input.notRemoved ?? [] };
  if (host.state === 'RELEASED') return { ...out, done: true };
  if (input.force) {
    const effort = new BestEffort(FORCE_ATTEMPTS);
    const one = await effort.run('OpenNebula front-end', () => deps.openNebula(provision));
    let removed = host.oneId === undefined;
    if (one && host.oneId !== undefined) {
      const oneId = host.oneId;
      const timeoutMs = (input.cleanupTimeoutSeconds ?? DEFAULT_CLEANUP_TIMEOUT_SECONDS) * 1000;
      removed =
        (await effort.run(`OpenNebula host ${host.name} (${oneId})`, () =>
          one.deleteHost(oneId, { cleanup: true, timeoutMs }).then(() => true),
        )) === true;
    }
    for (const ip of host.publicIps) {
      const vnet = provision.networks.find((n) => n.name === ip.network);
      const arId = ip.arId;
      if (one && vnet && arId !== undefined) {
        await effort.run(`address range ${arId} (${ip.address}) of network ${vnet.name}`, () => one.removeAddressRange(vnet.oneId, arId));
      }
    }
    await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, 'RELEASING', removed ? { remove: ['oneId'] } : {});
    return { ...out, notRemoved: [...out.notRemoved, ...effort.leftovers], done: true };
  }
  const one = await deps.openNebula(provision);
  if (host.oneId !== undefined) {
    const vms = await one.vmsOnHosts([host.oneId]);
    if (vms.length > 0) {
      if (!input.cleanup) {
        throw new VmsRunningError(
          `host ${host.name} runs ${vms.length} VM(s) (${vms.map((v) => v.id).join(', ')}); delete with cleanup to terminate them`,
        );
      }
      const since = host.timings?.['cleanup']?.start;
      if (!since) {
        await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, undefined, {
          timings: timing(host, 'cleanup', 'start', deps.now()),
        });
      }
      let refused: string | undefined;
      for (const vm of vms) {
        // A VM between states (PROLOG, BOOT, a migration) refuses terminate: asked again on the next call.
        await one.terminateVm(vm.id).catch((err: unknown) => (refused = describeError(err).message));
      }
      const left = await one.vmsOnHosts([host.oneId]);
      if (left.length > 0) {
        const limit = input.cleanupTimeoutSeconds ?? DEFAULT_CLEANUP_TIMEOUT_SECONDS;
        const waited = since ? (deps.now().getTime() - Date.parse(since)) / 1000 : 0;
        if (waited > limit) {
          throw new CleanupTimeoutError(
            `host ${host.name}: VM(s) ${left.map((v) => v.id).join(', ')} still not DONE ${Math.round(waited)} s after cleanup terminated them ` +
              `(cleanup timeout ${limit} s)${refused ? `; oned refused: ${refused}` : ''}`,
          );
        }
        return { ...out, done: false };
      }
    }
    await one.deleteHost(host.oneId);
  }
  for (const ip of host.publicIps) {
    const vnet = provision.networks.find((n) => n.name === ip.network);
    if (vnet && ip.arId !== undefined) await one.removeAddressRange(vnet.oneId, ip.arId);
  }
  await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, 'RELEASING', { remove: ['oneId'] });
  return { ...out, done: true };
}

/**
 * Releases the host's public IPs and then the machine itself; idempotent.
 * Each address is released and announced once: the host record drops it as
 * soon as it is released, so a repeated or concurrent run finds nothing to do.
 */
export async function releaseHost(deps: Deps, input: TeardownHostInput): Promise<TeardownHostInput> {
  const { provision, host } = await loadHost(deps, input);
  const out = { ...input, notRemoved: input.notRemoved ?? [] };
  if (host.state === 'RELEASED') return out;
  const effort = new BestEffort(input.force ? FORCE_ATTEMPTS : {});
  let kept = [...host.publicIps];
  let version = host.version;
  for (const ip of host.publicIps) {
    const net = provision.plan.networks.find((n) => n.name === ip.network);
    if (!net) continue;
    const released = await effort.run(`address ${ip.address} of host ${host.name}`, async () => {
      const ipam = await ipamFor(deps, provision, net);
      await ipam.release({ leaseId: ip.leaseId, address: ip.address, provisionId: provision.id });
      return true;
    });
    if (!released) continue;
    kept = kept.filter((k) => k.leaseId !== ip.leaseId);
    // The versioned write makes the announcement once-only: a concurrent run that lost the race fails here.
    ({ version } = await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, undefined, { publicIps: kept, ifVersion: version }));
    await deps.lifecycle.emit(provision.id, 'Ip Released', {
      host: host.name,
      index: host.index,
      address: ip.address,
      network: ip.network,
    });
  }
  const providerId = host.providerId;
  if (providerId) {
    await effort.run(`machine ${providerId} of host ${host.name}`, async () => (await providerFor(deps, provision)).release([providerId]));
  }
  if (!input.force) effort.throwFirst();
  if (effort.failed) return { ...out, notRemoved: [...out.notRemoved, ...effort.leftovers] };
  await deps.store.updateHost(provision.id, host.index, NOT_RELEASED, 'RELEASED', { publicIps: [] });
  if (providerId) await deps.lifecycle.emit(provision.id, 'Host Released', { host: host.name, index: host.index, providerId });
  return out;
}

/** Input of the delete machine's infrastructure step. */
export interface DeleteInfraInput {
  provisionId: string;
  /** Forced: objects found by name too, and what cannot be removed is reported instead of failing. */
  force?: boolean;
  /** Delete the images in the provision's datastores (refused without). */
  cleanup?: boolean;
  /** How long to wait for each image to be gone (seconds). */
  cleanupTimeoutSeconds?: number;
}

/**
 * Deletes vnets, VN and VM templates, images (with cleanup, as oneprovision
 * does), datastores and cluster (reverse registration order), then sweeps
 * everything still tagged with the provision at the provider, the IPAMs and
 * OpenNebula — objects whose creation response was lost and so never reached
 * the store — and removes the provider infrastructure. Every removal is
 * tried; the first failure then fails the step (to be retried). Forced, it
 * also finds objects by name and reports instead of failing.
 */
export async function deleteNetworkInfra(deps: Deps, input: DeleteInfraInput): Promise<{ provisionId: string; notRemoved: Leftover[] }> {
  const p = await deps.store.get(input.provisionId);
  if (!p) return { provisionId: input.provisionId, notRemoved: [] };
  const effort = new BestEffort(input.force ? FORCE_ATTEMPTS : {});
  await sweepProvision(deps, p, effort, {
    byName: input.force === true,
    cleanup: input.cleanup === true || input.force === true,
    ...(input.cleanupTimeoutSeconds !== undefined ? { cleanupTimeoutSeconds: input.cleanupTimeoutSeconds } : {}),
  });
  if (!input.force) effort.throwFirst();
  return { provisionId: p.id, notRemoved: effort.leftovers };
}
