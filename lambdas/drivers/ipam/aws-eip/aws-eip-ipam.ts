import {
  AllocateAddressCommand,
  AssignPrivateIpAddressesCommand,
  AssociateAddressCommand,
  CreateTagsCommand,
  DescribeAccountAttributesCommand,
  DescribeAddressesCommand,
  DisassociateAddressCommand,
  ReleaseAddressCommand,
  UnassignPrivateIpAddressesCommand,
  type Address,
  type EC2Client,
  type Filter,
} from '@aws-sdk/client-ec2';
import { NotFoundError, ProviderQuotaError, ProviderTransientError } from '../../../shared/errors';
import type { AwsConnection } from '../../providers/aws-ec2/connection';
import { ec2Call, ec2CallUnlessGone, ec2ErrorCode, isEc2NotFound, mapEc2Error } from '../../providers/aws-ec2/errors';
import { describeInstances, toProviderHost } from '../../providers/aws-ec2/instances';
import { fromTags, provisionFilter, provisionTags, tagFilter, tagSpec, toTags } from '../../providers/aws-ec2/tagging';
import type { ProviderHost } from '../../../provisioning/ports/provider';
import { TAG_IDEMPOTENCY_KEY, TAG_INTERFACE, TAG_ORDINAL, TAG_PRIVATE_IP, TAG_PROVISION } from '../../providers/tags';
import type { IpamDriver, IpLease } from '../../../provisioning/ports/ipam';
import { DEFAULT_ELASTIC_IP_QUOTA, ELASTIC_IP_QUOTA, planElasticIpQuota } from './quota';

/**
 * IPAM on AWS Elastic IPs, in provider-NAT mode: each public address is an
 * EIP associated with a secondary private address on the host's primary
 * interface, which the host then routes to the VM. AllocateAddress has no
 * ClientToken, so addresses are tagged at allocation with the request key and
 * an ordinal and looked up by tag before anything is allocated again.
 */
export class AwsEipIpamDriver implements IpamDriver {
  readonly name = 'aws';

  constructor(
    private readonly ec2: EC2Client,
    private readonly connection: AwsConnection,
  ) {}

  async ensureCapacity(request: { provisionId: string; count: number }): Promise<void> {
    const held = (await this.addresses([provisionFilter(request.provisionId)])).length;
    if (request.count > held) await this.checkQuota(request.count - held);
  }

