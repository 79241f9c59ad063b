import { createDriverRegistries } from '../../lambdas/drivers';
import type { AllocateRequest, ProviderDriver, ProviderHostStatus } from '../../lambdas/provisioning/ports/provider';
import { HostPlanSchema } from '../../lambdas/provisioning/plan';

// Belt and braces: the config refuses too, but this file must never run by accident.
if (process.env.EDGE_AWS_LIVE !== '1') throw new Error('set EDGE_AWS_LIVE=1 to run tests against a real AWS account');
const region = process.env.EDGE_AWS_REGION ?? process.env.AWS_REGION;
if (!region) throw new Error('set EDGE_AWS_REGION to the region to test in');

const instanceType = process.env.EDGE_AWS_INSTANCE_TYPE ?? 'c8i.large';
const zone = process.env.EDGE_AWS_AZ;
const provisionId = `live-${Date.now().toString(36)}`;
const POLL_MS = 10_000;

async function until(driver: ProviderDriver, id: string, status: ProviderHostStatus, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [host] = await driver.describe([id]);
    if (host?.status === status) return;
    if (Date.now() > deadline)
      throw new Error(`${id} not ${status} after ${timeoutMs / 1000} s (last ${host?.status}, ${host?.statusReason ?? ''})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

describe(`AWS EC2 driver in ${region} (${instanceType})`, () => {
  let driver: ProviderDriver;
  let infrastructure: Record<string, string> = {};

  beforeAll(async () => {
    const { providers } = createDriverRegistries();
    driver = await providers.create({ name: 'aws', settings: { region, ...(zone ? { availability_zone: zone } : {}) } });
    await driver.validateConnection();
  });

  afterAll(async () => {
    // Whatever failed above, leave nothing billed behind.
    const left = await driver.list(provisionId);
    await driver.release(left.map((h) => h.providerId));
    for (const h of left) await until(driver, h.providerId, 'terminated', 10 * 60_000);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await driver.removeInfrastructure(provisionId, infrastructure);
        return;
      } catch (err) {
        // ENIs of terminated instances linger briefly (DependencyViolation).
        if (attempt >= 20 || !(err as { retryable?: boolean }).retryable) throw err;
        await new Promise((r) => setTimeout(r, 15_000));
      }
    }
  });

  it('allocates one instance once, sees it running, and releases it', async () => {
    infrastructure = await driver.ensureInfrastructure(provisionId);
    const request: AllocateRequest = {
      provisionId,
      host: HostPlanSchema.parse({
        index: 0,
        name: `${provisionId}-host-0`,
        provision: { instancetype: instanceType, ami: 'default', root_size: '16' },
        connection: { remoteUser: 'ubuntu' },
      }),
      infrastructure,
    };
    const host = await driver.allocate(request, `${provisionId}-host-0`);
    expect((await driver.allocate(request, `${provisionId}-host-0`)).providerId).toBe(host.providerId);

    await until(driver, host.providerId, 'running', 10 * 60_000);
    const [running] = await driver.describe([host.providerId]);
    expect(running?.sshHost).toBeTruthy();
    expect(running?.interfaceId).toMatch(/^eni-/);

    await driver.release([host.providerId]);
    await until(driver, host.providerId, 'terminated', 10 * 60_000);
    expect(await driver.list(provisionId)).toEqual([]);
  });
});
