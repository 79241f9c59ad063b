import { createHash } from 'node:crypto';
import { NotFoundError, ProviderConfigError } from '../../../shared/errors';
import type { DriverStateStore } from '../../../provisioning/ports/driver-state';
import type { AllocateRequest, ProviderDriver, ProviderHost, ProviderHostStatus } from '../../../provisioning/ports/provider';
import { TAG_HOST, TAG_IDEMPOTENCY_KEY, TAG_PROVISION } from '../tags';
import type { ExampleConnection } from './connection';

/** Kind of the example's records in the driver state store. */
const HOST = 'example-host';

interface ExampleHostRecord {
  providerId: string;
  name: string;
  provisionId: string;
  idempotencyKey: string;
  address: string;
  status: ProviderHostStatus;
}

/**
 * The scaffold a new provider starts from: every `ProviderDriver` method,
 * idempotent by key, passing the shared contract suite. Where a real driver
 * calls the provider's API (create, describe, power, delete, list by tag),
 * this one keeps a record in the driver state store, which is also where a
 * real driver keeps anything the provider cannot answer itself.
 */
export class ExampleProviderDriver implements ProviderDriver {
  readonly name = 'example';

  constructor(
    private readonly connection: ExampleConnection,
    private readonly store: DriverStateStore,
  ) {}

  async validateConnection(): Promise<void> {
    // A real driver makes one cheap authenticated call here (list regions, say).
  }

  async ensureInfrastructure(): Promise<Record<string, string>> {
    // Network, firewall, key pair shared by the provision's hosts; ids returned are stored on the provision.
    return {};
  }

  async removeInfrastructure(): Promise<void> {}

  async allocate(request: AllocateRequest, idempotencyKey: string): Promise<ProviderHost> {
    // The key makes a retried call return the host the first call made: pass it to the API, or look it up first.
    const providerId = `example-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 12)}`;
    const existing = await this.store.get<ExampleHostRecord>(HOST, providerId);
    if (existing && existing.status !== 'terminated') return toHost(existing);
    const address = request.host.provision['address'] ?? '';
    if (!address) throw new ProviderConfigError(`host ${request.host.name}: provision.address is required`);
    const record: ExampleHostRecord = {
      providerId,
      name: request.host.name,
      provisionId: request.provisionId,
      idempotencyKey,
      address,
      status: 'pending',
    };
    await this.store.put(HOST, providerId, record);
    return toHost(record);
  }

  async describe(providerIds: string[]): Promise<ProviderHost[]> {
    const out: ProviderHost[] = [];
    for (const id of providerIds) {
      const rec = id ? await this.store.get<ExampleHostRecord>(HOST, id) : undefined;
      if (!rec) continue;
      // Booted by the time anyone asks; a real driver reports what the API says.
      if (rec.status === 'pending') {
        rec.status = 'running';
        await this.store.put(HOST, id, rec);
      }
      out.push(toHost(rec));
    }
    return out;
  }

  powerOff(providerId: string): Promise<void> {
    return this.setStatus(providerId, 'stopped');
  }

  reboot(providerId: string): Promise<void> {
    return this.setStatus(providerId, 'pending');
  }

  resume(providerId: string): Promise<void> {
    return this.setStatus(providerId, 'pending');
  }

  async release(providerIds: string[]): Promise<void> {
    for (const id of providerIds) {
      const rec = id ? await this.store.get<ExampleHostRecord>(HOST, id) : undefined;
      if (rec && rec.status !== 'terminated') await this.store.put(HOST, id, { ...rec, status: 'terminated' });
    }
  }

  async list(provisionId: string): Promise<ProviderHost[]> {
    const all = await this.store.list<ExampleHostRecord>(HOST);
    return all.filter((r) => r.provisionId === provisionId && r.status !== 'terminated').map(toHost);
  }

  /** The connection this driver was built with (a real driver builds its API client from it). */
  get endpoint(): string | undefined {
    return this.connection.endpoint;
  }

  private async setStatus(providerId: string, status: ProviderHostStatus): Promise<void> {
    const rec = await this.store.get<ExampleHostRecord>(HOST, providerId);
    if (!rec || rec.status === 'terminated') throw new NotFoundError(`example host ${providerId} does not exist`);
    await this.store.put(HOST, providerId, { ...rec, status });
  }
}

function toHost(r: ExampleHostRecord): ProviderHost {
  return {
    providerId: r.providerId,
    name: r.name,
    status: r.status,
    ...(r.status === 'running' ? { sshHost: r.address, sshPort: 22, privateIp: r.address } : {}),
    tags: { [TAG_PROVISION]: r.provisionId, [TAG_HOST]: r.name, [TAG_IDEMPOTENCY_KEY]: r.idempotencyKey },
  };
}
