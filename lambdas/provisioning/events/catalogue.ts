import { z } from 'zod';
import { DETAIL_TYPES, EVENT_SOURCE, type DetailType } from '../ports/events';
import { OPERATION_KINDS, PROVISION_STATES } from '../model';

/**
 * The event catalogue: the detail of every lifecycle event as a zod schema.
 * The TypeScript types below are inferred from these schemas, and the JSON
 * Schemas in `docs/events/` are generated from them (a test keeps the files
 * in step), so type, schema and document cannot drift apart.
 *
 * Version 1. Schemas are closed (no undocumented field) so the producer's
 * tests catch a field added without a schema change; consumers should
 * ignore fields they do not know, as additive changes keep the version.
 */

/** Version of every detail schema (the `version` field of each detail). */
export const CATALOGUE_VERSION = '1';

const base = {
  version: z.literal(CATALOGUE_VERSION).describe('Schema version of the detail'),
  provisionId: z
    .string()
    .regex(/^p-[0-9a-f]{12}$/)
    .describe('The provision the event is about'),
};
const provision = {
  ...base,
  name: z.string().min(1).describe('Provision name'),
  owner: z.string().min(1).describe('Caller that owns the provision (IAM principal ARN; `local` in the sandbox)'),
};
const host = {
  ...base,
  host: z.string().min(1).describe('Host name'),
  index: z.number().int().nonnegative().describe('Host index in the provision'),
};
const failure = {
  step: z.string().min(1).describe('Step that failed (allocate, waitReady, configure, network, delete, …)'),
  errorName: z.string().min(1).describe('Named error (the name Step Functions matched)'),
  message: z.string().describe('What went wrong, for people'),
};
const ipAddress = z.union([z.ipv4(), z.ipv6()]).describe('Public IPv4 or IPv6 address');
const operation = {
  ...base,
  operationId: z
    .string()
    .regex(/^op-[0-9a-f]{12}$/)
    .describe('The operation (its lock id)'),
  kind: z.enum(OPERATION_KINDS).describe('What the operation does'),
  summary: z.string().min(1).describe('The operation, for people: `add 2 host(s)`, `poweroff edge-host1`'),
};
const vmIds = z.array(z.number().int().nonnegative());
// Checked by the format, not a regular expression, so the published schema stays readable.
const timestamp = z.string().meta({ format: 'date-time' });

/** Detail schema of every detail-type. */
export const EVENT_DETAIL_SCHEMAS = {
  'Provision Requested': z
    .strictObject({
      ...provision,
      provider: z.string().min(1).describe('Provider driver'),
      hosts: z.number().int().nonnegative().describe('Hosts in the plan'),
    })
    .describe('A provision was stored and its create machine started'),
  'Provision Running': z
    .strictObject({
      ...provision,
      hosts: z.number().int().nonnegative(),
      healthyHosts: z.number().int().nonnegative(),
      ttlSeconds: z.number().int().positive().optional().describe('Time to live, when the provision has one'),
      expiresAt: timestamp.optional().describe('When the TTL schedule fires'),
    })
    .describe('Every host is RUNNING'),
  'Provision Degraded': z
    .strictObject({
      ...provision,
      hosts: z.number().int().nonnegative(),
      healthyHosts: z.number().int().nonnegative(),
      ttlSeconds: z.number().int().positive().optional(),
      expiresAt: timestamp.optional(),
    })
    .describe('Some hosts failed but the failure policy tolerates it'),
  'Provision Failed': z
    .strictObject({
      ...provision,
      ...failure,
      onError: z.enum(['rollback', 'keep', 'teardown']).optional().describe('Failure policy applied (creation failures)'),
      rolledBack: z.boolean().optional().describe('Whether everything created was undone'),
      undoErrors: z.array(z.string()).optional().describe('What could not be undone'),
    })
    .describe('Creation or deletion failed; the provision is ERROR'),
  'Provision Deleting': z
    .strictObject({ ...provision, cleanup: z.boolean().describe('VMs are terminated') })
    .describe('The delete machine started'),
  'Provision Deleted': z.strictObject({ ...provision }).describe('Everything was released'),
  'Provision Expired': z
    .strictObject({
      ...provision,
      ttlSeconds: z.number().int().positive(),
      expiresAt: timestamp.describe('When the TTL ran out'),
    })
    .describe("The provision's TTL schedule fired; the teardown rule deletes it with cleanup"),
  'Host Allocated': z
    .strictObject({ ...host, providerId: z.string().min(1).describe("Provider's machine id") })
    .describe('The provider created the machine'),
  'Host Configured': z
    .strictObject({ ...host, roles: z.array(z.string()).describe('Roles run by the last invocation') })
    .describe('Every role ran'),
  'Host Registered': z
    .strictObject({ ...host, oneId: z.number().int().nonnegative().describe('OpenNebula host id') })
    .describe('The host is in the OpenNebula cluster'),
  'Host Failed': z.strictObject({ ...host, ...failure }).describe("A step of the host's pipeline failed"),
  'Host Released': z.strictObject({ ...host, providerId: z.string().min(1) }).describe('The machine was released at the provider'),
  'Ip Assigned': z
    .strictObject({ ...host, address: ipAddress, network: z.string().min(1).describe('Plan network name') })
    .describe('A public IP was leased and attached'),
  'Ip Released': z.strictObject({ ...host, address: ipAddress, network: z.string().min(1) }).describe('A public IP was released'),
  'Operation Started': z
    .strictObject({ ...operation, hosts: z.array(z.string()).optional().describe('Hosts the operation works on') })
    .describe('A day-2 operation (scale, host action, public IPs, reconfigure) took the lock and its machine began'),
  'Operation Succeeded': z
    .strictObject({ ...operation, state: z.enum(PROVISION_STATES).describe('Provision state after it') })
    .describe('A day-2 operation reached its goal and released the lock'),
  'Operation Failed': z
    .strictObject({
      ...operation,
      ...failure,
      state: z.enum(PROVISION_STATES).describe('Provision state after it'),
      undone: z.boolean().describe('Whether what it did was undone (a scale-out released the hosts it bought, …)'),
      undoErrors: z.array(z.string()).optional().describe('What could not be undone'),
    })
    .describe('A day-2 operation failed; what it did was undone (or is named in undoErrors) and the lock released'),
  'Host Added': z
    .strictObject({ ...host, operationId: operation.operationId, oneId: z.number().int().nonnegative() })
    .describe('Scale-out: the host runs, is registered and every host has it as an overlay peer'),
  'Host Removed': z
    .strictObject({
      ...host,
      operationId: operation.operationId,
      vmsTerminated: vmIds.describe('VMs terminated by a forced drain'),
    })
    .describe('Scale-in: the host was drained, deregistered, removed from every peer, and its IPs and machine released'),
  'Host Powered Off': z
    .strictObject({ ...host, operationId: operation.operationId, vmsPoweredOff: vmIds.describe('VMs a forced power-off paused') })
    .describe('The machine is stopped at the provider and the host OFFLINE in OpenNebula'),
  'Host Rebooted': z
    .strictObject({
      ...host,
      operationId: operation.operationId,
      hard: z.boolean().describe('A power cycle rather than a reboot'),
      vmsResumed: vmIds,
    })
    .describe('The machine restarted and the host is MONITORED again'),
  'Host Resumed': z
    .strictObject({
      ...host,
      operationId: operation.operationId,
      vmsResumed: vmIds.describe('VMs paused by a forced power action, resumed'),
    })
    .describe('The machine runs again and the host is MONITORED in OpenNebula'),
  'Ip Added': z
    .strictObject({ ...host, operationId: operation.operationId, address: ipAddress, network: z.string().min(1) })
    .describe('ip add: a public IP was leased, routed to the host and added to the public vnet as a size-1 address range'),
  'Ip Removed': z
    .strictObject({ ...host, operationId: operation.operationId, address: ipAddress, network: z.string().min(1) })
    .describe('ip remove: the address range left the public vnet and the IP was released'),
} as const satisfies Record<DetailType, z.ZodObject>;

