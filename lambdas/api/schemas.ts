import { z } from 'zod';
import { HOST_STATES, OPERATION_KINDS, PROVISION_STATES } from '../provisioning/model';
import type { ProvisionView } from './views';

/**
 * The HTTP API's request and response shapes. Routes parse with them, and
 * `GET /openapi.json` is generated from them, so the document describes what
 * the code accepts and returns.
 */

/** Gives a schema its OpenAPI component name (zod metadata `id`). */
function named<T extends z.ZodType>(id: string, schema: T): T {
  return schema.meta({ id });
}

/** One field-level problem (RFC 9457 extension member `errors`). */
export const FieldProblemSchema = z.object({
  path: z.string().describe('Where: `hosts.1.provision.plan`, `query.cursor`, `headers.idempotency-key`'),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

/** Problem details (RFC 9457), the body of every error response. */
export const ProblemSchema = named(
  'Problem',
  z.object({
    type: z.string().describe('https://edge-provisioner.dev/problems/<slug>'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(FieldProblemSchema).optional(),
    operation: z
      .object({ id: z.string(), kind: z.string(), summary: z.string(), startedAt: z.string(), executionId: z.string().optional() })
      .optional()
      .describe('`operation-in-progress`: the operation running on the provision'),
  }),
);

const nullableInt = z.number().int().nullable();

/** The operation running on a provision (its lock). */
export const OperationViewSchema = named(
  'OperationView',
  z.object({
    id: z.string().describe('`op-` and 12 hex digits'),
    kind: z.enum(OPERATION_KINDS),
    summary: z.string(),
    startedAt: z.string(),
    executionId: z.string().nullable(),
  }),
);

/** A finished operation. */
export const OperationRecordSchema = named(
  'OperationRecord',
  z.object({
    id: z.string(),
    kind: z.enum(OPERATION_KINDS),
    summary: z.string(),
    startedAt: z.string(),
    endedAt: z.string(),
    outcome: z.enum(['SUCCEEDED', 'FAILED', 'REFUSED', 'INTERRUPTED']),
    executionId: z.string().optional(),
    error: z.object({ step: z.string(), errorName: z.string(), message: z.string() }).optional(),
  }),
);

/** A provision as the API shows it (`lambdas/api/views.ts`). */
export const ProvisionViewSchema = named(
  'ProvisionView',
  z.object({
    id: z.string(),
    name: z.string(),
    state: z.enum(PROVISION_STATES),
    owner: z.string(),
    provider: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    failedStep: z.string().optional(),
    error: z.object({ step: z.string(), errorName: z.string(), message: z.string(), attempt: z.number().int(), at: z.string() }).optional(),
    cluster: z.object({ name: z.string(), oneId: z.number().int() }).nullable(),
    hosts: z.array(
      z.object({
        index: z.number().int(),
        name: z.string(),
        state: z.enum(HOST_STATES),
        providerId: z.string().nullable(),
        oneId: nullableInt,
        privateIp: z.string().nullable(),
        publicIps: z.array(z.string()),
        failedStep: z.string().optional(),
        error: z
          .object({ step: z.string(), errorName: z.string(), message: z.string(), attempt: z.number().int(), at: z.string() })
          .optional(),
        timings: z.record(z.string(), z.object({ start: z.string(), end: z.string().optional() })),
      }),
    ),
    datastores: z.array(z.object({ name: z.string(), type: z.string(), oneId: nullableInt })),
    networks: z.array(z.object({ name: z.string(), role: z.string(), vnMad: z.string(), publicIps: z.number().int(), oneId: nullableInt })),
    ttlSeconds: nullableInt,
    tags: z.record(z.string(), z.string()),
    executionId: z.string().nullable(),
    operation: OperationViewSchema.nullable().describe('The operation running now; another request gets 409 `operation-in-progress`'),
    operations: z.array(OperationRecordSchema).describe('The last finished operations, newest first'),
    leftovers: z
      .array(z.object({ object: z.string(), errorName: z.string(), message: z.string() }))
      .optional()
      .describe('What the last rollback or forced delete could not remove'),
  }),
);

// Compile-time check: every view the API builds fits the documented schema.
const _viewFits = (v: ProvisionView): z.infer<typeof ProvisionViewSchema> => v;
void _viewFits;

/** A page of a listing; pass `cursor` back to get the next one. */
function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), cursor: z.string().optional().describe('Absent on the last page') });
}

