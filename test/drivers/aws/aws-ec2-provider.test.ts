import {
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  EC2Client,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { createProviderRegistry } from '../../../lambdas/drivers/providers';
import type { ProviderDriver } from '../../../lambdas/provisioning/ports/provider';
import { HostPlanSchema } from '../../../lambdas/provisioning/plan';
import { FakeEc2, ec2Error } from '../support/fake-ec2';

const mock = mockClient(EC2Client);
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl runner@edge';
const INFRA = { subnet_id: 'subnet-0abc', security_group_id: 'sg-0abc' };
let fake: FakeEc2;

async function driver(settings: Record<string, string> = {}): Promise<ProviderDriver> {
  return createProviderRegistry({ ec2: new EC2Client({ region: 'eu-central-1' }) }).create({
    name: 'aws',
    settings: { region: 'eu-central-1', ...settings },
  });
}

function request(provision: Record<string, string>, extra: { vmMad?: string; remoteUser?: string } = {}) {
  return {
    provisionId: 'p1',
    host: HostPlanSchema.parse({
      index: 0,
      name: 'p1-host-0',
      provision,
      ...(extra.vmMad ? { vmMad: extra.vmMad } : {}),
      connection: { remoteUser: extra.remoteUser ?? 'ubuntu' },
    }),
    sshPublicKey: KEY,
    infrastructure: INFRA,
  };
}

/** Two polls move any instance through its transitional state, as EC2 does over time. */
async function settle(d: ProviderDriver, id: string): Promise<void> {
  await d.describe([id]);
  await d.describe([id]);
}

function runInput(call = 0): RunInstancesCommandInput {
  return (mock.commandCalls(RunInstancesCommand)[call]?.args[0].input ?? {}) as RunInstancesCommandInput;
}

beforeEach(() => {
  mock.reset();
  fake = new FakeEc2().install(mock);
});

describe('AwsEc2ProviderDriver.allocate', () => {
  it('sends RunInstances with the key as ClientToken, the host plan parameters and tags at create', async () => {
    const d = await driver();
    await d.allocate(request({ instancetype: 'c8i.2xlarge', ami: 'ami-0bbb2222', root_size: '128', key_name: 'ops' }), 'p1-host-0');

    expect(mock).toHaveReceivedCommandTimes(RunInstancesCommand, 1);
    expect(mock).toHaveReceivedCommandWith(RunInstancesCommand, {
      ClientToken: 'p1-host-0',
      MinCount: 1,
      MaxCount: 1,
      ImageId: 'ami-0bbb2222',
      InstanceType: 'c8i.2xlarge',
      KeyName: 'ops',
      CpuOptions: { NestedVirtualization: 'enabled' },
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      NetworkInterfaces: [
        { DeviceIndex: 0, SubnetId: 'subnet-0abc', Groups: ['sg-0abc'], AssociatePublicIpAddress: true, DeleteOnTermination: true },
      ],
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 128, VolumeType: 'gp3', DeleteOnTermination: true } }],
    });
    const specs = runInput().TagSpecifications ?? [];
    expect(specs.map((s) => s.ResourceType)).toEqual(['instance', 'volume', 'network-interface']);
    expect(specs[0]?.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'edge-provisioner:provision', Value: 'p1' },
        { Key: 'edge-provisioner:host', Value: 'p1-host-0' },
        { Key: 'Name', Value: 'p1-host-0' },
      ]),
    );
  });

  it('installs the runner key through cloud-init user data', async () => {
    const d = await driver();
    await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }, { remoteUser: 'root' }), 'p1-host-0');
    const userData = Buffer.from(runInput().UserData ?? '', 'base64').toString('utf8');
    expect(userData).toBe(`#cloud-config\nssh_authorized_keys:\n  - ${JSON.stringify(KEY)}\ndisable_root: false\n`);
  });

  it('launches metal types without nested virtualisation and refuses non-KVM types for kvm hosts', async () => {
    const d = await driver();
    await d.allocate(request({ instancetype: 'c7i.metal-24xl', ami: 'ami-0bbb2222' }), 'p1-host-0');
    expect(runInput().CpuOptions).toBeUndefined();

    await expect(d.allocate(request({ instancetype: 't3.micro', ami: 'ami-0bbb2222' }), 'p1-host-1')).rejects.toMatchObject({
      name: 'ProviderConfigError',
      message: expect.stringContaining('cannot run KVM'),
    });
    expect(mock).toHaveReceivedCommandTimes(RunInstancesCommand, 1);
  });

  it('accepts any instance type for LXC hosts', async () => {
    const d = await driver();
    await d.allocate(request({ instancetype: 't3.large', ami: 'ami-0bbb2222' }, { vmMad: 'lxc' }), 'p1-host-0');
    expect(mock).toHaveReceivedCommandWith(RunInstancesCommand, { InstanceType: 't3.large' });
  });

  it('resolves the default image to the newest Ubuntu 24.04 of the right architecture', async () => {
    const d = await driver();
    await d.allocate(request({ instancetype: 'm5.metal', ami: 'default' }), 'p1-host-0');
    expect(mock).toHaveReceivedCommandWith(DescribeImagesCommand, { Owners: ['099720109477'] });
    expect(runInput().ImageId).toBe('ami-0bbb2222');

    await d.allocate(request({ instancetype: 'm7g.metal' }), 'p1-host-1');
    expect(runInput(1).ImageId).toBe('ami-0ccc3333');
  });

  it('hashes a key that does not fit a ClientToken into a stable 64-character token', async () => {
    const d = await driver();
    const long = `p1-${'x'.repeat(80)}`;
    await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), long);
    const token = runInput().ClientToken ?? '';
    expect(token).toHaveLength(64);
    expect(token).toMatch(/^ep-[0-9a-f]{61}$/);
    expect((await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), long)).providerId).toBe(
      fake.liveInstances()[0]?.id,
    );
  });

  it('does not double-allocate when retried after a response lost in transit', async () => {
    const d = await driver();
    fake.failNext('RunInstances', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), { after: true });
    await expect(d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0')).rejects.toMatchObject({
      name: 'ProviderTransientError',
    });
    const host = await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0');

    expect(fake.liveInstances().map((i) => i.id)).toEqual([host.providerId]);
    expect(mock).toHaveReceivedCommandWith(DescribeInstancesCommand, { Filters: [{ Name: 'client-token', Values: ['p1-host-0'] }] });
    expect(mock).toHaveReceivedCommandTimes(RunInstancesCommand, 1);
  });

  it('relies on the ClientToken when the lookup before RunInstances is not yet consistent', async () => {
    const d = await driver();
    fake.failNext('RunInstances', ec2Error('RequestTimeout'), { after: true });
    await expect(d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0')).rejects.toThrow();
    fake.respondNext('DescribeInstances', { Reservations: [] });
    const host = await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0');

    expect(mock).toHaveReceivedCommandTimes(RunInstancesCommand, 2);
    expect(mock.commandCalls(RunInstancesCommand).map((c) => c.args[0].input.ClientToken)).toEqual(['p1-host-0', 'p1-host-0']);
    expect(fake.liveInstances().map((i) => i.id)).toEqual([host.providerId]);
  });

  it('fails with HostBootFailedError when the instance for the key was terminated', async () => {
    const d = await driver();
    const host = await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0');
    await d.release([host.providerId]);
    await expect(d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0')).rejects.toMatchObject({
      name: 'HostBootFailedError',
    });
  });
});

