import type { Provision } from '../provisioning/model';

/** The provision as the API and `edgectl show --json` present it (no internal bookkeeping). */
export function toView(p: Provision) {
  return {
    id: p.id,
    name: p.name,
    state: p.state,
    owner: p.owner,
    provider: p.plan.provider.name,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    ...(p.failedStep ? { failedStep: p.failedStep, error: p.error } : {}),
    cluster: p.cluster ?? null,
    hosts: p.hosts.map((h) => ({
      index: h.index,
      name: h.name,
      state: h.state,
      providerId: h.providerId ?? null,
      oneId: h.oneId ?? null,
      privateIp: h.privateIp ?? null,
      publicIps: h.publicIps.map((a) => a.address),
      ...(h.failedStep ? { failedStep: h.failedStep, error: h.error } : {}),
      timings: h.timings ?? {},
    })),
    datastores: p.plan.datastores.map((d) => ({
      name: d.name,
      type: d.type,
      oneId: p.datastores.find((x) => x.name === d.name)?.oneId ?? null,
    })),
    networks: p.plan.networks.map((n) => ({
      name: n.name,
      role: n.role,
      vnMad: n.vnMad,
      publicIps: n.publicIps,
      oneId: p.networks.find((x) => x.name === n.name)?.oneId ?? null,
    })),
    ttlSeconds: p.plan.ttlSeconds ?? null,
    tags: p.plan.tags,
    executionId: p.executionId ?? null,
    operation: p.operation
      ? {
          id: p.operation.id,
          kind: p.operation.kind,
          summary: p.operation.summary,
          startedAt: p.operation.startedAt,
          executionId: p.operation.executionId ?? null,
        }
      : null,
    operations: p.operations ?? [],
    ...(p.leftovers?.length ? { leftovers: p.leftovers } : {}),
  };
}

/** Type of {@link toView}'s result. */
export type ProvisionView = ReturnType<typeof toView>;
