import * as EC2 from '@aws-sdk/client-ec2';
import { ec2Error, matches, tagsFrom, toTagList, type FakeEc2, type FakeInstance, type HandlerTable } from './fake-ec2';

const TRANSITIONS: Record<string, { to: string; after: (f: FakeEc2) => number }> = {
  pending: { to: 'running', after: (f) => f.bootPolls },
  stopping: { to: 'stopped', after: () => 1 },
  'shutting-down': { to: 'terminated', after: () => 1 },
};

function setState(fake: FakeEc2, i: FakeInstance, state: string): void {
  i.state = state;
  i.polls = 0;
  i.fields = { ...i.fields, 'instance-state-name': state };
  if (state === 'terminated') {
    // The ENI goes with the instance, and with it every address mapped to it.
    for (const a of fake.addresses.values()) {
      if (a.eni === i.eni) Object.assign(a, { associationId: undefined, eni: undefined, privateIp: undefined, instanceId: undefined });
    }
    i.secondaryIps = [];
  }
}

/** Advances transitional states the way EC2 does between polls. */
function poll(fake: FakeEc2, i: FakeInstance): void {
  const t = TRANSITIONS[i.state];
  if (t && i.polls >= t.after(fake)) setState(fake, i, t.to);
  else i.polls += 1;
}

function view(i: FakeInstance): EC2.Instance {
  return {
    InstanceId: i.id,
    ImageId: i.input.ImageId,
    InstanceType: i.input.InstanceType,
    ClientToken: i.clientToken,
    State: { Name: i.state as EC2.InstanceStateName },
    ...(i.stateReason ? { StateReason: { Code: i.stateReason } } : {}),
    PrivateIpAddress: i.privateIp,
    ...(i.state === 'running' || i.state === 'pending' ? { PublicIpAddress: i.publicIp } : {}),
    SubnetId: i.subnetId,
    NetworkInterfaces: [{ NetworkInterfaceId: i.eni, Attachment: { DeviceIndex: 0 }, PrivateIpAddress: i.privateIp }],
    Tags: toTagList(i.tags),
  };
}

function find(fake: FakeEc2, ids: string[] | undefined): FakeInstance[] {
  return (ids ?? []).map((id) => {
    const i = fake.instances.get(id);
    if (!i) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
    return i;
  });
}

function runInstances(fake: FakeEc2, input: EC2.RunInstancesCommandInput): EC2.RunInstancesCommandOutput {
  const params = JSON.stringify({ ...input, ClientToken: undefined });
  const same = [...fake.instances.values()].find((i) => input.ClientToken && i.clientToken === input.ClientToken);
  if (same) {
    if (same.params !== params) throw ec2Error('IdempotentParameterMismatch');
    return { $metadata: {}, Instances: [view(same)] };
  }
  const nic = input.NetworkInterfaces?.[0];
  const octet = fake.nextOctet();
  const id = fake.nextId('i');
  const instance: FakeInstance = {
    id,
    tags: tagsFrom(input.TagSpecifications, 'instance'),
    state: 'pending',
    clientToken: input.ClientToken ?? '',
    params,
    subnetId: nic?.SubnetId ?? input.SubnetId ?? '',
    groups: nic?.Groups ?? input.SecurityGroupIds ?? [],
    eni: fake.nextId('eni'),
    privateIp: `10.0.0.${octet}`,
    publicIp: `192.0.2.${octet}`,
    secondaryIps: [],
    polls: 0,
    input,
  };
  instance.fields = { 'client-token': instance.clientToken, 'instance-id': id, 'instance-state-name': 'pending' };
  fake.instances.set(id, instance);
  return { $metadata: {}, Instances: [view(instance)] };
}

function describeInstances(fake: FakeEc2, input: EC2.DescribeInstancesCommandInput): EC2.DescribeInstancesCommandOutput {
  const pool = input.InstanceIds?.length ? find(fake, input.InstanceIds) : [...fake.instances.values()];
  const hits = pool.filter((i) => matches(i, input.Filters));
  hits.forEach((i) => poll(fake, i));
  return { $metadata: {}, Reservations: hits.length ? [{ Instances: hits.map(view) }] : [] };
}

