import { PROVISION_ID_PLACEHOLDER, substituteProvisionId } from '../provision-id';
import { createProvision, newProvisionId } from '../commands';
import type { Deps } from '../ports/deps';
import type { ProvisionPlan } from '../plan';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { isTimezone, nextFireTime, parseAwsCron, type AwsCron } from './aws-cron';
import { recurringScheduleName } from './names';
import { newScheduleId, type RecurringSchedule } from './recurring-model';
import { adoptCredentials, dropPendingCredentials, isOwnSecret } from '../credentials';

/** What a caller asks for when creating a recurring schedule. */
export interface RecurringScheduleRequest {
  owner: string;
  cron: string;
  timezone?: string;
  /** Overrides the plan's `ttlSeconds`; one of the two is required. */
  ttlSeconds?: number;
  plan: ProvisionPlan;
}

type FieldError = { path: string; message: string };

/**
 * Shortest gap between the next runs; a schedule whose runs outlive it has
 * two edges alive at once.
 */
function shortestPeriodSeconds(cron: AwsCron, timezone: string, from: Date): number | undefined {
  let previous = nextFireTime(cron, timezone, from);
  let shortest: number | undefined;
  for (let i = 0; previous && i < 8; i += 1) {
    const next = nextFireTime(cron, timezone, previous);
    if (!next) break;
    const gap = (next.getTime() - previous.getTime()) / 1000;
    shortest = shortest === undefined ? gap : Math.min(shortest, gap);
    previous = next;
  }
  return shortest;
}

/** Names OpenNebula requires unique; overlapping runs need `${provision_id}` in each. */
function fixedNames(plan: ProvisionPlan): FieldError[] {
  const named: Array<[string, string]> = [
    ['plan.cluster.name', plan.cluster.name],
    ...plan.hosts.map((h, i): [string, string] => [`plan.hosts.${i}.name`, h.name]),
    ...plan.datastores.map((d, i): [string, string] => [`plan.datastores.${i}.name`, d.name]),
    ...plan.networks.filter((n) => !n.template).map((n, i): [string, string] => [`plan.networks.${i}.name`, n.name]),
  ];
  return named
    .filter(([, name]) => !name.includes(PROVISION_ID_PLACEHOLDER))
    .map(([path, name]) => ({
      path,
      message: `'${name}' would be taken by the previous run, which is still alive; include ${PROVISION_ID_PLACEHOLDER} in it`,
    }));
}

/**
 * Checks a recurring-schedule request: a valid AWS cron and time zone, a TTL
 * (without one every run would leave an edge behind), and, when runs overlap,
 * names that differ per provision.
 */
export function checkRecurringRequest(req: RecurringScheduleRequest, now: Date): { cron: AwsCron; timezone: string; ttlSeconds: number } {
  const errors: FieldError[] = [];
  const parsed = parseAwsCron(req.cron);
  if (!parsed.ok) errors.push({ path: 'cron', message: parsed.error });
  const timezone = req.timezone ?? 'UTC';
  if (!isTimezone(timezone)) errors.push({ path: 'timezone', message: `'${timezone}' is not an IANA time zone` });
  const ttlSeconds = req.ttlSeconds ?? req.plan.ttlSeconds;
  if (ttlSeconds === undefined) errors.push({ path: 'ttl', message: 'a recurring schedule needs a TTL (ttl, or ttl in the descriptor)' });
  if (parsed.ok && errors.length === 0 && ttlSeconds !== undefined) {
    if (!nextFireTime(parsed.cron, timezone, now)) errors.push({ path: 'cron', message: 'the expression never fires again' });
    const period = shortestPeriodSeconds(parsed.cron, timezone, now);
    if (period !== undefined && period < ttlSeconds) errors.push(...fixedNames(req.plan));
  }
  if (!parsed.ok || errors.length > 0 || ttlSeconds === undefined) {
    throw new ValidationError(`the schedule is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
  }
  return { cron: parsed.cron, timezone, ttlSeconds };
}

/** Stores a recurring schedule and creates its cron schedule; nothing stays behind when the latter fails. */
export async function createRecurringSchedule(deps: Deps, req: RecurringScheduleRequest): Promise<RecurringSchedule> {
  let checked: ReturnType<typeof checkRecurringRequest>;
  try {
    checked = checkRecurringRequest(req, deps.now());
  } catch (err) {
    await dropPendingCredentials(deps, req.plan);
    throw err;
  }
  const { cron, timezone, ttlSeconds } = checked;
  const id = newScheduleId();
  const schedule: RecurringSchedule = {
    id,
    owner: req.owner,
    name: req.plan.name,
    cron: cron.expression,
    timezone,
    ttlSeconds,
    // Its inline credentials become the schedule's own secret; each run copies them for its provision.
    plan: await adoptCredentials(deps, req.plan, id),
    createdAt: deps.now().toISOString(),
  };
  await deps.schedules.create(schedule);
  try {
    await deps.scheduler.putRecurringCreate(recurringScheduleName(schedule.id), schedule.cron, timezone, schedule.id);
  } catch (err) {
    await deps.schedules.delete(schedule.id);
    await deleteOwnCredentials(deps, schedule);
    throw err;
  }
  return schedule;
}

/** A schedule as its owner may see it; another caller gets NotFoundError. */
export async function getOwnedSchedule(deps: Deps, owner: string, id: string): Promise<RecurringSchedule> {
  const s = await deps.schedules.get(id);
  if (!s || s.owner !== owner) throw new NotFoundError(`schedule ${id} not found`);
  return s;
}

/** Stops a recurring schedule; the provisions it created keep their TTLs. */
export async function deleteRecurringSchedule(deps: Deps, owner: string, id: string): Promise<RecurringSchedule> {
  const s = await getOwnedSchedule(deps, owner, id);
  await deps.scheduler.remove(recurringScheduleName(id));
  await deps.schedules.delete(id);
  // The provisions it created hold copies of their own.
  await deleteOwnCredentials(deps, s);
  return s;
}

async function deleteOwnCredentials(deps: Deps, s: RecurringSchedule): Promise<void> {
  if (isOwnSecret(s.plan.provider.connectionRef, s.id)) await deps.secrets.delete(s.plan.provider.connectionRef as string);
}

/** The next time a schedule runs, for listings. */
export function nextRunOf(s: RecurringSchedule, after: Date): string | null {
  const parsed = parseAwsCron(s.cron);
  return parsed.ok ? (nextFireTime(parsed.cron, s.timezone, after)?.toISOString() ?? null) : null;
}

/**
 * One run of a recurring schedule: creates a provision from the stored plan
 * with the schedule's TTL. The provision id is derived from schedule and due
 * time, so a run the scheduler delivers twice creates one provision.
 */
export async function runScheduledCreate(
  deps: Deps,
  input: { scheduleId: string; scheduledTime: string },
): Promise<{ scheduleId: string; provisionId?: string; skipped?: string }> {
  const s = await deps.schedules.get(input.scheduleId);
  if (!s) return { scheduleId: input.scheduleId, skipped: 'the schedule no longer exists' };
  const id = newProvisionId(s.owner, `schedule\0${s.id}\0${input.scheduledTime}`);
  const plan = substituteProvisionId({ ...s.plan, ttlSeconds: s.ttlSeconds }, id);
  const p = await createProvision(deps, { id, owner: s.owner, plan });
  await deps.schedules.recordRun(s.id, { at: input.scheduledTime, provisionId: p.id });
  return { scheduleId: s.id, provisionId: p.id };
}
