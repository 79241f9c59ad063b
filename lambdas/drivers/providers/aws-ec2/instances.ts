import {
  DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  type EC2Client,
  type Filter,
  type Instance,
  type InstanceStatus,
} from '@aws-sdk/client-ec2';
import type { ProviderHost, ProviderHostStatus } from '../../../provisioning/ports/provider';
import { TAG_HOST } from '../tags';
import { ec2Call, ec2CallUnlessGone } from './errors';
import { fromTags } from './tagging';

/** EC2 accepts at most this many values per filter or id list in one call. */
export const EC2_BATCH = 100;

/** Splits a list into EC2-sized batches. */
export function batches<T>(items: T[], size = EC2_BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every instance matching the filters, across pages. */
export async function describeInstances(ec2: EC2Client, filters: Filter[]): Promise<Instance[]> {
  const out: Instance[] = [];
  let token: string | undefined;
  do {
    const next = token;
    const page = await ec2Call('DescribeInstances', () =>
      ec2.send(new DescribeInstancesCommand({ Filters: filters, ...(next ? { NextToken: next } : {}) })),
    );
    for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/**
 * Status checks of running instances by id. Missing entries (EC2 has not
 * started checking yet) are simply absent; a vanished id is not an error.
 */
export async function describeStatusChecks(ec2: EC2Client, ids: string[]): Promise<Map<string, InstanceStatus>> {
  const out = new Map<string, InstanceStatus>();
  for (const batch of batches(ids)) {
    const page = await ec2CallUnlessGone('DescribeInstanceStatus', () =>
      ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: batch, IncludeAllInstances: true })),
    );
    for (const s of page?.InstanceStatuses ?? []) if (s.InstanceId) out.set(s.InstanceId, s);
  }
  return out;
}

/**
 * Normalised status. `shutting-down` reads as `stopping`: the machine is on
 * its way out but not yet `terminated`, which is what release waits for.
 */
export function statusOf(instance: Instance): ProviderHostStatus {
  switch (instance.State?.Name) {
    case 'running':
      return 'running';
    case 'stopping':
    case 'shutting-down':
      return 'stopping';
    case 'stopped':
      return 'stopped';
    case 'terminated':
      return 'terminated';
    default:
      return 'pending';
  }
}

const CHECK_OK = new Set(['ok', 'not-applicable']);

/**
 * Refines a running instance with its status checks: both checks must pass
 * before SSH is worth trying (metal hosts run long before they answer).
 */
export function applyStatusChecks(host: ProviderHost, checks: InstanceStatus | undefined): ProviderHost {
  if (host.status !== 'running') return host;
  const system = checks?.SystemStatus?.Status;
  const instance = checks?.InstanceStatus?.Status;
  if (system === 'impaired' || instance === 'impaired') {
    return { ...host, status: 'failed', statusReason: `status checks impaired (system ${system}, instance ${instance})` };
  }
  if (system && instance && CHECK_OK.has(system) && CHECK_OK.has(instance)) return host;
  return { ...host, status: 'pending', statusReason: `status checks ${system ?? 'not started'}/${instance ?? 'not started'}` };
}

/** The contract's view of an EC2 instance. */
export function toProviderHost(instance: Instance): ProviderHost {
  const tags = fromTags(instance.Tags);
  const primary = instance.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0) ?? instance.NetworkInterfaces?.[0];
  const reason = instance.StateReason?.Code ?? instance.StateTransitionReason;
  return {
    providerId: instance.InstanceId ?? '',
    name: tags[TAG_HOST] ?? instance.InstanceId ?? '',
    status: statusOf(instance),
    ...(reason ? { statusReason: reason } : {}),
    ...(instance.PublicIpAddress ? { sshHost: instance.PublicIpAddress, publicIp: instance.PublicIpAddress } : {}),
    ...(instance.PrivateIpAddress ? { privateIp: instance.PrivateIpAddress } : {}),
    ...(primary?.NetworkInterfaceId ? { interfaceId: primary.NetworkInterfaceId } : {}),
    tags,
  };
}