function describeInstanceStatus(fake: FakeEc2, input: EC2.DescribeInstanceStatusCommandInput): EC2.DescribeInstanceStatusCommandOutput {
  return {
    $metadata: {},
    InstanceStatuses: find(fake, input.InstanceIds)
      .filter((i) => input.IncludeAllInstances || i.state === 'running')
      .map((i) => ({
        InstanceId: i.id,
        InstanceState: { Name: i.state as EC2.InstanceStateName },
        SystemStatus: { Status: i.state === 'running' ? 'ok' : 'not-applicable' },
        InstanceStatus: { Status: i.state === 'running' ? 'ok' : 'not-applicable' },
      })),
  };
}

function change(
  fake: FakeEc2,
  ids: string[] | undefined,
  from: string[],
  to: string | undefined,
  noop: string[] = [],
): EC2.InstanceStateChange[] {
  const targets = find(fake, ids);
  for (const i of targets) if (to && !from.includes(i.state) && !noop.includes(i.state)) throw ec2Error('IncorrectInstanceState');
  return targets.map((i) => {
    const previous = i.state;
    if (to && from.includes(i.state)) setState(fake, i, to);
    return {
      InstanceId: i.id,
      PreviousState: { Name: previous as EC2.InstanceStateName },
      CurrentState: { Name: i.state as EC2.InstanceStateName },
    };
  });
}

function describeImages(fake: FakeEc2, input: EC2.DescribeImagesCommandInput): EC2.DescribeImagesCommandOutput {
  if (input.ImageIds?.length) {
    const found = fake.images.filter((img) => input.ImageIds?.includes(img.ImageId ?? ''));
    if (found.length !== input.ImageIds.length) throw ec2Error('InvalidAMIID.NotFound');
    return { $metadata: {}, Images: found };
  }
  const images = fake.images.filter(
    (img) =>
      (!input.Owners || input.Owners.includes(img.OwnerId ?? '')) &&
      matches(
        { id: img.ImageId ?? '', tags: {}, fields: { name: img.Name, architecture: img.Architecture, state: img.State } },
        input.Filters,
      ),
  );
  return { $metadata: {}, Images: images };
}

function describeAccountAttributes(
  fake: FakeEc2,
  input: EC2.DescribeAccountAttributesCommandInput,
): EC2.DescribeAccountAttributesCommandOutput {
  const all = [
    { AttributeName: 'supported-platforms', AttributeValues: [{ AttributeValue: 'VPC' }] },
    { AttributeName: 'vpc-max-elastic-ips', AttributeValues: [{ AttributeValue: String(fake.eipQuota) }] },
  ];
  const names = input.AttributeNames as string[] | undefined;
  return { $metadata: {}, AccountAttributes: names?.length ? all.filter((a) => names.includes(a.AttributeName)) : all };
}

/** Instances, images and account attributes. */
export const computeHandlers: HandlerTable = [
  [EC2.RunInstancesCommand, runInstances],
  [EC2.DescribeInstancesCommand, describeInstances],
  [EC2.DescribeInstanceStatusCommand, describeInstanceStatus],
  [
    EC2.StopInstancesCommand,
    (f, i: EC2.StopInstancesCommandInput) => ({
      StoppingInstances: change(f, i.InstanceIds, ['running'], 'stopping', ['stopping', 'stopped']),
    }),
  ],
  [
    EC2.StartInstancesCommand,
    (f, i: EC2.StartInstancesCommandInput) => ({
      StartingInstances: change(f, i.InstanceIds, ['stopped'], 'pending', ['pending', 'running']),
    }),
  ],
  [EC2.RebootInstancesCommand, (f, i: EC2.RebootInstancesCommandInput) => (change(f, i.InstanceIds, [], undefined), {})],
  [
    EC2.TerminateInstancesCommand,
    (f, i: EC2.TerminateInstancesCommandInput) => ({
      TerminatingInstances: find(f, i.InstanceIds).map((inst) => {
        const previous = inst.state;
        if (inst.state !== 'terminated' && inst.state !== 'shutting-down') setState(f, inst, 'shutting-down');
        return {
          InstanceId: inst.id,
          PreviousState: { Name: previous as EC2.InstanceStateName },
          CurrentState: { Name: inst.state as EC2.InstanceStateName },
        };
      }),
    }),
  ],
  [EC2.DescribeImagesCommand, describeImages],
  [EC2.DescribeAccountAttributesCommand, describeAccountAttributes],
];
