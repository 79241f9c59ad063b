import { NotFoundError } from '../shared/errors';
import type { IpamDriver } from './ports/ipam';
import type { ProviderDriver } from './ports/provider';
import type { Deps } from './ports/deps';
import type { ProvisionMeta } from './ports/store';
import type { HostRecord, Provision } from './model';
import type { HostPlan, NetworkPlan } from './plan';

/** Input every step of a provision's machines receives. */
export interface ProvisionStepInput {
  provisionId: string;
}

/** Input of the per-host steps (one Map iteration). */
export interface HostStepInput extends ProvisionStepInput {
  index: number;
}

/** Loads a provision or fails with NotFoundError. */
export async function loadProvision(deps: Deps, id: string): Promise<Provision> {
  const p = await deps.store.get(id);
  if (!p) throw new NotFoundError(`provision ${id} does not exist`);
  return p;
}

/**
 * Loads one host record, the provision's metadata and the host's plan entry:
 * two item reads whatever the number of hosts, so N parallel host pipelines
 * cost O(N) reads, not O(N²).
 */
export async function loadHost(deps: Deps, input: HostStepInput): Promise<{ provision: ProvisionMeta; host: HostRecord; plan: HostPlan }> {
  const [provision, host] = await Promise.all([deps.store.getMeta(input.provisionId), deps.store.getHost(input.provisionId, input.index)]);
  if (!provision) throw new NotFoundError(`provision ${input.provisionId} does not exist`);
  const plan = provision.plan.hosts.find((h) => h.index === input.index);
  if (!host || !plan) throw new NotFoundError(`host ${input.index} of provision ${input.provisionId} does not exist`);
  return { provision, host, plan };
}

/** The provider driver of a provision. */
export function providerFor(deps: Deps, provision: Pick<Provision, 'plan'>): Promise<ProviderDriver> {
  return deps.providers.create(provision.plan.provider, deps.secrets);
}

/** The IPAM driver of a public network (its own, or the provider's). */
export function ipamFor(deps: Deps, provision: Pick<Provision, 'plan'>, network: NetworkPlan): Promise<IpamDriver> {
  return deps.ipams.create({ ...provision.plan.provider, name: network.ipam ?? provision.plan.provider.name }, deps.secrets);
}

/** Networks whose addresses come from the IPAM. */
export function publicNetworks(provision: Pick<Provision, 'plan'>): NetworkPlan[] {
  return provision.plan.networks.filter((n) => n.role === 'public' && n.publicIps > 0);
}

/**
 * How many of a network's public IPs a host gets: IP i goes to host i mod N,
 * so addresses spread evenly and each host's share is fixed by its index.
 */
export function ipShare(network: NetworkPlan, hostCount: number, index: number): number {
  let n = 0;
  for (let i = 0; i < network.publicIps; i += 1) if (i % hostCount === index) n += 1;
  return n;
}

/** Idempotency key of a host's machine: one per host index and generation. */
export function hostKey(provisionId: string, host: HostRecord): string {
  return host.generation
    ? idempotencyKey(provisionId, 'host', host.index, `g${host.generation}`)
    : idempotencyKey(provisionId, 'host', host.index);
}

/** Deterministic idempotency key for a provider call about one object. */
export function idempotencyKey(provisionId: string, ...parts: Array<string | number>): string {
  return [provisionId, ...parts].join('-').slice(0, 64);
}

/** Records when a step started and ended on the host, for timelines. */
export function timing(host: HostRecord, step: string, edge: 'start' | 'end', at: Date): HostRecord['timings'] {
  const timings = { ...(host.timings ?? {}) };
  const current = timings[step] ?? { start: at.toISOString() };
  timings[step] = edge === 'start' ? { start: at.toISOString() } : { ...current, end: at.toISOString() };
  return timings;
}
