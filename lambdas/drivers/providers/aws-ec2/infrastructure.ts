import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  type EC2Client,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { ProviderConfigError } from '../../../shared/errors';
import type { AwsConnection } from './connection';
import { ec2Call, ec2CallUnlessGone, ec2ErrorCode, mapEc2Error } from './errors';
import { provisionFilter, provisionTags, tagSpec } from './tagging';

/** CIDR of the per-provision VPC when the connection does not set one (oneprovision's default). */
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';

/**
 * Ingress the host roles need, and nothing else: SSH from the configured
 * sources, BGP (EVPN) and VXLAN only from members of the same group.
 */
export function hostIngress(groupId: string, sshCidr: string): IpPermission[] {
  return [
    { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: sshCidr, Description: 'SSH for host configuration' }] },
    { IpProtocol: 'tcp', FromPort: 179, ToPort: 179, UserIdGroupPairs: [{ GroupId: groupId, Description: 'BGP EVPN between hosts' }] },
    { IpProtocol: 'udp', FromPort: 8472, ToPort: 8472, UserIdGroupPairs: [{ GroupId: groupId, Description: 'VXLAN between hosts' }] },
  ];
}

/**
 * Creates, or finds by tag, the network every host of a provision shares:
 * a VPC with an internet gateway, a routed subnet and a security group; or,
 * when the connection names a subnet, only the security group in its VPC.
 * Each step looks up by the provision tag first, so a retry after any crash
 * converges on one set of resources.
 */
export async function ensureNetwork(ec2: EC2Client, connection: AwsConnection, provisionId: string): Promise<Record<string, string>> {
  const name = `edge-${provisionId}`;
  if (connection.subnet_id) {
    const subnetId = connection.subnet_id;
    const out = await ec2CallUnlessGone('DescribeSubnets', () => ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] })));
    const vpcId = out?.Subnets?.[0]?.VpcId;
    if (!vpcId) throw new ProviderConfigError(`subnet ${subnetId} does not exist in ${connection.region}`);
    const sg = await ensureSecurityGroup(ec2, connection, provisionId, vpcId);
    return { vpc_id: vpcId, subnet_id: subnetId, security_group_id: sg, managed: 'security-group' };
  }

  const filters = [provisionFilter(provisionId)];
  const cidr = connection.vpc_cidr ?? DEFAULT_VPC_CIDR;
  const foundVpc = (await ec2Call('DescribeVpcs', () => ec2.send(new DescribeVpcsCommand({ Filters: filters })))).Vpcs?.[0];
  const vpcId =
    foundVpc?.VpcId ??
    (
      await ec2Call('CreateVpc', () =>
        ec2.send(new CreateVpcCommand({ CidrBlock: cidr, TagSpecifications: [tagSpec('vpc', provisionTags(provisionId, name))] })),
      )
    ).Vpc?.VpcId ??
    '';

  const foundIgw = (await ec2Call('DescribeInternetGateways', () => ec2.send(new DescribeInternetGatewaysCommand({ Filters: filters }))))
    .InternetGateways?.[0];
  const igw =
    foundIgw ??
    (
      await ec2Call('CreateInternetGateway', () =>
        ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: [tagSpec('internet-gateway', provisionTags(provisionId, name))] })),
      )
    ).InternetGateway;
  const igwId = igw?.InternetGatewayId ?? '';
  if (!igw?.Attachments?.some((a) => a.VpcId === vpcId)) {
    await ec2Call('AttachInternetGateway', () => ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId })));
  }

  const foundSubnet = (await ec2Call('DescribeSubnets', () => ec2.send(new DescribeSubnetsCommand({ Filters: filters })))).Subnets?.[0];
  const subnetId =
    foundSubnet?.SubnetId ??
    (
      await ec2Call('CreateSubnet', () =>
        ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: cidr,
            ...(connection.availability_zone ? { AvailabilityZone: connection.availability_zone } : {}),
            TagSpecifications: [tagSpec('subnet', provisionTags(provisionId, name))],
          }),
        ),
      )
    ).Subnet?.SubnetId ??
    '';

  const foundRt = (await ec2Call('DescribeRouteTables', () => ec2.send(new DescribeRouteTablesCommand({ Filters: filters }))))
    .RouteTables?.[0];
  const rt =
    foundRt ??
    (
      await ec2Call('CreateRouteTable', () =>
        ec2.send(
          new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: [tagSpec('route-table', provisionTags(provisionId, name))] }),
        ),
      )
    ).RouteTable;
  const rtId = rt?.RouteTableId ?? '';
  if (!rt?.Routes?.some((r) => r.DestinationCidrBlock === '0.0.0.0/0')) {
    await ec2Call('CreateRoute', () =>
      ec2.send(new CreateRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId })),
    );
  }
  if (!rt?.Associations?.some((a) => a.SubnetId === subnetId)) {
    await ec2Call('AssociateRouteTable', () => ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtId, SubnetId: subnetId })));
  }

  const sg = await ensureSecurityGroup(ec2, connection, provisionId, vpcId);
  return {
    vpc_id: vpcId,
    subnet_id: subnetId,
    security_group_id: sg,
    internet_gateway_id: igwId,
    route_table_id: rtId,
    managed: 'vpc',
  };
}

