import {
  DescribeAccountAttributesCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
  type Instance,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { HostBootFailedError, ProviderConfigError, ProviderTransientError } from '../../../shared/errors';
import type { AllocateRequest, ProviderDriver, ProviderHost } from '../../../provisioning/ports/provider';
import { TAG_HOST, TAG_IDEMPOTENCY_KEY } from '../tags';
import { clientTokenFor } from './client-token';
import type { AwsConnection } from './connection';
import { ec2Call, ec2CallUnlessGone, isEc2NotFound, mapEc2Error } from './errors';
import { resolveImage } from './images';
import { ensureNetwork, removeNetwork } from './infrastructure';
import { applyStatusChecks, batches, describeInstances, describeStatusChecks, toProviderHost } from './instances';
import { kvmSupport } from './instance-types';
import { provisionFilter, provisionTags, tagSpec } from './tagging';
import { cloudInitUserData } from './user-data';

/** Instance states `list` reports: everything still billed and not already on its way out. */
const LIVE_STATES = ['pending', 'running', 'stopping', 'stopped'];

/**
 * Provider driver for AWS EC2: bare-metal or nested-virtualisation
 * instances, one per host. `RunInstances` carries a ClientToken derived from
 * the idempotency key, so a retried allocation returns the instance the first
 * attempt made; every resource is tagged at create time with the provision.
 * No call waits: the state machine polls `describe`.
 */
export class AwsEc2ProviderDriver implements ProviderDriver {
  readonly name = 'aws';

  constructor(
    private readonly ec2: EC2Client,
    private readonly connection: AwsConnection,
  ) {}

  async validateConnection(): Promise<void> {
    await ec2Call('DescribeAccountAttributes', () =>
      this.ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ['supported-platforms'] })),
    );
  }

  ensureInfrastructure(provisionId: string): Promise<Record<string, string>> {
    return ensureNetwork(this.ec2, this.connection, provisionId);
  }

  removeInfrastructure(provisionId: string): Promise<void> {
    return removeNetwork(this.ec2, provisionId);
  }

  async allocate(request: AllocateRequest, idempotencyKey: string): Promise<ProviderHost> {
    const token = clientTokenFor(idempotencyKey);
    // A lost response or a retried step: adopt what the token already made
    // (also avoids IdempotentParameterMismatch if the default image moved on).
    const [existing] = await describeInstances(this.ec2, [{ Name: 'client-token', Values: [token] }]);
    if (existing) return adopt(existing, idempotencyKey);

    const input = await this.runInstancesInput(request, idempotencyKey, token);
    const out = await ec2Call('RunInstances', () => this.ec2.send(new RunInstancesCommand(input)));
    const instance = out.Instances?.[0];
    // The token makes the retry return this same instance.
    if (!instance) throw new ProviderTransientError(`EC2 RunInstances returned no instance for token ${token}`);
    return adopt(instance, idempotencyKey);
  }

  async describe(providerIds: string[]): Promise<ProviderHost[]> {
    const ids = [...new Set(providerIds.filter((id) => id.length > 0))];
    const hosts: ProviderHost[] = [];
    for (const batch of batches(ids)) {
      const found = await describeInstances(this.ec2, [{ Name: 'instance-id', Values: batch }]);
      hosts.push(...found.map(toProviderHost));
    }
    if (this.connection.status_checks === 'false') return hosts;
    const running = hosts.filter((h) => h.status === 'running').map((h) => h.providerId);
    if (running.length === 0) return hosts;
    const checks = await describeStatusChecks(this.ec2, running);
    return hosts.map((h) => applyStatusChecks(h, checks.get(h.providerId)));
  }

  async powerOff(providerId: string): Promise<void> {
    await ec2Call('StopInstances', () => this.ec2.send(new StopInstancesCommand({ InstanceIds: [providerId] })));
  }

  async reboot(providerId: string): Promise<void> {
    await ec2Call('RebootInstances', () => this.ec2.send(new RebootInstancesCommand({ InstanceIds: [providerId] })));
  }

  async resume(providerId: string): Promise<void> {
    await ec2Call('StartInstances', () => this.ec2.send(new StartInstancesCommand({ InstanceIds: [providerId] })));
  }

  async release(providerIds: string[]): Promise<void> {
    const ids = [...new Set(providerIds.filter((id) => id.length > 0))];
    for (const batch of batches(ids)) {
      try {
        await this.ec2.send(new TerminateInstancesCommand({ InstanceIds: batch }));
      } catch (err) {
        if (!isEc2NotFound(err)) throw mapEc2Error(err, 'TerminateInstances');
        // One unknown id fails the whole batch: terminate the rest one by one.
        for (const id of batch) {
          await ec2CallUnlessGone('TerminateInstances', () => this.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })));
        }
      }
    }
  }

  async list(provisionId: string): Promise<ProviderHost[]> {
    const found = await describeInstances(this.ec2, [provisionFilter(provisionId), { Name: 'instance-state-name', Values: LIVE_STATES }]);
    return found.map(toProviderHost);
  }

  private async runInstancesInput(request: AllocateRequest, idempotencyKey: string, token: string): Promise<RunInstancesCommandInput> {
    const { host, provisionId } = request;
    const p = host.provision;
    const instanceType = p['instancetype'] ?? this.connection.instance_type;
    if (!instanceType) throw new ProviderConfigError(`host ${host.name}: no instance type (set provision.instancetype)`);
    const kvm = kvmSupport(instanceType);
    if (kvm === 'none' && host.vmMad === 'kvm') {
      throw new ProviderConfigError(
        `host ${host.name}: instance type ${instanceType} cannot run KVM; use a *.metal type or a nested-virtualisation type (c8i, m8i, r8i)`,
      );
    }
    const subnetId = request.infrastructure?.['subnet_id'] ?? p['subnet_id'] ?? this.connection.subnet_id;
    if (!subnetId) throw new ProviderConfigError(`host ${host.name}: no subnet (create the provision infrastructure or set subnet_id)`);
    const groupId = request.infrastructure?.['security_group_id'] ?? p['security_group_id'];
    const rootSize = p['root_size'];
    if (rootSize !== undefined && !/^[1-9]\d*$/.test(rootSize)) {
      throw new ProviderConfigError(`host ${host.name}: root_size '${rootSize}' is not a size in GiB`);
    }
    const image = await resolveImage(this.ec2, p['ami'] ?? this.connection.ami, instanceType);
    const keyName = p['key_name'] ?? this.connection.key_name;
    const userData = cloudInitUserData(request.sshPublicKey, host.connection.remoteUser);
    const tags = {
      ...provisionTags(provisionId, host.name),
      [TAG_HOST]: host.name,
      [TAG_IDEMPOTENCY_KEY]: idempotencyKey.slice(0, 256),
    };
    return {
      ClientToken: token,
      MinCount: 1,
      MaxCount: 1,
      ImageId: image.imageId,
      InstanceType: instanceType as RunInstancesCommandInput['InstanceType'],
      NetworkInterfaces: [
        {
          DeviceIndex: 0,
          SubnetId: subnetId,
          AssociatePublicIpAddress: true,
          DeleteOnTermination: true,
          ...(groupId ? { Groups: [groupId] } : {}),
        },
      ],
      ...(keyName ? { KeyName: keyName } : {}),
      ...(userData ? { UserData: userData } : {}),
      ...(rootSize && image.rootDeviceName
        ? {
            BlockDeviceMappings: [
              { DeviceName: image.rootDeviceName, Ebs: { VolumeSize: Number(rootSize), VolumeType: 'gp3', DeleteOnTermination: true } },
            ],
          }
        : {}),
      ...(kvm === 'nested' ? { CpuOptions: { NestedVirtualization: 'enabled' } } : {}),
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      TagSpecifications: [tagSpec('instance', tags), tagSpec('volume', tags), tagSpec('network-interface', tags)],
    };
  }
}

/** A token whose instance is gone cannot make another one: the caller needs a new key. */
function adopt(instance: Instance, idempotencyKey: string): ProviderHost {
  const host = toProviderHost(instance);
  const state = instance.State?.Name;
  if (state === 'terminated' || state === 'shutting-down') {
    throw new HostBootFailedError(
      `instance ${host.providerId} made for key '${idempotencyKey}' is ${state} (${host.statusReason ?? 'no reason given'}); allocate with a new key`,
    );
  }
  return host;
}