describe('AwsEc2ProviderDriver.describe', () => {
  async function runningHost(d: ProviderDriver): Promise<string> {
    const host = await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0');
    await settle(d, host.providerId);
    return host.providerId;
  }

  it('reports a running instance as pending until both status checks pass', async () => {
    const d = await driver();
    const id = await runningHost(d);
    fake.respondNext('DescribeInstanceStatus', {
      InstanceStatuses: [{ InstanceId: id, SystemStatus: { Status: 'ok' }, InstanceStatus: { Status: 'initializing' } }],
    });
    expect(await d.describe([id])).toEqual([expect.objectContaining({ status: 'pending', statusReason: 'status checks ok/initializing' })]);
    expect(await d.describe([id])).toEqual([
      expect.objectContaining({ status: 'running', sshHost: expect.any(String), interfaceId: expect.stringMatching(/^eni-/) }),
    ]);
    expect(mock).toHaveReceivedCommandWith(DescribeInstanceStatusCommand, { InstanceIds: [id], IncludeAllInstances: true });
  });

  it('reports impaired status checks as failed', async () => {
    const d = await driver();
    const id = await runningHost(d);
    fake.respondNext('DescribeInstanceStatus', {
      InstanceStatuses: [{ InstanceId: id, SystemStatus: { Status: 'impaired' }, InstanceStatus: { Status: 'ok' } }],
    });
    expect((await d.describe([id]))[0]?.status).toBe('failed');
  });

  it('skips status checks when the connection turns them off', async () => {
    const d = await driver({ status_checks: 'false' });
    const id = await runningHost(d);
    expect((await d.describe([id]))[0]?.status).toBe('running');
    expect(mock).toHaveReceivedCommandTimes(DescribeInstanceStatusCommand, 0);
  });
});

