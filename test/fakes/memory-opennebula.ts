import type {
  HostProvisionInfo,
  OneHostMonitoring,
  OneNamedCluster,
  OneNamedObject,
  OneObjectNames,
  OneProvisionObjects,
  OneVm,
  OneVnetState,
  OpenNebulaPort,
} from '../../lambdas/provisioning/ports/opennebula';
import type { AddressRangePlan, Attributes } from '../../lambdas/provisioning/plan';

type Kind = 'cluster' | 'datastore' | 'network' | 'host' | 'vntemplate' | 'vmtemplate';
interface Obj {
  kind: Kind;
  id: number;
  name: string;
  /** Undefined for an object whose tagging call never arrived. */
  provisionId?: string;
  clusterId?: number;
  attributes: Attributes;
  ars?: Map<number, AddressRangePlan>;
}

/**
 * An in-memory OpenNebula for domain tests: names unique per kind, reuse by
 * name, hosts with VMs cannot be deleted, deletes of missing objects succeed.
 */
export class MemoryOpenNebula implements OpenNebulaPort {
  readonly objects = new Map<string, Obj>();
  readonly vms: Array<OneVm & { nics?: Array<{ networkId: number; address: string }> }> = [];
  readonly images: Array<{ id: number; name: string; datastoreId: number }> = [];
  /** Host status set through setHostStatus, by id (enabled when never set). */
  readonly hostStatus = new Map<number, 'enabled' | 'disabled' | 'offline'>();
  readonly calls: string[] = [];
  /** Monitoring each host answers, by host id; MONITORED when unset. */
  readonly monitoring = new Map<number, OneHostMonitoring>();
  private nextId = 100;
  private readonly failures: Array<{ call: string; error: () => Error; times: number }> = [];

  /** Makes the next `times` calls whose record starts with `call` (e.g. `delete cluster`) throw. */
  failNext(call: string, error: () => Error, times = 1): void {
    this.failures.push({ call, error, times });
  }

  private maybeFail(call: string): void {
    const rule = this.failures.find((f) => f.times > 0 && call.startsWith(f.call));
    if (!rule) return;
    rule.times -= 1;
    throw rule.error();
  }