async function ensureSecurityGroup(ec2: EC2Client, connection: AwsConnection, provisionId: string, vpcId: string): Promise<string> {
  const groupName = `edge-${provisionId}`;
  const find = async (byName: boolean): Promise<SecurityGroup | undefined> =>
    (
      await ec2Call('DescribeSecurityGroups', () =>
        ec2.send(
          new DescribeSecurityGroupsCommand({
            Filters: [
              byName ? { Name: 'group-name', Values: [groupName] } : provisionFilter(provisionId),
              { Name: 'vpc-id', Values: [vpcId] },
            ],
          }),
        ),
      )
    ).SecurityGroups?.[0];

  let group = await find(false);
  if (!group) {
    try {
      const created = await ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: groupName,
          Description: `edge-provisioner hosts of ${provisionId}`,
          VpcId: vpcId,
          TagSpecifications: [tagSpec('security-group', provisionTags(provisionId, groupName))],
        }),
      );
      group = { GroupId: created.GroupId, IpPermissions: [] };
    } catch (err) {
      // Created by an earlier attempt whose tags were not yet visible to Describe.
      if (ec2ErrorCode(err) !== 'InvalidGroup.Duplicate') throw mapEc2Error(err, 'CreateSecurityGroup');
      group = await find(true);
    }
  }
  const groupId = group?.GroupId ?? '';
  const have = group?.IpPermissions ?? [];
  const missing = hostIngress(groupId, connection.ssh_cidr ?? '0.0.0.0/0').filter(
    (want) => !have.some((p) => p.IpProtocol === want.IpProtocol && p.FromPort === want.FromPort && p.ToPort === want.ToPort),
  );
  if (missing.length > 0) {
    try {
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: missing }));
    } catch (err) {
      if (ec2ErrorCode(err) !== 'InvalidPermission.Duplicate') throw mapEc2Error(err, 'AuthorizeSecurityGroupIngress');
    }
  }
  return groupId;
}

/**
 * Deletes everything tagged with the provision, in dependency order. It
 * works from tags rather than the recorded ids, so duplicates left by a
 * retried create are removed too and a lost record leaks nothing. A security
 * group still used by terminating instances fails with a retryable
 * ProviderTransientError (DependencyViolation).
 */
export async function removeNetwork(ec2: EC2Client, provisionId: string): Promise<void> {
  const filters = [provisionFilter(provisionId)];

  const groups = (await ec2Call('DescribeSecurityGroups', () => ec2.send(new DescribeSecurityGroupsCommand({ Filters: filters }))))
    .SecurityGroups;
  for (const g of groups ?? []) {
    await ec2CallUnlessGone('DeleteSecurityGroup', () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })));
  }

  const tables = (await ec2Call('DescribeRouteTables', () => ec2.send(new DescribeRouteTablesCommand({ Filters: filters })))).RouteTables;
  for (const rt of tables ?? []) {
    for (const a of rt.Associations ?? []) {
      if (a.Main || !a.RouteTableAssociationId) continue;
      const id = a.RouteTableAssociationId;
      await ec2CallUnlessGone('DisassociateRouteTable', () => ec2.send(new DisassociateRouteTableCommand({ AssociationId: id })));
    }
    await ec2CallUnlessGone('DeleteRouteTable', () => ec2.send(new DeleteRouteTableCommand({ RouteTableId: rt.RouteTableId })));
  }

  const gateways = (await ec2Call('DescribeInternetGateways', () => ec2.send(new DescribeInternetGatewaysCommand({ Filters: filters }))))
    .InternetGateways;
  for (const igw of gateways ?? []) {
    for (const a of igw.Attachments ?? []) {
      await ec2CallUnlessGone('DetachInternetGateway', () =>
        ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId, VpcId: a.VpcId })),
      );
    }
    await ec2CallUnlessGone('DeleteInternetGateway', () =>
      ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId })),
    );
  }

  const subnets = (await ec2Call('DescribeSubnets', () => ec2.send(new DescribeSubnetsCommand({ Filters: filters })))).Subnets;
  for (const s of subnets ?? []) {
    await ec2CallUnlessGone('DeleteSubnet', () => ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId })));
  }

  const vpcs = (await ec2Call('DescribeVpcs', () => ec2.send(new DescribeVpcsCommand({ Filters: filters })))).Vpcs;
  for (const v of vpcs ?? []) {
    await ec2CallUnlessGone('DeleteVpc', () => ec2.send(new DeleteVpcCommand({ VpcId: v.VpcId })));
  }
}
