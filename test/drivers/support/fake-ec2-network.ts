import * as EC2 from '@aws-sdk/client-ec2';
import { ec2Error, matches, tagsFrom, toTagList, type FakeEc2, type FakeNetworkResource, type HandlerTable } from './fake-ec2';

function need(map: Map<string, FakeNetworkResource>, id: string | undefined, code: string): FakeNetworkResource {
  const r = map.get(id ?? '');
  if (!r) throw ec2Error(code, `'${id}' does not exist`);
  return r;
}

function add(
  fake: FakeEc2,
  map: Map<string, FakeNetworkResource>,
  prefix: string,
  r: Omit<FakeNetworkResource, 'id'>,
): FakeNetworkResource {
  const id = fake.nextId(prefix);
  const resource = { ...r, id, fields: { ...r.fields, ...(r.vpcId ? { 'vpc-id': r.vpcId } : {}) } };
  map.set(id, resource);
  return resource;
}

function live(fake: FakeEc2): Array<{ subnetId: string; groups: string[] }> {
  return fake.liveInstances();
}

function dependency(what: string): never {
  throw ec2Error('DependencyViolation', `${what} has dependencies and cannot be deleted`);
}

function select(map: Map<string, FakeNetworkResource>, filters: EC2.Filter[] | undefined): FakeNetworkResource[] {
  return [...map.values()].filter((r) => matches(r, filters));
}

const vpcView = (v: FakeNetworkResource): EC2.Vpc => ({ VpcId: v.id, CidrBlock: v.cidr, Tags: toTagList(v.tags) });
const subnetView = (s: FakeNetworkResource): EC2.Subnet => ({ SubnetId: s.id, VpcId: s.vpcId, CidrBlock: s.cidr, Tags: toTagList(s.tags) });
const igwView = (g: FakeNetworkResource): EC2.InternetGateway => ({
  InternetGatewayId: g.id,
  Attachments: (g.attachments ?? []).map((VpcId) => ({ VpcId, State: 'attached' })),
  Tags: toTagList(g.tags),
});
const rtView = (t: FakeNetworkResource): EC2.RouteTable => ({
  RouteTableId: t.id,
  VpcId: t.vpcId,
  Routes: t.routes,
  Associations: (t.associations ?? []).map((a) => ({ RouteTableAssociationId: a.id, SubnetId: a.subnetId, Main: false })),
  Tags: toTagList(t.tags),
});
const sgView = (g: FakeNetworkResource): EC2.SecurityGroup => ({
  GroupId: g.id,
  GroupName: g.groupName,
  VpcId: g.vpcId,
  IpPermissions: g.permissions,
  Tags: toTagList(g.tags),
});