  async version(): Promise<string> {
    return '7.0.0';
  }
  async ensureCluster(spec: { name: string; provisionId: string }): Promise<number> {
    return this.ensure('cluster', spec.name, spec.provisionId, {});
  }
  async tagCluster(id: number, spec: { provisionId: string; attributes: Attributes }): Promise<void> {
    const o = this.byId('cluster', id);
    if (o) Object.assign(o.attributes, spec.attributes, { PROVISION_ID: spec.provisionId });
  }
  async ensureDatastore(spec: { name: string; provisionId: string; attributes: Attributes; clusterId?: number }): Promise<number> {
    return this.ensure('datastore', spec.name, spec.provisionId, spec.attributes, spec.clusterId);
  }
  async addDatastoreToCluster(): Promise<void> {}
  async ensureNetwork(spec: {
    name: string;
    provisionId: string;
    attributes: Attributes;
    addressRanges: AddressRangePlan[];
    clusterId?: number;
  }): Promise<number> {
    const id = this.ensure('network', spec.name, spec.provisionId, spec.attributes, spec.clusterId);
    const obj = this.byId('network', id);
    if (obj && !obj.ars) obj.ars = new Map(spec.addressRanges.map((ar, i) => [i, ar]));
    return id;
  }
  async networkState(): Promise<OneVnetState> {
    return 'READY';
  }
  async addAddressRange(networkId: number, range: AddressRangePlan): Promise<number> {
    const net = this.byId('network', networkId);
    if (!net) throw new Error(`network ${networkId} missing`);
    net.ars ??= new Map();
    const found = [...net.ars].find(([, ar]) => ar.ip === range.ip);
    if (found) return found[0];
    const arId = net.ars.size;
    net.ars.set(arId, range);
    return arId;
  }
  async removeAddressRange(networkId: number, arId: number): Promise<void> {
    this.byId('network', networkId)?.ars?.delete(arId);
  }
  async ensureHost(spec: { name: string; provisionId: string; clusterId?: number }): Promise<number> {
    return this.ensure('host', spec.name, spec.provisionId, {}, spec.clusterId);
  }
  async tagHost(id: number, spec: { provisionId: string; attributes: Attributes; provision: HostProvisionInfo }): Promise<void> {
    this.calls.push(`tag host ${id}`);
    const o = this.byId('host', id);
    if (o)
      Object.assign(o.attributes, spec.attributes, {
        PROVISION_ID: spec.provisionId,
        PROVISION_DEPLOY_ID: spec.provision.deployId,
        PROVISION_HOSTNAME: spec.provision.hostname,
      });
  }
  async hostState(id: number): Promise<string> {
    return (await this.hostMonitoring(id)).state;
  }
  async hostMonitoring(id: number): Promise<OneHostMonitoring> {
    // A disabled or offline host reports that state; an enabled one what its monitoring says.
    const status = this.hostStatus.get(id);
    if (status === 'disabled') return { state: 'DISABLED' };
    if (status === 'offline') return { state: 'OFFLINE' };
    return this.monitoring.get(id) ?? { state: 'MONITORED' };
  }
  async setHostStatus(hostId: number, status: 'enabled' | 'disabled' | 'offline'): Promise<void> {
    this.calls.push(`status ${hostId} ${status}`);
    this.hostStatus.set(hostId, status);
  }
  async vmAction(vmId: number, action: 'poweroff-hard' | 'resume' | 'resched'): Promise<void> {
    this.calls.push(`${action} ${vmId}`);
    const vm = this.vms.find((v) => v.id === vmId);
    if (vm && action === 'poweroff-hard') Object.assign(vm, { state: 8, lcmState: 0 });
    if (vm && action === 'resume') Object.assign(vm, { state: 3, lcmState: 3 });
  }
  async addressLeases(networkId: number): Promise<Array<{ arId: number; address: string; vmId: number }>> {
    const ars = this.byId('network', networkId)?.ars ?? new Map<number, AddressRangePlan>();
    return this.vms.flatMap((vm) =>
      (vm.nics ?? [])
        .filter((nic) => nic.networkId === networkId)
        .flatMap((nic) => {
          const arId = [...ars].find(([, ar]) => ar.ip === nic.address || ar.attributes?.['EXTERNAL_IP'] === nic.address)?.[0];
          return arId === undefined ? [] : [{ arId, address: nic.address, vmId: vm.id }];
        }),
    );
  }
  async vmsOnHosts(hostIds: number[]): Promise<OneVm[]> {
    return this.vms.filter((v) => v.hostId !== undefined && hostIds.includes(v.hostId));
  }
  async terminateVm(vmId: number): Promise<void> {
    this.calls.push(`terminate ${vmId}`);
    const i = this.vms.findIndex((v) => v.id === vmId);
    if (i >= 0) this.vms.splice(i, 1);
  }
  /** The address ranges of a vnet (by AR id). */
  ranges(networkId: number): Map<number, AddressRangePlan> {
    return this.byId('network', networkId)?.ars ?? new Map();
  }
  async deleteHost(id: number, options: { cleanup?: boolean } = {}): Promise<void> {
    if (this.vms.some((v) => v.hostId === id)) {
      if (!options.cleanup) throw new Error(`host ${id} has VMs`);
      for (const vm of this.vms.filter((v) => v.hostId === id)) await this.terminateVm(vm.id);
    }
    this.remove('host', id);
  }
  async deleteNetwork(id: number): Promise<void> {
    this.remove('network', id);
  }
  async deleteDatastore(id: number): Promise<void> {
    if (this.images.some((i) => i.datastoreId === id)) throw new Error(`datastore ${id} is not empty`);
    this.remove('datastore', id);
  }
  async deleteCluster(id: number): Promise<void> {
    const hosts = [...this.objects.values()].filter((o) => o.kind === 'host' && o.clusterId === id).length;
    if (hosts > 0) {
      this.calls.push(`delete cluster ${id}`);
      throw Object.assign(
        new Error(`[one.cluster.delete] Cannot delete cluster. Cluster ${id} is not empty, it contains ${hosts} hosts.`),
        {
          name: 'OneActionError',
        },
      );
    }
    this.remove('cluster', id);
  }
  async ensureVnTemplate(spec: { name: string; provisionId: string; attributes: Attributes }): Promise<number> {
    return this.ensure('vntemplate', spec.name, spec.provisionId, spec.attributes);
  }
  async deleteVnTemplate(id: number): Promise<void> {
    this.remove('vntemplate', id);
  }
  async deleteVmTemplate(id: number): Promise<void> {
    this.remove('vmtemplate', id);
  }
  async imagesIn(datastoreIds: number[]): Promise<Array<{ id: number; name: string; datastoreId: number }>> {
    return this.images.filter((i) => datastoreIds.includes(i.datastoreId));
  }
  async deleteImage(id: number): Promise<boolean> {
    this.calls.push(`delete image ${id}`);
    const i = this.images.findIndex((image) => image.id === id);
    if (i >= 0) this.images.splice(i, 1);
    return true;
  }
  async updateTemplate(kind: Kind, id: number, attributes: Attributes): Promise<void> {
    const o = this.byId(kind, id);
    if (o) Object.assign(o.attributes, attributes);
  }
  async findByProvision(provisionId: string): Promise<OneProvisionObjects> {
    const of = (kind: Kind) =>
      [...this.objects.values()].filter((o) => o.kind === kind && o.provisionId === provisionId).map((o) => ({ id: o.id, name: o.name }));
    const datastores = of('datastore');
    return {
      clusters: of('cluster'),
      datastores,
      networks: of('network'),
      hosts: of('host'),
      vnTemplates: of('vntemplate'),
      vmTemplates: of('vmtemplate'),
      images: this.images.filter((i) => datastores.some((d) => d.id === i.datastoreId)),
    };
  }

