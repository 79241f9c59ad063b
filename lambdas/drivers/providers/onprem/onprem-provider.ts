import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { HostUnreachableError, InvalidStateError, NotFoundError, ProviderConfigError } from '../../../shared/errors';
import type { AllocateRequest, ProviderDriver, ProviderHost, ProviderHostStatus } from '../../../provisioning/ports/provider';
import { TAG_HOST, TAG_IDEMPOTENCY_KEY, TAG_PROVISION } from '../tags';
import { isHostAddress } from './connection';
import type { PowerAction, PowerHook } from './power-hook';
import type { ReachabilityProbe } from './probe';
import type { DriverStateStore } from '../../../provisioning/ports/driver-state';

/** Default bound of the reachability probe. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

/** What the on-prem driver remembers about a registered machine. */
export interface OnpremHostRecord {
  providerId: string;
  name: string;
  provisionId: string;
  idempotencyKey: string;
  address: string;
  port: number;
  status: ProviderHostStatus;
}

/** Options of {@link OnpremProviderDriver}. */
export interface OnpremProviderOptions {
  /** Where host records and address claims live (the provision table in AWS). */
  store: DriverStateStore;
  probe: ReachabilityProbe;
  /** Power actions; without it they fail with a clear ProviderConfigError. */
  powerHook?: PowerHook;
  probeTimeoutMs?: number;
}

/** Record kinds in the driver state store. */
const HOST = 'onprem-host';
const CLAIM = 'onprem-claim';

/**
 * Provider driver for machines the operator already owns. Allocation checks
 * the machine answers on its SSH port and records it; release only forgets
 * it. Power is never touched unless a power hook is configured. Each address
 * can belong to one live host at a time.
 */
export class OnpremProviderDriver implements ProviderDriver {
  readonly name = 'onprem';
  private readonly timeoutMs: number;

  constructor(private readonly options: OnpremProviderOptions) {
    this.timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  }

  async validateConnection(): Promise<void> {
    // Nothing to call: settings were checked by the registry, hosts are checked at allocation.
  }

  async ensureInfrastructure(): Promise<Record<string, string>> {
    return {};
  }

  async removeInfrastructure(): Promise<void> {}

  async allocate(request: AllocateRequest, idempotencyKey: string): Promise<ProviderHost> {
    const providerId = providerIdFor(idempotencyKey);
    const existing = await this.record(providerId);
    if (existing && existing.status !== 'terminated') return toHost(existing);

    const { host } = request;
    const address = host.provision['address'];
    if (!address || !isHostAddress(address)) {
      throw new ProviderConfigError(`host ${host.name}: provision.address must be the host's IP address or DNS name`);
    }
    const port = Number(host.provision['port'] ?? host.connection.port ?? 22);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new ProviderConfigError(`host ${host.name}: port ${port} is not a TCP port`);
    if (!(await this.options.probe(address, port, this.timeoutMs))) {
      throw new HostUnreachableError(`host ${host.name}: ${address}:${port} did not accept a TCP connection within ${this.timeoutMs} ms`);
    }
    await this.claim(`${address}:${port}`, providerId, host.name);
    const record: OnpremHostRecord = {
      providerId,
      name: host.name,
      provisionId: request.provisionId,
      idempotencyKey,
      address,
      port,
      status: 'running',
    };
    await this.options.store.put(HOST, providerId, record);
    return toHost(record);
  }

  async describe(providerIds: string[]): Promise<ProviderHost[]> {
    const out: ProviderHost[] = [];
    for (const id of providerIds) {
      const rec = await this.record(id);
      if (!rec) continue;
      // Booting after resume or reboot: running again once SSH answers.
      if (rec.status === 'pending' && (await this.options.probe(rec.address, rec.port, this.timeoutMs))) {
        rec.status = 'running';
        await this.options.store.put(HOST, id, rec);
      }
      out.push(toHost(rec));
    }
    return out;
  }

  powerOff(providerId: string): Promise<void> {
    return this.power(providerId, 'poweroff', 'stopped');
  }

  reboot(providerId: string): Promise<void> {
    return this.power(providerId, 'reboot', 'pending');
  }

  resume(providerId: string): Promise<void> {
    return this.power(providerId, 'resume', 'pending');
  }

  async release(providerIds: string[]): Promise<void> {
    for (const id of providerIds) {
      const rec = await this.record(id);
      if (!rec || rec.status === 'terminated') continue;
      const claimId = `${rec.address}:${rec.port}`;
      const claim = await this.options.store.get<{ providerId: string }>(CLAIM, claimId);
      if (claim?.providerId === id) await this.options.store.delete(CLAIM, claimId);
      await this.options.store.put(HOST, id, { ...rec, status: 'terminated' });
    }
  }

  async list(provisionId: string): Promise<ProviderHost[]> {
    const all = await this.options.store.list<OnpremHostRecord>(HOST);
    return all.filter((r) => r.provisionId === provisionId && r.status !== 'terminated').map(toHost);
  }

  private record(providerId: string): Promise<OnpremHostRecord | undefined> {
    return this.options.store.get<OnpremHostRecord>(HOST, providerId);
  }

  /** Claims an address for one host; a claim left by a released host is taken over. */
  private async claim(endpoint: string, providerId: string, name: string): Promise<void> {
    if (await this.options.store.putIfAbsent(CLAIM, endpoint, { providerId })) return;
    const holder = await this.options.store.get<{ providerId: string }>(CLAIM, endpoint);
    if (!holder || holder.providerId === providerId) return this.options.store.put(CLAIM, endpoint, { providerId });
    const other = await this.record(holder.providerId);
    if (other && other.status !== 'terminated') {
      throw new InvalidStateError(`host ${name}: ${endpoint} is already registered as ${other.name} of provision ${other.provisionId}`);
    }
    await this.options.store.put(CLAIM, endpoint, { providerId });
  }

  private async power(providerId: string, action: PowerAction, next: ProviderHostStatus): Promise<void> {
    const rec = await this.record(providerId);
    if (!rec || rec.status === 'terminated') throw new NotFoundError(`on-prem host ${providerId} is not registered`);
    if (!this.options.powerHook) {
      throw new ProviderConfigError(
        `on-prem hosts have no power control: '${action}' of ${rec.name} is not supported unless the deployment configures a power hook`,
      );
    }
    await this.options.powerHook(action, { providerId, name: rec.name, address: rec.address, port: rec.port });
    await this.options.store.put(HOST, providerId, { ...rec, status: next });
  }
}

/** Stable id per idempotency key, so a retried allocation finds its record. */
export function providerIdFor(idempotencyKey: string): string {
  return `onprem-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;
}

function toHost(r: OnpremHostRecord): ProviderHost {
  return {
    providerId: r.providerId,
    name: r.name,
    status: r.status,
    sshHost: r.address,
    sshPort: r.port,
    ...(isIP(r.address) !== 0 ? { privateIp: r.address } : {}),
    tags: { [TAG_PROVISION]: r.provisionId, [TAG_HOST]: r.name, [TAG_IDEMPOTENCY_KEY]: r.idempotencyKey },
  };
}