export const ProvisionSummarySchema = named(
  'ProvisionSummary',
  z.object({
    id: z.string(),
    owner: z.string(),
    name: z.string(),
    state: z.enum(PROVISION_STATES),
    createdAt: z.string(),
    updatedAt: z.string(),
    hostCount: z.number().int(),
  }),
);
export const ProvisionPageSchema = named('ProvisionPage', page(ProvisionSummarySchema));

export const LogEntrySchema = named(
  'LogEntry',
  z.object({
    at: z.string(),
    seq: z.number().int().describe('Position in the log; pass as `after` to read on'),
    type: z.string().describe('A lifecycle detail-type, or a log-only entry (Role Output, Teardown Requested, …)'),
    detail: z.record(z.string(), z.unknown()),
  }),
);
export const LogPageSchema = named('LogPage', page(LogEntrySchema));

/** `POST /provisions` and `POST /validate` as JSON. */
export const CreateBodySchema = z.union([
  z.object({ plan: z.record(z.string(), z.unknown()).describe('A rendered plan (what `edgectl create` sends)') }).strict(),
  z
    .object({
      descriptor: z.union([z.string(), z.record(z.string(), z.unknown())]).describe('A descriptor: YAML text or the same as an object'),
      inputs: z.record(z.string(), z.string()).optional().describe('Values of the descriptor inputs'),
    })
    .strict(),
]);

