import type { Attributes, DatastorePlan, HostPlan, NetworkPlan } from '../provisioning/plan';
import { OneActionError } from './errors';
import type { OpenNebulaPort } from '../provisioning/ports/opennebula';
import { pollUntil, type PollOptions } from './wait';

/** What to register for one provision: the parts of a `ProvisionPlan` OpenNebula sees. */
export interface RegistrationInput {
  provisionId: string;
  cluster: { name: string; attributes?: Attributes; datastoreIds?: number[] };
  datastores?: ReadonlyArray<Pick<DatastorePlan, 'name' | 'type' | 'attributes'>>;
  networks?: ReadonlyArray<Pick<NetworkPlan, 'name' | 'vnMad' | 'attributes' | 'addressRanges'> & { template?: boolean }>;
  hosts?: ReadonlyArray<Pick<HostPlan, 'name' | 'imMad' | 'vmMad' | 'attributes'>>;
}

/** OpenNebula IDs of what was registered, by plan name. */
export interface RegisteredObjects {
  clusterId: number;
  datastores: Record<string, number>;
  networks: Record<string, number>;
  hosts: Record<string, number>;
}

/**
 * Cluster → datastores → vnets, the infrastructure every host registration
 * needs. Idempotent: a second run returns the same IDs. Vnets are returned as
 * soon as oned accepted them; `waitNetworksReady` waits for their driver.
 * Networks marked `template` are VN templates in oneprovision terms (the user
 * instantiates them later): they become `one.vntemplate`s.
 */
export async function registerInfrastructure(port: OpenNebulaPort, input: RegistrationInput): Promise<Omit<RegisteredObjects, 'hosts'>> {
  const { provisionId } = input;
  const clusterId = await port.ensureCluster({ name: input.cluster.name, provisionId });
  await port.tagCluster(clusterId, { provisionId, attributes: input.cluster.attributes ?? {} });
  for (const datastoreId of input.cluster.datastoreIds ?? []) await port.addDatastoreToCluster(clusterId, datastoreId);
  const datastores: Record<string, number> = {};
  for (const ds of input.datastores ?? []) {
    datastores[ds.name] = await port.ensureDatastore({ ...ds, provisionId, clusterId });
  }
  const networks: Record<string, number> = {};
  for (const net of (input.networks ?? []).filter((n) => n.template === true)) {
    await port.ensureVnTemplate({ name: net.name, provisionId, vnMad: net.vnMad, attributes: net.attributes });
  }
  for (const net of (input.networks ?? []).filter((n) => n.template !== true)) {
    networks[net.name] = await port.ensureNetwork({
      name: net.name,
      provisionId,
      vnMad: net.vnMad,
      attributes: net.attributes,
      addressRanges: net.addressRanges,
      clusterId,
    });
  }
  return { clusterId, datastores, networks };
}

/**
 * Polls until every vnet is READY. A vnet in ERROR (its driver refused it,
 * e.g. a bad address range) fails with `OneActionError`; one still locked after
 * the timeout fails with the transient `OneWaitTimeoutError`.
 */
export async function waitNetworksReady(port: OpenNebulaPort, networkIds: readonly number[], poll: PollOptions): Promise<void> {
  await pollUntil(
    `virtual networks ${networkIds.join(', ')} becoming READY`,
    async () => {
      const states = await Promise.all(networkIds.map(async (id) => [id, await port.networkState(id)] as const));
      const failed = states.find(([, state]) => state === 'ERROR');
      if (failed) throw new OneActionError(`OpenNebula virtual network ${failed[0]} is in ERROR`);
      return states.every(([, state]) => state === 'READY');
    },
    poll,
  );
}

/** Registers hosts into the cluster, in parallel, each tagged once it exists; idempotent like the rest. */
export async function registerHosts(
  port: OpenNebulaPort,
  provisionId: string,
  clusterId: number,
  hosts: RegistrationInput['hosts'] = [],
): Promise<Record<string, number>> {
  const ids = await Promise.all(
    hosts.map(async (host, index) => {
      const id = await port.ensureHost({ name: host.name, provisionId, imMad: host.imMad, vmMad: host.vmMad, clusterId });
      await port.tagHost(id, {
        provisionId,
        attributes: host.attributes,
        provision: { deployId: '', hostname: host.name, driver: '', index },
      });
      return id;
    }),
  );
  return Object.fromEntries(hosts.map((host, i) => [host.name, ids[i] as number]));
}

/** The whole registration in OpenNebula's order: cluster → datastores → vnets (READY) → hosts. */
export async function registerProvision(port: OpenNebulaPort, input: RegistrationInput, poll: PollOptions): Promise<RegisteredObjects> {
  const infra = await registerInfrastructure(port, input);
  await waitNetworksReady(port, Object.values(infra.networks), poll);
  const hosts = await registerHosts(port, input.provisionId, infra.clusterId, input.hosts);
  return { ...infra, hosts };
}
