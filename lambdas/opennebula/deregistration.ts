import { VmsRunningError } from '../shared/errors';
import type { OneProvisionObjects, OpenNebulaPort } from '../provisioning/ports/opennebula';

/** Options of a teardown. */
export interface DeregistrationOptions {
  /** Terminate the VMs still running on the hosts, and delete the images in the datastores, instead of refusing. */
  cleanup?: boolean;
}

/**
 * Removes the objects from OpenNebula in the only order oned accepts: hosts →
 * vnets → VN and VM templates → images → datastores → cluster. Without
 * `cleanup` it refuses up front, before touching anything, when a host still
 * runs VMs or a datastore holds images (`VmsRunningError`), as oneprovision
 * does. Every delete of an object already gone succeeds, so a retried
 * teardown completes.
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
  if (!cleanup && objects.images.length > 0) {
    throw new VmsRunningError(
      `images ${objects.images.map((i) => i.id).join(', ')} are in the provision's datastores; delete with cleanup to delete them`,
    );
  }
  await Promise.all(objects.hosts.map((host) => port.deleteHost(host.id, { cleanup })));
  await Promise.all(objects.networks.map((net) => port.deleteNetwork(net.id)));
  await Promise.all(objects.vnTemplates.map((t) => port.deleteVnTemplate(t.id)));
  await Promise.all(objects.vmTemplates.map((t) => port.deleteVmTemplate(t.id)));
  await Promise.all(objects.images.map((image) => port.deleteImage(image.id)));
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
