import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIpamRegistry } from '../../../lambdas/drivers/ipam';
import { createProviderRegistry, type ProviderRegistryDeps } from '../../../lambdas/drivers/providers';
import { commandPowerHook, type PowerHook } from '../../../lambdas/drivers/providers/onprem/power-hook';
import { tcpProbe } from '../../../lambdas/drivers/providers/onprem/probe';
import { MemoryDriverStateStore } from '../../../lambdas/drivers/memory-driver-state';
import type { ProviderDriver } from '../../../lambdas/provisioning/ports/provider';
import { HostPlanSchema } from '../../../lambdas/provisioning/plan';

function request(provisionId: string, provision: Record<string, string>, index = 0) {
  return { provisionId, host: HostPlanSchema.parse({ index, name: `${provisionId}-host-${index}`, provision }) };
}

function onprem(deps: ProviderRegistryDeps = {}): Promise<ProviderDriver> {
  return createProviderRegistry({ onpremProbe: async () => true, ...deps }).create({
    name: 'onprem',
    settings: deps.onpremProbe ? { probe_timeout_ms: '250' } : {},
  });
}

describe('tcpProbe', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('is true when a loopback server listens', async () => {
    expect(await tcpProbe('127.0.0.1', port, 1000)).toBe(true);
  });

  it('is false when nothing listens on the port', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const freed = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await tcpProbe('127.0.0.1', freed, 1000)).toBe(false);
  });
});

describe('OnpremProviderDriver', () => {
  it('probes the planned address and port with the configured bound', async () => {
    const probe = jest.fn(async () => true);
    const d = await onprem({ onpremProbe: probe });
    const host = await d.allocate(request('p1', { address: '192.0.2.10', port: '2222' }), 'p1-host-0');
    expect(probe).toHaveBeenCalledWith('192.0.2.10', 2222, 250);
    expect(host).toMatchObject({ status: 'running', sshHost: '192.0.2.10', sshPort: 2222, privateIp: '192.0.2.10' });
  });

  it('fails with HostUnreachableError and records nothing when the host does not answer', async () => {
    const d = await onprem({ onpremProbe: async () => false });
    await expect(d.allocate(request('p1', { address: '192.0.2.10' }), 'p1-host-0')).rejects.toMatchObject({
      name: 'HostUnreachableError',
      retryable: true,
    });
    expect(await d.list('p1')).toEqual([]);
  });

  it('refuses a missing address or one that is not an IP or DNS name', async () => {
    const d = await onprem();
    await expect(d.allocate(request('p1', {}), 'k0')).rejects.toMatchObject({ name: 'ProviderConfigError' });
    await expect(d.allocate(request('p1', { address: '192.0.2.10;reboot' }), 'k1')).rejects.toMatchObject({ name: 'ProviderConfigError' });
    await expect(d.allocate(request('p1', { address: '-oProxyCommand=x' }), 'k2')).rejects.toMatchObject({ name: 'ProviderConfigError' });
  });

  it('gives an address to one live host at a time', async () => {
    const d = await onprem();
    const first = await d.allocate(request('p1', { address: 'edge-1.example.net' }), 'p1-host-0');
    await expect(d.allocate(request('p2', { address: 'edge-1.example.net' }), 'p2-host-0')).rejects.toMatchObject({
      name: 'InvalidStateError',
      message: expect.stringContaining('p1-host-0 of provision p1'),
    });
    await d.release([first.providerId]);
    await expect(d.allocate(request('p2', { address: 'edge-1.example.net' }), 'p2-host-0')).resolves.toMatchObject({ status: 'running' });
  });

  it('refuses power actions with a clear error when no power hook is configured', async () => {
    const d = await onprem();
    const host = await d.allocate(request('p1', { address: '192.0.2.10' }), 'p1-host-0');
    for (const action of [() => d.powerOff(host.providerId), () => d.reboot(host.providerId), () => d.resume(host.providerId)]) {
      await expect(action()).rejects.toMatchObject({ name: 'ProviderConfigError', message: expect.stringContaining('not supported') });
    }
  });

  it('uses the power hook for power actions, never for release', async () => {
    const hook = jest.fn<ReturnType<PowerHook>, Parameters<PowerHook>>(async () => {});
    const d = await onprem({ onpremPowerHook: hook });
    const host = await d.allocate(request('p1', { address: '192.0.2.10' }), 'p1-host-0');
    await d.powerOff(host.providerId);
    await d.release([host.providerId]);
    expect(hook.mock.calls).toEqual([['poweroff', { providerId: host.providerId, name: 'p1-host-0', address: '192.0.2.10', port: 22 }]]);
    await expect(d.powerOff(host.providerId)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('keeps its records in the injected store, so a new driver sees them', async () => {
    const driverState = new MemoryDriverStateStore();
    const host = await (await onprem({ driverState })).allocate(request('p1', { address: '192.0.2.10' }), 'p1-host-0');
    const later = await onprem({ driverState });
    expect((await later.list('p1')).map((h) => h.providerId)).toEqual([host.providerId]);
    await later.release([host.providerId]);
    expect(await later.describe([host.providerId])).toEqual([expect.objectContaining({ status: 'terminated' })]);
  });
});

describe('commandPowerHook', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'power-hook-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the command with action, address and name as separate arguments', async () => {
    const script = join(dir, 'power.sh');
    writeFileSync(script, `#!/bin/sh\nprintf '%s|' "$@" > "${join(dir, 'args')}"\n`);
    chmodSync(script, 0o755);
    await commandPowerHook(script)('reboot', { providerId: 'onprem-1', name: 'edge 1; rm -rf /', address: '192.0.2.10', port: 22 });
    expect(readFileSync(join(dir, 'args'), 'utf8')).toBe('reboot|192.0.2.10|edge 1; rm -rf /|');
  });

  it('fails with a retryable error carrying the command output', async () => {
    const script = join(dir, 'fail.sh');
    writeFileSync(script, '#!/bin/sh\necho "ipmi: no route" >&2\nexit 3\n');
    chmodSync(script, 0o755);
    await expect(
      commandPowerHook(script)('poweroff', { providerId: 'x', name: 'h', address: '192.0.2.10', port: 22 }),
    ).rejects.toMatchObject({
      name: 'ProviderTransientError',
      message: expect.stringContaining('ipmi: no route'),
    });
  });
});

describe('OnpremIpamDriver', () => {
  const settings = { public_ips: '198.51.100.10, 198.51.100.11' };

  it('never gives one address to two provisions and frees it on release', async () => {
    const ipam = await createIpamRegistry().create({ name: 'onprem', settings });
    const [a] = await ipam.requestAddresses({ provisionId: 'p1', count: 1 }, 'p1-ip-0');
    const [b] = await ipam.requestAddresses({ provisionId: 'p2', count: 1 }, 'p2-ip-0');
    expect(a?.address).not.toBe(b?.address);
    await expect(ipam.requestAddresses({ provisionId: 'p3', count: 1 }, 'p3-ip-0')).rejects.toMatchObject({
      name: 'IpamExhaustedError',
      message: 'the on-prem address pool has 2 addresses, 2 in use, 1 more requested',
    });
    if (a) await ipam.release(a);
    expect((await ipam.requestAddresses({ provisionId: 'p3', count: 1 }, 'p3-ip-0'))[0]?.address).toBe(a?.address);
  });
});
