import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { TAG_PROVISION } from '../../lambdas/drivers/providers/tags';

/** Tag every AWS driver writes at create time; the policies' conditions rely on it. */
export const PROVISION_TAG = TAG_PROVISION;

/**
 * What a function does with EC2 through the `aws` provider and `aws-eip`
 * IPAM drivers when the provider secret carries no keys (the drivers then use
 * the function's role):
 * - `network`: create the per-provision VPC, gateway, subnet, routes and security group;
 * - `allocate`: run an instance;
 * - `describe`: read instance state and status checks;
 * - `addresses`: allocate Elastic IPs and attach them to a host;
 * - `release`: terminate instances and release their addresses;
 * - `releaseAddresses`: release Elastic IPs only (`ip remove`), no instance;
 * - `teardown`: delete the per-provision network;
 * - `power`: stop, start and reboot instances;
 * - `validate`: check the connection.
 */
export type Ec2Capability =
  | 'network'
  | 'allocate'
  | 'describe'
  | 'addresses'
  | 'release'
  | 'releaseAddresses'
  | 'teardown'
  | 'power'
  | 'validate';

/** EC2 resource types, as they appear in ARNs. */
type Ec2Type =
  | 'instance'
  | 'volume'
  | 'network-interface'
  | 'elastic-ip'
  | 'vpc'
  | 'subnet'
  | 'internet-gateway'
  | 'route-table'
  | 'security-group'
  | 'security-group-rule'
  | 'image'
  | 'key-pair';

/** One EC2 action and how each resource type it touches is authorised. */
interface Ec2Grant {
  action: string;
  /** Types the call creates; allowed only when the request tags them with the provision. */
  creates?: Ec2Type[];
  /** Types the call changes; allowed only when the resource already carries the provision tag. */
  owned?: Ec2Type[];
  /** Types the call only refers to and that may belong to the operator (an AMI, a given subnet). */
  refers?: Ec2Type[];
}

/** Read calls. EC2 `Describe*` supports no resource-level permissions, so these are on `*`. */
const DESCRIBES: Record<Ec2Capability, string[]> = {
  network: ['DescribeVpcs', 'DescribeSubnets', 'DescribeInternetGateways', 'DescribeRouteTables', 'DescribeSecurityGroups'],
  allocate: ['DescribeInstances', 'DescribeImages'],
  describe: ['DescribeInstances', 'DescribeInstanceStatus'],
  addresses: ['DescribeAddresses', 'DescribeAccountAttributes', 'DescribeInstances'],
  release: ['DescribeInstances', 'DescribeAddresses'],
  releaseAddresses: ['DescribeAddresses'],
  teardown: ['DescribeVpcs', 'DescribeSubnets', 'DescribeInternetGateways', 'DescribeRouteTables', 'DescribeSecurityGroups'],
  power: ['DescribeInstances'],
  validate: ['DescribeAccountAttributes'],
};

/** Write calls of each capability, with the resource types each may touch. */
const WRITES: Record<Ec2Capability, Ec2Grant[]> = {
  network: [
    { action: 'CreateVpc', creates: ['vpc'] },
    { action: 'CreateInternetGateway', creates: ['internet-gateway'] },
    { action: 'AttachInternetGateway', owned: ['internet-gateway', 'vpc'] },
    { action: 'CreateSubnet', creates: ['subnet'], owned: ['vpc'] },
    { action: 'CreateRouteTable', creates: ['route-table'], owned: ['vpc'] },
    { action: 'CreateRoute', owned: ['route-table'] },
    { action: 'AssociateRouteTable', owned: ['route-table', 'subnet'] },
    // With a given subnet_id the group goes into the operator's VPC.
    { action: 'CreateSecurityGroup', creates: ['security-group'], refers: ['vpc'] },
    { action: 'AuthorizeSecurityGroupIngress', owned: ['security-group'], refers: ['security-group-rule'] },
  ],
  allocate: [
    {
      action: 'RunInstances',
      creates: ['instance', 'volume', 'network-interface'],
      refers: ['image', 'subnet', 'security-group', 'key-pair'],
    },
  ],
  describe: [],
  addresses: [
    { action: 'AllocateAddress', creates: ['elastic-ip'] },
    { action: 'AssignPrivateIpAddresses', owned: ['network-interface'] },
    { action: 'AssociateAddress', owned: ['elastic-ip', 'network-interface', 'instance'] },
    { action: 'CreateTags', owned: ['elastic-ip'] },
  ],
  release: [
    { action: 'TerminateInstances', owned: ['instance'] },
    { action: 'DisassociateAddress', owned: ['elastic-ip', 'network-interface'] },
    { action: 'UnassignPrivateIpAddresses', owned: ['network-interface'] },
    { action: 'ReleaseAddress', owned: ['elastic-ip'] },
  ],
  releaseAddresses: [
    { action: 'DisassociateAddress', owned: ['elastic-ip', 'network-interface'] },
    { action: 'UnassignPrivateIpAddresses', owned: ['network-interface'] },
    { action: 'ReleaseAddress', owned: ['elastic-ip'] },
  ],
  teardown: [
    { action: 'DeleteSecurityGroup', owned: ['security-group'] },
    { action: 'DisassociateRouteTable', owned: ['route-table', 'subnet'] },
    { action: 'DeleteRouteTable', owned: ['route-table'] },
    { action: 'DetachInternetGateway', owned: ['internet-gateway', 'vpc'] },
    { action: 'DeleteInternetGateway', owned: ['internet-gateway'] },
    { action: 'DeleteSubnet', owned: ['subnet'] },
    { action: 'DeleteVpc', owned: ['vpc'] },
  ],
  power: [
    { action: 'StopInstances', owned: ['instance'] },
    { action: 'StartInstances', owned: ['instance'] },
    { action: 'RebootInstances', owned: ['instance'] },
  ],
  validate: [],
};

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/**
 * ARN of every resource of one EC2 type in this account, in any region: the
 * provider connection names the region at run time. AMIs belong to their
 * publisher, so their ARNs have no account.
 */
