import type * as EC2 from '@aws-sdk/client-ec2';
import { EC2ServiceException, type Filter, type Tag, type TagSpecification } from '@aws-sdk/client-ec2';
import type { AwsStub } from 'aws-sdk-client-mock';
import { addressHandlers } from './fake-ec2-addresses';
import { computeHandlers } from './fake-ec2-compute';
import { networkHandlers } from './fake-ec2-network';

/** An EC2 error as the SDK raises it (name = AWS error code). */
export function ec2Error(code: string, message = `${code} (fake)`, fault: 'client' | 'server' = 'client'): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: fault,
    $metadata: { httpStatusCode: fault === 'server' ? 500 : 400, requestId: 'req-fake' },
    message,
  });
}

/** Any fake resource: an id, tags, and the fields its filters read. */
export interface FakeResource {
  id: string;
  tags: Record<string, string>;
  fields?: Record<string, string | undefined>;
}

export interface FakeInstance extends FakeResource {
  state: string;
  stateReason?: string;
  clientToken: string;
  /** JSON of the RunInstances input, to detect IdempotentParameterMismatch. */
  params: string;
  subnetId: string;
  groups: string[];
  eni: string;
  privateIp: string;
  publicIp: string;
  secondaryIps: string[];
  /** Describe calls seen in the current transitional state. */
  polls: number;
  input: EC2.RunInstancesCommandInput;
}

export interface FakeAddress extends FakeResource {
  publicIp: string;
  associationId?: string;
  eni?: string;
  privateIp?: string;
  instanceId?: string;
}

export interface FakeNetworkResource extends FakeResource {
  vpcId?: string;
  cidr?: string;
  attachments?: string[];
  routes?: Array<{ DestinationCidrBlock: string; GatewayId: string }>;
  associations?: Array<{ id: string; subnetId: string }>;
  groupName?: string;
  permissions?: EC2.IpPermission[];
}

/** What a fake handler module contributes: command class → behaviour. */
export type HandlerTable = Array<[object, (fake: FakeEc2, input: never) => unknown]>;

/**
 * A small stateful EC2 behind aws-sdk-client-mock: enough of instances,
 * VPC networking and Elastic IPs for the drivers' contract, with EC2's
 * error codes and its eventual state transitions (pending → running after
 * `bootPolls` describes, shutting-down → terminated after one).
 */
export class FakeEc2 {
  readonly instances = new Map<string, FakeInstance>();
  readonly addresses = new Map<string, FakeAddress>();
  readonly vpcs = new Map<string, FakeNetworkResource>();
  readonly subnets = new Map<string, FakeNetworkResource>();
  readonly gateways = new Map<string, FakeNetworkResource>();
  readonly routeTables = new Map<string, FakeNetworkResource>();
  readonly groups = new Map<string, FakeNetworkResource>();
  readonly images: EC2.Image[] = [
    {
      ImageId: 'ami-0aaa1111',
      Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260101',
      CreationDate: '2026-01-01T00:00:00.000Z',
      Architecture: 'x86_64',
      State: 'available',
      RootDeviceName: '/dev/sda1',
      OwnerId: '099720109477',
    },
    {
      ImageId: 'ami-0bbb2222',
      Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261101',
      CreationDate: '2026-11-01T00:00:00.000Z',
      Architecture: 'x86_64',
      State: 'available',
      RootDeviceName: '/dev/sda1',
      OwnerId: '099720109477',
    },
    {
      ImageId: 'ami-0ccc3333',
      Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20261101',
      CreationDate: '2026-11-01T00:00:00.000Z',
      Architecture: 'arm64',
      State: 'available',
      RootDeviceName: '/dev/sda1',
      OwnerId: '099720109477',
    },
  ];
  /** Describes a pending instance stays pending for. */
  bootPolls = 1;
  /** The account's Elastic IP quota (`vpc-max-elastic-ips`). */
  eipQuota = 5;
  private seq = 0;
  private readonly faults: Array<{ command: string; error: Error; after: boolean }> = [];
  private readonly canned: Array<{ command: string; output: object }> = [];

  /** Wires every supported command of the mock to this fake. */
  install(mock: AwsStub<EC2.ServiceInputTypes, EC2.ServiceOutputTypes, EC2.EC2ClientResolvedConfig>): this {
    for (const [command, handler] of [...computeHandlers, ...networkHandlers, ...addressHandlers]) {
      const name = (command as { name: string }).name.replace(/Command$/, '');
      mock.on(command as never).callsFake(async (input: object) => {
        const canned = this.canned.findIndex((c) => c.command === name);
        if (canned >= 0) return { $metadata: {}, ...this.canned.splice(canned, 1)[0]?.output };
        const fault = this.takeFault(name);
        if (fault && !fault.after) throw fault.error;
        const out = handler(this, input as never);
        if (fault) throw fault.error;
        return { $metadata: {}, ...(out as object) };
      });
    }
    return this;
  }

  /**
   * Makes the next call of a command fail. `after: true` applies the call
   * first, like a response lost on the way back.
   */
  failNext(command: string, error: Error, options: { after?: boolean } = {}): void {
    this.faults.push({ command, error, after: options.after ?? false });
  }

  /** Answers the next call of a command with a fixed output (e.g. a stale, eventually consistent read). */
  respondNext(command: string, output: object): void {
    this.canned.push({ command, output });
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${this.seq.toString(16).padStart(17, '0')}`;
  }

  nextOctet(): number {
    return (this.seq % 250) + 4;
  }

  /** Live (not terminated) instances, what a bill shows. */
  liveInstances(): FakeInstance[] {
    return [...this.instances.values()].filter((i) => i.state !== 'terminated');
  }

  private takeFault(command: string): { error: Error; after: boolean } | undefined {
    const i = this.faults.findIndex((f) => f.command === command);
    return i < 0 ? undefined : this.faults.splice(i, 1)[0];
  }
}

/** Tags of a create call's TagSpecifications for one resource type. */
export function tagsFrom(specs: TagSpecification[] | undefined, type: string): Record<string, string> {
  return fromTagList(specs?.find((s) => s.ResourceType === type)?.Tags);
}

export function fromTagList(tags: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}

export function toTagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** EC2 filter semantics: every filter must match; values are OR-ed; `*` is a wildcard. */
export function matches(resource: FakeResource, filters: Filter[] | undefined): boolean {
  return (filters ?? []).every((f) => {
    const name = f.Name ?? '';
    const actual = name.startsWith('tag:') ? resource.tags[name.slice(4)] : resource.fields?.[name];
    if (!name.startsWith('tag:') && !(resource.fields && name in resource.fields)) throw new Error(`fake EC2 does not know filter ${name}`);
    return actual !== undefined && (f.Values ?? []).some((v) => glob(v).test(actual));
  });
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