describe('AwsEc2ProviderDriver power and release', () => {
  it('maps power actions to Stop, Reboot and Start with the instance id', async () => {
    const d = await driver();
    const { providerId } = await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0');
    await settle(d, providerId);
    await d.reboot(providerId);
    await d.powerOff(providerId);
    await settle(d, providerId);
    await d.resume(providerId);
    expect(mock).toHaveReceivedCommandWith(RebootInstancesCommand, { InstanceIds: [providerId] });
    expect(mock).toHaveReceivedCommandWith(StopInstancesCommand, { InstanceIds: [providerId] });
    expect(mock).toHaveReceivedCommandWith(StartInstancesCommand, { InstanceIds: [providerId] });
  });

  it('terminates known ids one by one when the batch contains an unknown one', async () => {
    const d = await driver();
    const { providerId } = await d.allocate(request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), 'p1-host-0');
    await d.release([providerId, 'i-0000000000000dead']);
    expect(mock).toHaveReceivedNthSpecificCommandWith(1, TerminateInstancesCommand, { InstanceIds: [providerId, 'i-0000000000000dead'] });
    expect(mock).toHaveReceivedNthSpecificCommandWith(2, TerminateInstancesCommand, { InstanceIds: [providerId] });
    expect(fake.instances.get(providerId)?.state).toBe('shutting-down');
  });

  it('lists by provision tag and live states', async () => {
    const d = await driver();
    await d.list('p1');
    expect(mock).toHaveReceivedCommandWith(DescribeInstancesCommand, {
      Filters: [
        { Name: 'tag:edge-provisioner:provision', Values: ['p1'] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    });
  });
});

describe('AwsEc2ProviderDriver infrastructure', () => {
  it('creates a tagged VPC, gateway, subnet and a security group with only the role ports', async () => {
    const d = await driver({ availability_zone: 'eu-central-1b' });
    const infra = await d.ensureInfrastructure('p1');

    expect(infra).toMatchObject({ managed: 'vpc', vpc_id: expect.stringMatching(/^vpc-/), subnet_id: expect.stringMatching(/^subnet-/) });
    const tags = [{ ResourceType: expect.any(String), Tags: expect.arrayContaining([{ Key: 'edge-provisioner:provision', Value: 'p1' }]) }];
    expect(mock).toHaveReceivedCommandWith(CreateVpcCommand, { CidrBlock: '10.0.0.0/16', TagSpecifications: tags });
    expect(mock).toHaveReceivedCommandWith(CreateSubnetCommand, { AvailabilityZone: 'eu-central-1b', TagSpecifications: tags });
    expect(mock).toHaveReceivedCommandWith(CreateInternetGatewayCommand, { TagSpecifications: tags });
    expect(mock).toHaveReceivedCommandWith(CreateSecurityGroupCommand, { GroupName: 'edge-p1', TagSpecifications: tags });
    const rules = mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]?.args[0].input.IpPermissions ?? [];
    expect(rules.map((r) => `${r.FromPort}/${r.IpProtocol}`)).toEqual(['22/tcp', '179/tcp', '8472/udp']);
    expect(rules[1]?.UserIdGroupPairs).toEqual([expect.objectContaining({ GroupId: infra['security_group_id'] })]);
  });

  it('finds everything by tag on a second call and creates nothing', async () => {
    const d = await driver();
    await d.ensureInfrastructure('p1');
    mock.resetHistory();
    await d.ensureInfrastructure('p1');
    expect(mock).toHaveReceivedCommandTimes(CreateVpcCommand, 0);
    expect(mock).toHaveReceivedCommandTimes(CreateSubnetCommand, 0);
    expect(mock).toHaveReceivedCommandTimes(CreateInternetGatewayCommand, 0);
    expect(mock).toHaveReceivedCommandTimes(CreateSecurityGroupCommand, 0);
    expect(mock).toHaveReceivedCommandTimes(AuthorizeSecurityGroupIngressCommand, 0);
  });

  it('only adds a security group when the connection names a subnet', async () => {
    const d = await driver({ subnet_id: 'subnet-0feed' });
    fake.subnets.set('subnet-0feed', { id: 'subnet-0feed', vpcId: 'vpc-0shared', tags: {} });
    expect(await d.ensureInfrastructure('p1')).toMatchObject({
      managed: 'security-group',
      subnet_id: 'subnet-0feed',
      vpc_id: 'vpc-0shared',
    });
    expect(mock).toHaveReceivedCommandTimes(CreateVpcCommand, 0);
    expect(mock).toHaveReceivedCommandWith(CreateSecurityGroupCommand, { VpcId: 'vpc-0shared' });
  });

  it('fails retryably while instances still use the network, then removes it', async () => {
    const d = await driver();
    const infra = await d.ensureInfrastructure('p1');
    const host = await d.allocate({ ...request({ instancetype: 'm5.metal', ami: 'ami-0bbb2222' }), infrastructure: infra }, 'p1-host-0');
    await expect(d.removeInfrastructure('p1', infra)).rejects.toMatchObject({ name: 'ProviderTransientError', retryable: true });

    await d.release([host.providerId]);
    await settle(d, host.providerId);
    await d.removeInfrastructure('p1', infra);
    expect([fake.vpcs.size, fake.subnets.size, fake.gateways.size, fake.routeTables.size, fake.groups.size]).toEqual([0, 0, 0, 0, 0]);
  });
});
