import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ProvisionPlanSchema } from '../plan';

/**
 * A recurring creation ("a 3-host edge in Frankfurt every weekday at 08:00,
 * TTL 10 h"): the stored plan, still holding its `${provision_id}`
 * placeholders, is rendered for a new provision at every run.
 */
export const RecurringScheduleSchema = z.object({
  id: z.string().regex(/^s-[0-9a-f]{12}$/),
  owner: z.string(),
  /** The plan's name, for listings. */
  name: z.string(),
  /** AWS cron expression, normalised: `cron(0 8 ? * MON-FRI *)`. */
  cron: z.string(),
  /** IANA time zone the cron expression is read in. */
  timezone: z.string(),
  /** Every provision the schedule creates expires this long after it is RUNNING. */
  ttlSeconds: z.number().int().positive(),
  plan: ProvisionPlanSchema,
  createdAt: z.string(),
  /** The latest run: when it was due and what it created. */
  lastRun: z.object({ at: z.string(), provisionId: z.string() }).optional(),
});

/** A stored recurring-creation schedule. */
export type RecurringSchedule = z.infer<typeof RecurringScheduleSchema>;

/** A new schedule id: `s-` and 12 hex digits. */
export function newScheduleId(): string {
  return `s-${randomBytes(6).toString('hex')}`;
}