/** The detail of an event of detail-type `T`. */
export type EventDetail<T extends DetailType> = z.infer<(typeof EVENT_DETAIL_SCHEMAS)[T]>;

/** An event as EventBridge delivers it (the envelope fields the schemas require or allow). */
export interface EventEnvelope<T extends DetailType = DetailType> {
  source: typeof EVENT_SOURCE;
  'detail-type': T;
  detail: EventDetail<T>;
  id?: string;
  time?: string;
}

/** `Provision Running` → `provision-running`: the file name stem in `docs/events/`. */
export function kebab(detailType: string): string {
  return detailType.toLowerCase().replace(/\s+/g, '-');
}

/** Published location of a schema (its `$id`). */
export function schemaId(detailType: DetailType): string {
  return `https://edge-provisioner.dev/events/${kebab(detailType)}.v${CATALOGUE_VERSION}.json`;
}

/**
 * The JSON Schema (draft 2020-12) of a whole event of one detail-type: the
 * EventBridge envelope with `source` and `detail-type` fixed, and the detail.
 */
export function eventJsonSchema(detailType: DetailType): Record<string, unknown> {
  const detail = z.toJSONSchema(EVENT_DETAIL_SCHEMAS[detailType], {
    target: 'draft-2020-12',
    io: 'output',
    // zod bounds integers by Number.MAX_SAFE_INTEGER; that is noise in a published schema.
    override: ({ jsonSchema }) => {
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      // A format says it; the equivalent regular expression only hides it.
      if (jsonSchema.format && jsonSchema.pattern) delete jsonSchema.pattern;
    },
  }) as Record<string, unknown>;
  const { $schema: _ignored, ...detailSchema } = detail;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: schemaId(detailType),
    title: `${detailType} (v${CATALOGUE_VERSION})`,
    description: `${String(detail['description'] ?? detailType)}. Source ${EVENT_SOURCE}, detail-type "${detailType}".`,
    type: 'object',
    required: ['source', 'detail-type', 'detail'],
    properties: {
      version: { type: 'string', description: 'EventBridge envelope version' },
      id: { type: 'string' },
      source: { const: EVENT_SOURCE },
      'detail-type': { const: detailType },
      account: { type: 'string' },
      time: { type: 'string', format: 'date-time' },
      region: { type: 'string' },
      resources: { type: 'array', items: { type: 'string' } },
      detail: detailSchema,
    },
  };
}

/** Every detail-type of the catalogue. */
export const CATALOGUE_DETAIL_TYPES: readonly DetailType[] = DETAIL_TYPES;
