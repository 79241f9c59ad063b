import { z } from 'zod';

/**
 * The sim provider's and sim IPAM's faults, by name. Spelled out here, not
 * imported, so the API bundle carries no driver code; a test keeps them
 * equal to `SIM_FAULTS` and `SIM_IPAM_FAULTS` of the sim drivers.
 */
export const REHEARSABLE_PROVIDER_FAULTS = ['capacity', 'quota', 'throttle-once', 'lost-response', 'never-boots', 'boot-fails'] as const;
/** See {@link REHEARSABLE_PROVIDER_FAULTS}. */
export const REHEARSABLE_IPAM_FAULTS = ['exhausted', 'throttle'] as const;

const hostName = z.string().min(1).max(253);
const count = z.number().int().positive().max(1_000_000);
const ms = z.number().int().positive().max(3_600_000);

/**
 * Faults an operator can rehearse in the sandbox (`edgectl sandbox faults`,
 * `POST /sandbox/faults`): at the sim provider, the sim IPAM, the simulated
 * SSH hosts, the simulated oned and the table. Each is armed until it has hit
 * the given number of calls (or for the given time), then the sandbox heals.
 */
export const SandboxFaultsSchema = z
  .object({
    provider: z
      .record(hostName, z.object({ fault: z.enum(REHEARSABLE_PROVIDER_FAULTS), times: count.optional() }).strict())
      .optional()
      .describe(
        'Per host name: capacity, quota, throttle-once, lost-response, never-boots or boot-fails, for `times` allocations (all when unset)',
      ),
    ipam: z
      .object({ fault: z.enum(REHEARSABLE_IPAM_FAULTS), times: count.default(1) })
      .strict()
      .optional()
      .describe('Address requests: exhausted or throttle'),
    ssh: z
      .record(
        hostName,
        z
          .object({
            refuseAuth: z.boolean().optional(),
            otherHostKey: z.boolean().optional().describe('A reinstalled host, or a machine in the middle: another host key'),
            dropDuringRole: z
              .string()
              .regex(/^[a-z0-9-]{1,32}$/)
              .optional()
              .describe('Cut the connection once while this role runs'),
            latencyMs: ms.optional(),
          })
          .strict(),
      )
      .optional()
      .describe('Per host name: how its SSH server misbehaves (a host that exists already changes at once)'),
    oned: z
      .array(
        z
          .object({
            method: z.string().regex(/^(\*|one\.[a-z]+\.[a-z_]+)$/),
            action: z.enum(['fail', 'drop-before', 'drop-after', 'delay']),
            code: z.number().int().positive().optional().describe('oned error code of `fail` (e.g. 0x2000 = 8192)'),
            message: z.string().max(500).optional(),
            ms: ms.optional(),
            nth: count.optional(),
            times: count.optional(),
          })
          .strict(),
      )
      .optional()
      .describe('Per XML-RPC method: fail with oned’s error array, lose the connection before or after the call ran, or answer late'),
    onedUnreachableMs: ms.optional().describe('oned answers nothing for this long'),
    vnetStallMs: ms.optional().describe('New vnets stay LOCK_CREATE (never READY) for this long'),
    storeConflicts: count.optional().describe('The next conditional writes lose to a concurrent writer'),
  })
  .strict();

export type SandboxFaults = z.infer<typeof SandboxFaultsSchema>;
