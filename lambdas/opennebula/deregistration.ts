import { VmsRunningError } from '../shared/errors';
import type { OneProvisionObjects, OpenNebulaPort } from '../provisioning/ports/opennebula';

/** Options of a teardown. */
export interface DeregistrationOptions {
  /** Terminate the VMs still running on the hosts instead of refusing. */
  cleanup?: boolean;
}

/**
 * Removes the objects from OpenNebula in the only order oned accepts: hosts →
 * vnets → datastores → cluster. Without `cleanup` it refuses up front, before
 * touching anything, when a host still runs VMs (`VmsRunningError`). Every
 * delete of an object already gone succeeds, so a retried teardown completes.
 */
export async function deregister(port: OpenNebulaPort, objects: OneProvisionObjects, options: DeregistrationOptions = {}): Promise<void> {
  const cleanup = options.cleanup === true;
  if (!cleanup && objects.hosts.length > 0) {
    const vms = await port.vmsOnHosts(objects.hosts.map((host) => host.id));
    if (vms.length > 0) {
      throw new VmsRunningError(
        `VMs ${vms.map((vm) => vm.id).join(', ')} still run on the provision's hosts; delete with cleanup to terminate them`,
      );
    }
  }
  await Promise.all(objects.hosts.map((host) => port.deleteHost(host.id, { cleanup })));
  await Promise.all(objects.networks.map((net) => port.deleteNetwork(net.id)));
  await Promise.all(objects.datastores.map((ds) => port.deleteDatastore(ds.id)));
  for (const cluster of objects.clusters) await port.deleteCluster(cluster.id);
}

/** Finds everything tagged with the provision and deregisters it; returns what was removed. */
export async function deregisterProvision(
  port: OpenNebulaPort,
  provisionId: string,
  options: DeregistrationOptions = {},
): Promise<OneProvisionObjects> {
  const objects = await port.findByProvision(provisionId);
  await deregister(port, objects, options);
  return objects;
}
