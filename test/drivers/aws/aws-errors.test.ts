import { EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { createIpamRegistry } from '../../../lambdas/drivers/ipam';
import { createProviderRegistry } from '../../../lambdas/drivers/providers';
import { mapEc2Error } from '../../../lambdas/drivers/providers/aws-ec2/errors';
import type { ProviderDriver } from '../../../lambdas/provisioning/ports/provider';
import { HostPlanSchema } from '../../../lambdas/provisioning/plan';
import type { EdgeError } from '../../../lambdas/shared/errors';
import { FakeEc2, ec2Error } from '../support/fake-ec2';

const mock = mockClient(EC2Client);
const settings = { region: 'eu-central-1' };
let fake: FakeEc2;
let driver: ProviderDriver;

const request = {
  provisionId: 'p1',
  host: HostPlanSchema.parse({ index: 0, name: 'p1-host-0', provision: { instancetype: 'm5.metal', ami: 'ami-0bbb2222' } }),
  infrastructure: { subnet_id: 'subnet-0abc' },
};

beforeEach(async () => {
  mock.reset();
  fake = new FakeEc2().install(mock);
  driver = await createProviderRegistry({ ec2: new EC2Client(settings) }).create({ name: 'aws', settings });
});

describe('mapEc2Error through RunInstances', () => {
  it.each([
    ['RequestLimitExceeded', 'client', 'ProviderThrottledError', true],
    ['InsufficientInstanceCapacity', 'server', 'ProviderCapacityError', true],
    ['Unsupported', 'client', 'ProviderCapacityError', true],
    ['AuthFailure', 'client', 'ProviderAuthError', false],
    ['UnauthorizedOperation', 'client', 'ProviderAuthError', false],
    ['InternalError', 'server', 'ProviderTransientError', true],
    ['Unavailable', 'server', 'ProviderTransientError', true],
    ['IdempotentParameterMismatch', 'client', 'InvalidStateError', false],
    ['InvalidParameterValue', 'client', 'ProviderConfigError', false],
  ] as const)('maps %s to %s', async (code, fault, name, retryable) => {
    fake.failNext('RunInstances', ec2Error(code, `${code} from EC2`, fault));
    const err = (await driver.allocate(request, 'p1-host-0').catch((e: unknown) => e)) as EdgeError;
    expect(err).toMatchObject({ name, retryable });
    expect(err.message).toContain(`EC2 RunInstances failed: ${code}`);
  });

  it.each([
    ['VcpuLimitExceeded', 'ec2.vcpus'],
    ['InstanceLimitExceeded', 'ec2.instances'],
    ['AddressLimitExceeded', 'ec2.elastic-ips'],
  ])('maps %s to ProviderQuotaError naming the quota %s', async (code, quota) => {
    fake.failNext('RunInstances', ec2Error(code));
    await expect(driver.allocate(request, 'p1-host-0')).rejects.toMatchObject({ name: 'ProviderQuotaError', quota, retryable: false });
  });

  it('maps a network failure to ProviderTransientError', async () => {
    fake.failNext('RunInstances', Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }));
    await expect(driver.allocate(request, 'p1-host-0')).rejects.toMatchObject({ name: 'ProviderTransientError', retryable: true });
  });
});

describe('mapEc2Error', () => {
  it('treats any 5xx as transient and keeps programming errors as they are', () => {
    expect(mapEc2Error(ec2Error('SomethingNew', 'x', 'server'), 'X').name).toBe('ProviderTransientError');
    const bug = new TypeError('x is undefined');
    expect(mapEc2Error(bug, 'X')).toBe(bug);
  });

  it('maps an unknown client error to a non-retryable EdgeError', () => {
    expect(mapEc2Error(ec2Error('SomethingNew'), 'X')).toMatchObject({ name: 'EdgeError', retryable: false });
  });
});

describe('release paths', () => {
  it('treat not-found as success', async () => {
    fake.failNext('TerminateInstances', ec2Error('InvalidInstanceID.NotFound'));
    await expect(driver.release(['i-0000000000000dead'])).resolves.toBeUndefined();
  });

  it('do not hide an auth failure behind success', async () => {
    const ipam = await createIpamRegistry({ ec2: new EC2Client(settings) }).create({ name: 'aws', settings });
    fake.failNext('DescribeAddresses', ec2Error('AuthFailure'));
    await expect(ipam.release({ leaseId: 'eipalloc-0abc', address: '198.51.100.4', provisionId: 'p1' })).rejects.toMatchObject({
      name: 'ProviderAuthError',
    });
  });
});
