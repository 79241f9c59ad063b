import * as EC2 from '@aws-sdk/client-ec2';
import {
  ec2Error,
  fromTagList,
  matches,
  tagsFrom,
  toTagList,
  type FakeAddress,
  type FakeEc2,
  type FakeInstance,
  type HandlerTable,
} from './fake-ec2';

function address(fake: FakeEc2, id: string | undefined): FakeAddress {
  const a = fake.addresses.get(id ?? '');
  if (!a) throw ec2Error('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);
  return a;
}

function byEni(fake: FakeEc2, eni: string | undefined): FakeInstance {
  const i = [...fake.instances.values()].find((x) => x.eni === eni && x.state !== 'terminated');
  if (!i) throw ec2Error('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${eni}' does not exist`);
  return i;
}

function view(a: FakeAddress): EC2.Address {
  return {
    AllocationId: a.id,
    PublicIp: a.publicIp,
    Domain: 'vpc',
    ...(a.associationId
      ? { AssociationId: a.associationId, NetworkInterfaceId: a.eni, PrivateIpAddress: a.privateIp, InstanceId: a.instanceId }
      : {}),
    Tags: toTagList(a.tags),
  };
}

function unassociate(a: FakeAddress): void {
  Object.assign(a, { associationId: undefined, eni: undefined, privateIp: undefined, instanceId: undefined });
}

/** Elastic IPs and secondary private addresses. */
export const addressHandlers: HandlerTable = [
  [
    EC2.AllocateAddressCommand,
    (f, i: EC2.AllocateAddressCommandInput) => {
      if (f.addresses.size >= f.eipQuota) throw ec2Error('AddressLimitExceeded', 'The maximum number of addresses has been reached.');
      const id = f.nextId('eipalloc');
      const a: FakeAddress = {
        id,
        publicIp: `198.51.100.${f.nextOctet()}`,
        tags: tagsFrom(i.TagSpecifications, 'elastic-ip'),
        fields: { domain: 'vpc', 'allocation-id': id },
      };
      f.addresses.set(id, a);
      return { AllocationId: id, PublicIp: a.publicIp, Domain: 'vpc' };
    },
  ],
  [
    EC2.DescribeAddressesCommand,
    (f, i: EC2.DescribeAddressesCommandInput) => {
      const pool = i.AllocationIds?.length ? i.AllocationIds.map((id) => address(f, id)) : [...f.addresses.values()];
      return { Addresses: pool.filter((a) => matches(a, i.Filters)).map(view) };
    },
  ],
  [
    EC2.AssignPrivateIpAddressesCommand,
    (f, i: EC2.AssignPrivateIpAddressesCommandInput) => {
      const inst = byEni(f, i.NetworkInterfaceId);
      const ips = Array.from({ length: i.SecondaryPrivateIpAddressCount ?? 0 }, () => `10.0.1.${f.nextOctet()}`);
      inst.secondaryIps.push(...ips);
      return { NetworkInterfaceId: inst.eni, AssignedPrivateIpAddresses: ips.map((PrivateIpAddress) => ({ PrivateIpAddress })) };
    },
  ],
  [
    EC2.UnassignPrivateIpAddressesCommand,
    (f, i: EC2.UnassignPrivateIpAddressesCommandInput) => {
      const inst = byEni(f, i.NetworkInterfaceId);
      for (const ip of i.PrivateIpAddresses ?? []) {
        if (!inst.secondaryIps.includes(ip))
          throw ec2Error('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${inst.eni}`);
      }
      inst.secondaryIps = inst.secondaryIps.filter((ip) => !i.PrivateIpAddresses?.includes(ip));
      for (const a of f.addresses.values()) if (a.eni === inst.eni && i.PrivateIpAddresses?.includes(a.privateIp ?? '')) unassociate(a);
      return {};
    },
  ],
  [
    EC2.AssociateAddressCommand,
    (f, i: EC2.AssociateAddressCommandInput) => {
      const a = address(f, i.AllocationId);
      const inst = byEni(f, i.NetworkInterfaceId);
      if (i.PrivateIpAddress !== inst.privateIp && !inst.secondaryIps.includes(i.PrivateIpAddress ?? ''))
        throw ec2Error('InvalidParameterValue');
      const taken = [...f.addresses.values()].find((x) => x !== a && x.eni === inst.eni && x.privateIp === i.PrivateIpAddress);
      if ((a.associationId || taken) && !i.AllowReassociation) throw ec2Error('Resource.AlreadyAssociated');
      Object.assign(a, { associationId: f.nextId('eipassoc'), eni: inst.eni, privateIp: i.PrivateIpAddress, instanceId: inst.id });
      return { AssociationId: a.associationId };
    },
  ],
  [
    EC2.DisassociateAddressCommand,
    (f, i: EC2.DisassociateAddressCommandInput) => {
      const a = [...f.addresses.values()].find((x) => x.associationId === i.AssociationId);
      if (!a) throw ec2Error('InvalidAssociationID.NotFound');
      unassociate(a);
      return {};
    },
  ],
  [
    EC2.ReleaseAddressCommand,
    (f, i: EC2.ReleaseAddressCommandInput) => {
      const a = address(f, i.AllocationId);
      if (a.associationId) throw ec2Error('InvalidIPAddress.InUse');
      f.addresses.delete(a.id);
      return {};
    },
  ],
  [
    EC2.CreateTagsCommand,
    (f, i: EC2.CreateTagsCommandInput) => {
      for (const id of i.Resources ?? []) {
        const r = f.addresses.get(id) ?? f.instances.get(id);
        if (!r) throw ec2Error('InvalidID', `The ID '${id}' is not valid`);
        r.tags = { ...r.tags, ...fromTagList(i.Tags) };
      }
      return {};
    },
  ],
];