  async requestAddresses(request: { provisionId: string; count: number }, idempotencyKey: string): Promise<IpLease[]> {
    const byOrdinal = new Map<number, Address>();
    for (const a of await this.addresses([tagFilter(TAG_IDEMPOTENCY_KEY, idempotencyKey)])) {
      byOrdinal.set(Number(fromTags(a.Tags)[TAG_ORDINAL] ?? '-1'), a);
    }
    const missing = Array.from({ length: request.count }, (_, i) => i).filter((i) => !byOrdinal.has(i));
    if (missing.length > 0) await this.checkQuota(missing.length);
    for (const ordinal of missing) {
      const tags = {
        ...provisionTags(request.provisionId, `edge-${request.provisionId}-ip`),
        [TAG_IDEMPOTENCY_KEY]: idempotencyKey,
        [TAG_ORDINAL]: String(ordinal),
      };
      const out = await ec2Call('AllocateAddress', () =>
        this.ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: [tagSpec('elastic-ip', tags)] })),
      );
      byOrdinal.set(ordinal, { AllocationId: out.AllocationId, PublicIp: out.PublicIp, Domain: 'vpc', Tags: toTags(tags) });
    }
    return Array.from({ length: request.count }, (_, i) => toLease(byOrdinal.get(i) ?? {}));
  }

  async attach(lease: IpLease, host: ProviderHost): Promise<IpLease> {
    const address = await this.address(lease.leaseId);
    if (!address) throw new NotFoundError(`Elastic IP ${lease.address} (${lease.leaseId}) does not exist`);
    const eni = host.interfaceId ?? (await this.primaryInterface(host.providerId));
    if (address.AssociationId && address.NetworkInterfaceId === eni) return toLease(address);
    // Moving from another host: free that host's secondary address first.
    if (address.AssociationId) await this.detach(address);

    const tags = fromTags(address.Tags);
    // Tagged by an earlier attempt that died before associating: reuse, do not assign another.
    let privateIp = tags[TAG_INTERFACE] === eni ? tags[TAG_PRIVATE_IP] : undefined;
    if (!privateIp) {
      const out = await ec2Call('AssignPrivateIpAddresses', () =>
        this.ec2.send(new AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 })),
      );
      privateIp = out.AssignedPrivateIpAddresses?.[0]?.PrivateIpAddress;
      if (!privateIp) throw new ProviderTransientError(`EC2 assigned no secondary private address on ${eni}`);
      const assigned = privateIp;
      await ec2Call('CreateTags', () =>
        this.ec2.send(
          new CreateTagsCommand({ Resources: [lease.leaseId], Tags: toTags({ [TAG_INTERFACE]: eni, [TAG_PRIVATE_IP]: assigned }) }),
        ),
      );
    }
    const target = privateIp;
    await ec2Call('AssociateAddress', () =>
      this.ec2.send(
        new AssociateAddressCommand({
          AllocationId: lease.leaseId,
          NetworkInterfaceId: eni,
          PrivateIpAddress: target,
          AllowReassociation: false,
        }),
      ),
    );
    return { ...toLease(address), attachedTo: host.providerId, privateIp: target };
  }

  async release(lease: IpLease): Promise<void> {
    const address = await this.address(lease.leaseId);
    if (!address) return;
    await this.detach(address);
    await ec2CallUnlessGone('ReleaseAddress', () => this.ec2.send(new ReleaseAddressCommand({ AllocationId: lease.leaseId })));
  }

  async list(provisionId: string): Promise<IpLease[]> {
    return (await this.addresses([provisionFilter(provisionId)])).map(toLease);
  }

  /** Disassociates the address and gives its secondary private address back to the interface. */
  private async detach(address: Address): Promise<void> {
    const associationId = address.AssociationId;
    if (associationId) {
      await ec2CallUnlessGone('DisassociateAddress', () => this.ec2.send(new DisassociateAddressCommand({ AssociationId: associationId })));
    }
    const tags = fromTags(address.Tags);
    const eni = address.NetworkInterfaceId ?? tags[TAG_INTERFACE];
    const ip = address.PrivateIpAddress ?? tags[TAG_PRIVATE_IP];
    if (!eni || !ip) return;
    try {
      await this.ec2.send(new UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, PrivateIpAddresses: [ip] }));
    } catch (err) {
      // Gone with its instance, or already unassigned: either way nothing is held.
      if (!isEc2NotFound(err) && ec2ErrorCode(err) !== 'InvalidParameterValue') throw mapEc2Error(err, 'UnassignPrivateIpAddresses');
    }
  }

  private async checkQuota(count: number): Promise<void> {
    const quota = this.connection.eip_quota ? Number(this.connection.eip_quota) : await this.accountQuota();
    const inUse = (await this.addresses([{ Name: 'domain', Values: ['vpc'] }])).length;
    const plan = planElasticIpQuota({ count, region: this.connection.region, inUse, quota });
    if (!plan.sufficient) throw new ProviderQuotaError(plan.message, ELASTIC_IP_QUOTA);
  }

  /** The account's own figure (`vpc-max-elastic-ips`), which reflects raised quotas. */
  private async accountQuota(): Promise<number> {
    // The SDK's AttributeNames enum omits this attribute, so ask for all of them.
    const out = await ec2Call('DescribeAccountAttributes', () => this.ec2.send(new DescribeAccountAttributesCommand({})));
    const value = out.AccountAttributes?.find((a) => a.AttributeName === 'vpc-max-elastic-ips')?.AttributeValues?.[0]?.AttributeValue;
    const n = Number(value);
    return value !== undefined && Number.isInteger(n) && n > 0 ? n : DEFAULT_ELASTIC_IP_QUOTA;
  }

  private async addresses(filters: Filter[]): Promise<Address[]> {
    return (await ec2Call('DescribeAddresses', () => this.ec2.send(new DescribeAddressesCommand({ Filters: filters })))).Addresses ?? [];
  }

  private async address(allocationId: string): Promise<Address | undefined> {
    const out = await ec2CallUnlessGone('DescribeAddresses', () =>
      this.ec2.send(new DescribeAddressesCommand({ AllocationIds: [allocationId] })),
    );
    return out?.Addresses?.[0];
  }

  private async primaryInterface(instanceId: string): Promise<string> {
    const [instance] = await describeInstances(this.ec2, [{ Name: 'instance-id', Values: [instanceId] }]);
    const eni = instance ? toProviderHost(instance).interfaceId : undefined;
    if (!eni) throw new NotFoundError(`instance ${instanceId} has no network interface to attach an Elastic IP to`);
    return eni;
  }
}

function toLease(a: Address): IpLease {
  return {
    leaseId: a.AllocationId ?? '',
    address: a.PublicIp ?? '',
    provisionId: fromTags(a.Tags)[TAG_PROVISION] ?? '',
    ...(a.InstanceId ? { attachedTo: a.InstanceId } : {}),
    ...(a.PrivateIpAddress ? { privateIp: a.PrivateIpAddress } : {}),
  };
}