export function ec2TypeArn(scope: IConstruct, type: string): string {
  const stack = Stack.of(scope);
  const account = type === 'image' ? '' : stack.account;
  return `arn:${stack.partition}:ec2:*:${account}:${type}/*`;
}

/** The EC2 resource types a set of capabilities touches, for acknowledgements. */
export function ec2ResourceTypes(capabilities: readonly Ec2Capability[]): string[] {
  return sorted(capabilities.flatMap((c) => WRITES[c].flatMap((g) => [...(g.creates ?? []), ...(g.owned ?? []), ...(g.refers ?? [])])));
}

/** The describe actions of a set of capabilities (`ec2:Describe…`). */
export function ec2DescribeActions(capabilities: readonly Ec2Capability[]): string[] {
  return sorted(capabilities.flatMap((c) => DESCRIBES[c]).map((a) => `ec2:${a}`));
}

/**
 * Policy statements for a set of EC2 capabilities:
 * describes on `*` (EC2 requires it); creates only with the provision tag on
 * the request (plus `CreateTags` only as part of those creates); changes and
 * deletes only of resources that carry the provision tag; references to
 * operator-owned AMIs, subnets, security groups and key pairs without a tag
 * condition. Every ARN is limited to this account.
 */
export function ec2Statements(scope: IConstruct, capabilities: readonly Ec2Capability[]): PolicyStatement[] {
  if (capabilities.length === 0) return [];
  const grants = capabilities.flatMap((c) => WRITES[c]);
  const arns = (types: Iterable<string>): string[] => sorted(types).map((t) => ec2TypeArn(scope, t));
  const statements = [new PolicyStatement({ sid: 'Ec2Describe', actions: ec2DescribeActions(capabilities), resources: ['*'] })];
  const creating = grants.filter((g) => g.creates?.length);
  if (creating.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'Ec2CreateTagged',
        actions: sorted(creating.map((g) => `ec2:${g.action}`)),
        resources: arns(creating.flatMap((g) => g.creates ?? [])),
        conditions: { Null: { [`aws:RequestTag/${PROVISION_TAG}`]: 'false' } },
      }),
      new PolicyStatement({
        sid: 'Ec2TagOnCreate',
        actions: ['ec2:CreateTags'],
        resources: arns(creating.flatMap((g) => g.creates ?? [])),
        conditions: { StringEquals: { 'ec2:CreateAction': sorted(creating.map((g) => g.action)) } },
      }),
    );
  }
  const owning = grants.filter((g) => g.owned?.length);
  if (owning.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'Ec2ChangeTagged',
        actions: sorted(owning.map((g) => `ec2:${g.action}`)),
        resources: arns(owning.flatMap((g) => g.owned ?? [])),
        conditions: { Null: { [`aws:ResourceTag/${PROVISION_TAG}`]: 'false' } },
      }),
    );
  }
  const referring = grants.filter((g) => g.refers?.length);
  if (referring.length > 0) {
    statements.push(
      new PolicyStatement({
        sid: 'Ec2UseReferenced',
        actions: sorted(referring.map((g) => `ec2:${g.action}`)),
        resources: arns(referring.flatMap((g) => g.refers ?? [])),
      }),
    );
  }
  return statements;
}