  async findByNames(names: OneObjectNames): Promise<{
    clusters: OneNamedCluster[];
    datastores: OneNamedObject[];
    networks: OneNamedObject[];
    hosts: OneNamedObject[];
  }> {
    const all = [...this.objects.values()];
    const named = (kind: Kind, wanted: string[]): OneNamedObject[] =>
      all
        .filter((o) => o.kind === kind && wanted.includes(o.name))
        .map((o) => ({
          id: o.id,
          name: o.name,
          clusterIds: o.kind === 'cluster' ? [o.id] : o.clusterId !== undefined ? [o.clusterId] : [],
          ...(o.provisionId !== undefined ? { provisionId: o.provisionId } : {}),
        }));
    const members = (kind: Kind, clusterId: number) => all.filter((o) => o.kind === kind && o.clusterId === clusterId).map((o) => o.id);
    return {
      clusters: named('cluster', names.clusters).map((c) => ({
        ...c,
        hostIds: members('host', c.id),
        datastoreIds: members('datastore', c.id),
        networkIds: members('network', c.id),
      })),
      datastores: named('datastore', names.datastores),
      networks: named('network', names.networks),
      hosts: named('host', names.hosts),
    };
  }

  /** Removes the provision tag of an object, as when the call that tags it failed. */
  untag(kind: Kind, name: string): void {
    const o = this.objects.get(`${kind}:${name}`);
    if (o) delete o.provisionId;
  }

  /** Objects of a kind that still exist. */
  count(kind: Kind): number {
    return [...this.objects.values()].filter((o) => o.kind === kind).length;
  }

  byName(kind: Kind, name: string): Obj | undefined {
    return this.objects.get(`${kind}:${name}`);
  }

  private ensure(kind: Kind, name: string, provisionId: string, attributes: Attributes, clusterId?: number): number {
    this.calls.push(`ensure ${kind} ${name}`);
    this.maybeFail(`ensure ${kind} ${name}`);
    const existing = this.objects.get(`${kind}:${name}`);
    if (existing) return existing.id;
    const id = this.nextId++;
    this.objects.set(`${kind}:${name}`, { kind, id, name, provisionId, clusterId, attributes: { ...attributes } });
    return id;
  }

  private byId(kind: Kind, id: number): Obj | undefined {
    return [...this.objects.values()].find((o) => o.kind === kind && o.id === id);
  }

  private remove(kind: Kind, id: number): void {
    const o = this.byId(kind, id);
    this.calls.push(`delete ${kind} ${id}`);
    this.maybeFail(`delete ${kind}`);
    if (o) this.objects.delete(`${kind}:${o.name}`);
  }
}