/** VPCs, subnets, internet gateways, route tables and security groups. */
export const networkHandlers: HandlerTable = [
  [
    EC2.CreateVpcCommand,
    (f, i: EC2.CreateVpcCommandInput) => ({
      Vpc: vpcView(add(f, f.vpcs, 'vpc', { tags: tagsFrom(i.TagSpecifications, 'vpc'), cidr: i.CidrBlock })),
    }),
  ],
  [EC2.DescribeVpcsCommand, (f, i: EC2.DescribeVpcsCommandInput) => ({ Vpcs: select(f.vpcs, i.Filters).map(vpcView) })],
  [
    EC2.DeleteVpcCommand,
    (f, i: EC2.DeleteVpcCommandInput) => {
      need(f.vpcs, i.VpcId, 'InvalidVpcID.NotFound');
      const inUse = [f.subnets, f.groups, f.routeTables].some((m) => [...m.values()].some((r) => r.vpcId === i.VpcId));
      if (inUse || [...f.gateways.values()].some((g) => g.attachments?.includes(i.VpcId ?? ''))) dependency(`vpc ${i.VpcId}`);
      f.vpcs.delete(i.VpcId ?? '');
      return {};
    },
  ],
  [
    EC2.CreateSubnetCommand,
    (f, i: EC2.CreateSubnetCommandInput) => {
      need(f.vpcs, i.VpcId, 'InvalidVpcID.NotFound');
      return {
        Subnet: subnetView(
          add(f, f.subnets, 'subnet', { tags: tagsFrom(i.TagSpecifications, 'subnet'), vpcId: i.VpcId, cidr: i.CidrBlock }),
        ),
      };
    },
  ],
  [
    EC2.DescribeSubnetsCommand,
    (f, i: EC2.DescribeSubnetsCommandInput) => ({
      Subnets: (i.SubnetIds?.length
        ? i.SubnetIds.map((id) => need(f.subnets, id, 'InvalidSubnetID.NotFound'))
        : select(f.subnets, i.Filters)
      ).map(subnetView),
    }),
  ],
  [
    EC2.DeleteSubnetCommand,
    (f, i: EC2.DeleteSubnetCommandInput) => {
      need(f.subnets, i.SubnetId, 'InvalidSubnetID.NotFound');
      if (live(f).some((x) => x.subnetId === i.SubnetId)) dependency(`subnet ${i.SubnetId}`);
      f.subnets.delete(i.SubnetId ?? '');
      return {};
    },
  ],
  [
    EC2.CreateInternetGatewayCommand,
    (f, i: EC2.CreateInternetGatewayCommandInput) => ({
      InternetGateway: igwView(add(f, f.gateways, 'igw', { tags: tagsFrom(i.TagSpecifications, 'internet-gateway'), attachments: [] })),
    }),
  ],
  [
    EC2.DescribeInternetGatewaysCommand,
    (f, i: EC2.DescribeInternetGatewaysCommandInput) => ({ InternetGateways: select(f.gateways, i.Filters).map(igwView) }),
  ],
  [
    EC2.AttachInternetGatewayCommand,
    (f, i: EC2.AttachInternetGatewayCommandInput) => {
      const g = need(f.gateways, i.InternetGatewayId, 'InvalidInternetGatewayID.NotFound');
      if (g.attachments?.length) throw ec2Error('Resource.AlreadyAssociated');
      g.attachments = [i.VpcId ?? ''];
      return {};
    },
  ],
  [
    EC2.DetachInternetGatewayCommand,
    (f, i: EC2.DetachInternetGatewayCommandInput) => {
      const g = need(f.gateways, i.InternetGatewayId, 'InvalidInternetGatewayID.NotFound');
      if (!g.attachments?.includes(i.VpcId ?? '')) throw ec2Error('Gateway.NotAttached');
      g.attachments = [];
      return {};
    },
  ],
  [
    EC2.DeleteInternetGatewayCommand,
    (f, i: EC2.DeleteInternetGatewayCommandInput) => {
      const g = need(f.gateways, i.InternetGatewayId, 'InvalidInternetGatewayID.NotFound');
      if (g.attachments?.length) dependency(`internet gateway ${g.id}`);
      f.gateways.delete(g.id);
      return {};
    },
  ],
  [
    EC2.CreateRouteTableCommand,
    (f, i: EC2.CreateRouteTableCommandInput) => ({
      RouteTable: rtView(
        add(f, f.routeTables, 'rtb', { tags: tagsFrom(i.TagSpecifications, 'route-table'), vpcId: i.VpcId, routes: [], associations: [] }),
      ),
    }),
  ],
  [
    EC2.DescribeRouteTablesCommand,
    (f, i: EC2.DescribeRouteTablesCommandInput) => ({ RouteTables: select(f.routeTables, i.Filters).map(rtView) }),
  ],
  [
    EC2.CreateRouteCommand,
    (f, i: EC2.CreateRouteCommandInput) => {
      const t = need(f.routeTables, i.RouteTableId, 'InvalidRouteTableID.NotFound');
      if (t.routes?.some((r) => r.DestinationCidrBlock === i.DestinationCidrBlock)) throw ec2Error('RouteAlreadyExists');
      t.routes?.push({ DestinationCidrBlock: i.DestinationCidrBlock ?? '', GatewayId: i.GatewayId ?? '' });
      return { Return: true };
    },
  ],
  [
    EC2.AssociateRouteTableCommand,
    (f, i: EC2.AssociateRouteTableCommandInput) => {
      const t = need(f.routeTables, i.RouteTableId, 'InvalidRouteTableID.NotFound');
      const id = f.nextId('rtbassoc');
      t.associations?.push({ id, subnetId: i.SubnetId ?? '' });
      return { AssociationId: id };
    },
  ],
  [
    EC2.DisassociateRouteTableCommand,
    (f, i: EC2.DisassociateRouteTableCommandInput) => {
      const t = [...f.routeTables.values()].find((x) => x.associations?.some((a) => a.id === i.AssociationId));
      if (!t) throw ec2Error('InvalidAssociationID.NotFound');
      t.associations = t.associations?.filter((a) => a.id !== i.AssociationId);
      return {};
    },
  ],
  [
    EC2.DeleteRouteTableCommand,
    (f, i: EC2.DeleteRouteTableCommandInput) => {
      const t = need(f.routeTables, i.RouteTableId, 'InvalidRouteTableID.NotFound');
      if (t.associations?.length) dependency(`route table ${t.id}`);
      f.routeTables.delete(t.id);
      return {};
    },
  ],
  [
    EC2.CreateSecurityGroupCommand,
    (f, i: EC2.CreateSecurityGroupCommandInput) => {
      if ([...f.groups.values()].some((g) => g.vpcId === i.VpcId && g.groupName === i.GroupName)) throw ec2Error('InvalidGroup.Duplicate');
      const g = add(f, f.groups, 'sg', {
        tags: tagsFrom(i.TagSpecifications, 'security-group'),
        vpcId: i.VpcId,
        groupName: i.GroupName,
        permissions: [],
        fields: { 'group-name': i.GroupName },
      });
      return { GroupId: g.id };
    },
  ],
  [
    EC2.DescribeSecurityGroupsCommand,
    (f, i: EC2.DescribeSecurityGroupsCommandInput) => ({ SecurityGroups: select(f.groups, i.Filters).map(sgView) }),
  ],
  [
    EC2.AuthorizeSecurityGroupIngressCommand,
    (f, i: EC2.AuthorizeSecurityGroupIngressCommandInput) => {
      const g = need(f.groups, i.GroupId, 'InvalidGroup.NotFound');
      for (const p of i.IpPermissions ?? []) {
        if (g.permissions?.some((q) => q.IpProtocol === p.IpProtocol && q.FromPort === p.FromPort))
          throw ec2Error('InvalidPermission.Duplicate');
      }
      g.permissions?.push(...(i.IpPermissions ?? []));
      return { Return: true };
    },
  ],
  [
    EC2.DeleteSecurityGroupCommand,
    (f, i: EC2.DeleteSecurityGroupCommandInput) => {
      need(f.groups, i.GroupId, 'InvalidGroup.NotFound');
      if (live(f).some((x) => x.groups.includes(i.GroupId ?? ''))) dependency(`security group ${i.GroupId}`);
      f.groups.delete(i.GroupId ?? '');
      return {};
    },
  ],
];
