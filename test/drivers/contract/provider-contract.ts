import type { AllocateRequest, ProviderDriver, ProviderHost, ProviderHostStatus } from '../../../lambdas/provisioning/ports/provider';
import { TAG_HOST, TAG_PROVISION } from '../../../lambdas/drivers/providers/tags';
import { HostPlanSchema } from '../../../lambdas/provisioning/plan';

/** What each driver's test file provides to the shared contract. */
export interface ProviderHarness {
  driver: ProviderDriver;
  /** Provider parameters of a provision's host `index` (instancetype, address, ...). */
  provision(provisionId: string, index: number): Record<string, string>;
}

/** A fresh harness per test, so no state leaks between them. */
export type ProviderHarnessFactory = () => Promise<ProviderHarness> | ProviderHarness;

const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl runner@edge';

/** An allocate request for host `index` of a provision. */
export function requestFor(
  h: ProviderHarness,
  provisionId: string,
  index: number,
  infrastructure?: Record<string, string>,
): AllocateRequest {
  return {
    provisionId,
    host: HostPlanSchema.parse({ index, name: `${provisionId}-host-${index}`, provision: h.provision(provisionId, index) }),
    sshPublicKey: PUBLIC_KEY,
    ...(infrastructure ? { infrastructure } : {}),
  };
}

/** Polls `describe` until the host reaches a status (providers move asynchronously). */
export async function eventually(driver: ProviderDriver, id: string, status: ProviderHostStatus, tries = 50): Promise<ProviderHost> {
  let last: ProviderHost | undefined;
  for (let i = 0; i < tries; i += 1) {
    [last] = await driver.describe([id]);
    if (last?.status === status) return last;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`host ${id} did not become ${status}; last seen ${last?.status ?? 'nowhere'}`);
}

/**
 * The shared ProviderDriver contract. Every driver (sim, aws, onprem) must
 * pass it unchanged; driver-specific behaviour lives in its own tests.
 */
export function describeProviderContract(name: string, makeHarness: ProviderHarnessFactory): void {
  describe(`ProviderDriver contract: ${name}`, () => {
    let h: ProviderHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });

    async function allocated(provisionId = 'p-contract', index = 0): Promise<ProviderHost> {
      const infra = await h.driver.ensureInfrastructure(provisionId);
      return h.driver.allocate(requestFor(h, provisionId, index, infra), `${provisionId}-host-${index}`);
    }

    it('validates its connection when the settings are complete', async () => {
      await expect(h.driver.validateConnection()).resolves.toBeUndefined();
    });

    it('returns the same infrastructure when ensured twice and removes it twice without error', async () => {
      const first = await h.driver.ensureInfrastructure('p-infra');
      expect(await h.driver.ensureInfrastructure('p-infra')).toEqual(first);
      await h.driver.removeInfrastructure('p-infra', first);
      await expect(h.driver.removeInfrastructure('p-infra', first)).resolves.toBeUndefined();
    });

    it('tags an allocated host with its provision and host name', async () => {
      const host = await allocated();
      expect(host.providerId).toBeTruthy();
      expect(host.name).toBe('p-contract-host-0');
      expect(host.tags).toMatchObject({ [TAG_PROVISION]: 'p-contract', [TAG_HOST]: 'p-contract-host-0' });
    });

    it('returns the same host when allocate is retried with the same key', async () => {
      const first = await allocated();
      const again = await allocated();
      expect(again.providerId).toBe(first.providerId);
      expect((await h.driver.list('p-contract')).map((x) => x.providerId)).toEqual([first.providerId]);
    });

    it('lists distinct hosts for distinct keys under their provision only', async () => {
      const a = await allocated('p-list', 0);
      const b = await allocated('p-list', 1);
      const other = await allocated('p-other', 0);
      expect(new Set([a.providerId, b.providerId, other.providerId]).size).toBe(3);
      expect((await h.driver.list('p-list')).map((x) => x.providerId).sort()).toEqual([a.providerId, b.providerId].sort());
    });

    it('describes an allocated host until it is running with an SSH address', async () => {
      const host = await allocated();
      const running = await eventually(h.driver, host.providerId, 'running');
      expect(running.sshHost).toBeTruthy();
      expect(running.name).toBe(host.name);
    });

    it('leaves unknown and empty ids out of describe', async () => {
      const host = await allocated();
      const seen = await h.driver.describe([host.providerId, 'i-0000000000000dead', '']);
      expect(seen.map((x) => x.providerId)).toEqual([host.providerId]);
    });

    it('powers a running host off and resumes it', async () => {
      const host = await allocated();
      await eventually(h.driver, host.providerId, 'running');
      await h.driver.powerOff(host.providerId);
      await eventually(h.driver, host.providerId, 'stopped');
      await h.driver.resume(host.providerId);
      await eventually(h.driver, host.providerId, 'running');
    });

    it('reboots a running host, which then runs again', async () => {
      const host = await allocated();
      await eventually(h.driver, host.providerId, 'running');
      await h.driver.reboot(host.providerId);
      await eventually(h.driver, host.providerId, 'running');
    });

    it('releases a host so describe shows it terminated and list omits it', async () => {
      const host = await allocated();
      await h.driver.release([host.providerId]);
      await eventually(h.driver, host.providerId, 'terminated');
      expect(await h.driver.list('p-contract')).toEqual([]);
    });

    it('succeeds when releasing released, unknown or no ids', async () => {
      const host = await allocated();
      await h.driver.release([host.providerId]);
      await expect(h.driver.release([host.providerId, 'i-0000000000000dead'])).resolves.toBeUndefined();
      await expect(h.driver.release([])).resolves.toBeUndefined();
    });
  });
}