export const ListQuerySchema = z.object({
  state: z.enum(PROVISION_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(2048).optional(),
});

export const EventsQuerySchema = z.object({
  after: z
    .string()
    .regex(/^\d{1,10}$/, 'a log sequence number')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export const DeleteQuerySchema = z.object({
  cleanup: z.enum(['true', 'false']).optional(),
  cleanup_timeout: z
    .string()
    .regex(/^[1-9][0-9]{0,4}$/, 'whole seconds, 1 to 86400')
    .refine((v) => Number(v) <= 86_400, 'at most 86400 seconds')
    .optional()
    .describe('With cleanup: how long to wait for the VMs of a host, and for each image, to be gone (seconds; 120 by default)'),
  force: z.enum(['true', 'false']).optional().describe('Stop what runs and remove everything, from any state; implies cleanup'),
});

export const DeleteResultSchema = ProvisionViewSchema.extend({ executionId: z.string().nullable().optional() });

export const ValidateResultSchema = z.object({
  valid: z.literal(true),
  name: z.string(),
  provider: z.string(),
  hosts: z.number().int(),
  datastores: z.number().int(),
  networks: z.number().int(),
  publicIps: z.number().int(),
  plan: z.record(z.string(), z.unknown()),
});

export const ProvidersSchema = z.object({
  providers: z.array(z.string()),
  ipams: z.array(z.string()),
  retired: z.array(z.object({ name: z.string(), reason: z.string() })),
});

export const RetryResultSchema = ProvisionViewSchema.extend({ executionId: z.string() });

/** `POST /schedules`: a recurring creation. */
export const ScheduleBodySchema = z
  .object({
    cron: z.string().min(1).max(256).describe('AWS cron: `cron(0 8 ? * MON-FRI *)` or its six fields'),
    timezone: z.string().min(1).max(64).optional().describe('IANA time zone the expression is read in (default UTC)'),
    ttl: z
      .union([z.string().min(1).max(32), z.number().int().positive()])
      .optional()
      .describe('Lifetime of each edge: `10h`, `90m`, or seconds; default the plan’s'),
    plan: z.record(z.string(), z.unknown()).optional().describe('A rendered plan, `${provision_id}` left in place'),
    descriptor: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    inputs: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const ScheduleViewSchema = named(
  'ScheduleView',
  z.object({
    id: z.string(),
    name: z.string(),
    cron: z.string(),
    timezone: z.string(),
    ttlSeconds: z.number().int(),
    hosts: z.number().int(),
    createdAt: z.string(),
    nextRun: z.string().nullable(),
    lastRun: z.object({ at: z.string(), provisionId: z.string() }).nullable(),
  }),
);
export const SchedulePageSchema = named('SchedulePage', page(ScheduleViewSchema));

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(2048).optional(),
});

/** `POST /events` (sandbox only): a custom event for the local bus. */
export const CustomEventBodySchema = z
  .object({
    source: z.string().min(1).max(256).describe('Not `edge-provisioner` and not `aws.*`, which are reserved'),
    'detail-type': z.string().min(1).max(128),
    detail: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const CustomEventResultSchema = z.object({ id: z.string() });

/** `POST /provisions/{id}/hosts`: how many hosts to add, or which (on-prem: their addresses). */
export const ScaleOutBodySchema = z.union([
  z.object({ count: z.number().int().min(1).max(40).describe('Hosts to add, copied from the last one') }).strict(),
  z
    .object({
      hosts: z
        .array(
          z
            .object({
              name: z.string().min(1).max(253).describe('Host name (on-prem: its address unless provision.address is given)'),
              provision: z.record(z.string(), z.string()).optional().describe('Provider parameters merged over the copied host’s'),
            })
            .strict(),
        )
        .min(1)
        .max(40),
    })
    .strict(),
]);

const flag = z.enum(['true', 'false']).optional();

/** Query of `DELETE /provisions/{id}/hosts/{host}` (and of the collection, with `hosts` or `count`). */
export const ScaleInQuerySchema = z.object({
  drain: flag.describe('Disable the hosts in OpenNebula and wait for their VMs to leave'),
  force: flag.describe('With drain: terminate the VMs instead of waiting'),
  drainTimeout: z.coerce.number().int().min(1).max(86_400).optional().describe('Seconds to wait for the VMs (default 600)'),
  allowEmpty: flag.describe('Allow going below min_healthy_hosts, or to no host'),
});
export const ScaleInManyQuerySchema = ScaleInQuerySchema.extend({
  hosts: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(,[A-Za-z0-9._-]+)*$/, 'host names or indexes, comma-separated')
    .optional(),
  count: z.coerce.number().int().min(1).max(40).optional(),
});

/** `POST /provisions/{id}/hosts/{host}/{poweroff|reboot|resume}`. */
export const HostActionBodySchema = z
  .object({
    hard: z.boolean().optional().describe('reboot: a power cycle'),
    force: z.boolean().optional().describe('poweroff, reboot: power the host’s VMs off first (resumed when it is back)'),
  })
  .strict();

/** `POST /provisions/{id}/ips`. */
export const IpAddBodySchema = z
  .object({
    count: z.number().int().min(1).max(16).default(1),
    network: z.string().min(1).optional().describe('Public network (default: the first)'),
  })
  .strict();

/** `POST /provisions/{id}/configure`. */
export const ConfigureBodySchema = z
  .object({
    force: z.boolean().optional().describe('Run every role again from the first (default: resume hosts whose configuration failed)'),
    hosts: z.array(z.string().min(1)).min(1).optional().describe('Only these hosts (names or indexes)'),
  })
  .strict();

/** What a day-2 request answers: the provision with its running `operation`, and the execution. */
export const OperationStartedSchema = named('OperationStarted', ProvisionViewSchema.extend({ executionId: z.string() }));

export const HostInfoSchema = named(
  'HostInfo',
  z.object({
    index: z.number().int(),
    name: z.string(),
    state: z.enum(HOST_STATES),
    providerId: z.string().nullable(),
    oneId: z.number().int().nullable(),
    oneState: z.string().nullable().describe('OpenNebula’s state of the host now'),
    vms: z.array(z.object({ id: z.number().int(), name: z.string(), state: z.number().int() })),
    privateIp: z.string().nullable(),
    publicIps: z.array(z.string()),
    ssh: z.object({ host: z.string(), port: z.number().int(), user: z.string(), hostKey: z.string().nullable() }).nullable(),
    failedStep: z.string().optional(),
  }),
);
export const HostListSchema = named('HostList', z.object({ items: z.array(HostInfoSchema) }));
export const HostListQuerySchema = z.object({ all: flag.describe('Include released hosts') });
