import { ProviderCapacityError, ProviderQuotaError, ProviderThrottledError, ProviderTransientError } from '../../../shared/errors';
import type { AllocateRequest, ProviderDriver, ProviderHost } from '../../../provisioning/ports/provider';
import type { SimCloud, SimMachine } from './sim-cloud';
import { parseSimFault } from './faults';

export { simConnectionSchema } from './connection';

const TAG_PROVISION = 'edge-provisioner:provision';
const TAG_HOST = 'edge-provisioner:host';

/**
 * Provider driver for the simulated cloud: the same contract as the AWS
 * driver, with scaled latencies and per-host fault injection.
 */
export class SimProviderDriver implements ProviderDriver {
  readonly name = 'sim';
  constructor(private readonly cloud: SimCloud) {}

  async validateConnection(): Promise<void> {
    await this.cloud.api('DescribeAccount');
  }

  async ensureInfrastructure(provisionId: string): Promise<Record<string, string>> {
    await this.cloud.api('EnsureNetwork', provisionId);
    return { network: `simnet-${provisionId}` };
  }

  async removeInfrastructure(): Promise<void> {
    await this.cloud.api('DeleteNetwork');
  }

  async allocate(request: AllocateRequest, idempotencyKey: string): Promise<ProviderHost> {
    await this.cloud.api('RunInstances', request.host.name);
    const attempt = this.cloud.countAttempt(idempotencyKey);
    const fault = this.cloud.takeFault(request.host.name) ?? parseSimFault(request.host.provision['sim_fault']);
    if (fault === 'capacity') throw new ProviderCapacityError(`no capacity for ${request.host.provision['plan'] ?? 'host'} in sim`);
    if (fault === 'quota') throw new ProviderQuotaError('host quota of the sim account exceeded', 'sim.hosts');
    if (fault === 'throttle-once' && attempt === 1) throw new ProviderThrottledError('RequestLimitExceeded (simulated)');

    const existing = this.cloud.machines.find((m) => m.idempotencyKey === idempotencyKey);
    const machine = existing ?? this.create(request, idempotencyKey, fault === 'never-boots');
    if (fault === 'lost-response' && attempt === 1) {
      throw new ProviderTransientError('connection reset after RunInstances was sent (simulated lost response)');
    }
    return toHost(machine);
  }

  async describe(providerIds: string[]): Promise<ProviderHost[]> {
    const only = providerIds.length === 1 ? this.find(providerIds[0] ?? '') : undefined;
    await this.cloud.api('DescribeInstances', only?.name);
    const out: ProviderHost[] = [];
    for (const id of providerIds) {
      const m = this.cloud.machines.find((x) => x.providerId === id);
      if (!m) continue;
      await this.cloud.refresh(m);
      if (m.status === 'running' && m.tags['sim_fault'] === 'boot-fails') await this.cloud.setStatus(m, 'failed');
      out.push(toHost(m));
    }
    return out;
  }

  async powerOff(providerId: string): Promise<void> {
    await this.cloud.api('StopInstances');
    const m = this.find(providerId);
    if (m && m.status === 'running') await this.cloud.setStatus(m, 'stopped');
  }

  async reboot(providerId: string): Promise<void> {
    await this.cloud.api('RebootInstances');
    this.find(providerId);
  }

  async resume(providerId: string): Promise<void> {
    await this.cloud.api('StartInstances');
    const m = this.find(providerId);
    if (m && m.status === 'stopped') {
      m.status = 'pending';
      m.readyAt = Date.now() + this.cloud.bootDurationMs(m.name, m.location) / 4;
      this.cloud.save();
    }
  }

  async release(providerIds: string[]): Promise<void> {
    await this.cloud.api('TerminateInstances');
    for (const id of providerIds) {
      const m = this.find(id);
      if (m && m.status !== 'terminated') await this.cloud.setStatus(m, 'terminated');
    }
  }

  async list(provisionId: string): Promise<ProviderHost[]> {
    await this.cloud.api('DescribeInstances');
    return this.cloud.liveMachines(provisionId).map(toHost);
  }

  private find(providerId: string): SimMachine | undefined {
    return this.cloud.machines.find((m) => m.providerId === providerId);
  }

  private create(request: AllocateRequest, idempotencyKey: string, neverBoots: boolean): SimMachine {
    const providerId = this.cloud.nextId('i');
    const ordinal = this.cloud.machines.length + 4;
    const machine: SimMachine = {
      providerId,
      name: request.host.name,
      provisionId: request.provisionId,
      idempotencyKey,
      status: 'pending',
      readyAt: Date.now() + this.cloud.bootDurationMs(request.host.name, request.host.provision['location']),
      neverBoots,
      location: request.host.provision['location'],
      privateIp: `10.0.${Math.floor(ordinal / 250) % 250}.${(ordinal % 250) + 4}`,
      tags: {
        [TAG_PROVISION]: request.provisionId,
        [TAG_HOST]: request.host.name,
        ...(request.host.provision['sim_fault'] ? { sim_fault: request.host.provision['sim_fault'] } : {}),
      },
      createdAt: Date.now(),
    };
    this.cloud.addMachine(machine);
    return machine;
  }
}

function toHost(m: SimMachine): ProviderHost {
  return {
    providerId: m.providerId,
    name: m.name,
    status: m.status,
    sshHost: m.sshHost,
    sshPort: m.sshPort,
    privateIp: m.privateIp,
    interfaceId: `eni-${m.providerId}`,
    tags: { ...m.tags },
  };
}
