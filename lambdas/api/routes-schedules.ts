import { MAX_TTL_SECONDS, parseDuration } from '../descriptor/duration';
import type { RecurringSchedule } from '../provisioning/scheduling/recurring-model';
import { createRecurringSchedule, deleteRecurringSchedule, getOwnedSchedule, nextRunOf } from '../provisioning/scheduling/recurring';
import { parseBody } from './body';
import { checkCursor } from './cursor';
import { json } from './http';
import { IDEMPOTENCY_KEY_PATTERN, requestFingerprint, runIdempotent } from './idempotency';
import { renderPlan } from './plan-input';
import { HttpProblem } from './problem';
import { parseQuery } from './query';
import type { Route } from './router';
import { PageQuerySchema, ScheduleBodySchema, SchedulePageSchema, ScheduleViewSchema } from './schemas';

/** A schedule as the API shows it (see {@link toScheduleView}). */
export type ScheduleView = ReturnType<typeof toScheduleView>;

/** A schedule as the API shows it (the stored plan is left out; it can be large). */
export function toScheduleView(s: RecurringSchedule, now: Date) {
  return {
    id: s.id,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    ttlSeconds: s.ttlSeconds,
    hosts: s.plan.hosts.length,
    createdAt: s.createdAt,
    nextRun: nextRunOf(s, now),
    lastRun: s.lastRun ?? null,
  };
}

function ttlOf(ttl: string | number | undefined): number | undefined {
  if (ttl === undefined) return undefined;
  const seconds = parseDuration(ttl);
  if (seconds === undefined || seconds > MAX_TTL_SECONDS) {
    throw new HttpProblem(422, 'invalid-request', 'The request is not valid', 'ttl is not a duration', [
      { path: 'ttl', message: `a duration such as 10h, 90m or 3600 (at most ${MAX_TTL_SECONDS} s)` },
    ]);
  }
  return seconds;
}

/** Recurring creation: `POST /schedules`, `GET /schedules`, `GET|DELETE /schedules/{id}`. */
export const scheduleRoutes: Route[] = [
  {
    method: 'POST',
    path: '/schedules',
    doc: {
      summary: 'Create a recurring schedule',
      description:
        'At every time the AWS cron expression names, a provision is created from the plan (or descriptor) and expires after `ttl`. ' +
        'When runs overlap (period shorter than the TTL), the plan’s names must contain `${provision_id}`.',
      tag: 'schedules',
      body: { schema: ScheduleBodySchema, required: true },
      idempotent: true,
      responses: { 201: { description: 'The schedule', schema: ScheduleViewSchema } },
      errors: [409, 413, 415, 422],
    },
    async handle(deps, req) {
      const body = ScheduleBodySchema.parse(parseBody(req));
      const ttlSeconds = ttlOf(body.ttl);
      const source = body.plan
        ? { plan: body.plan }
        : body.descriptor !== undefined
          ? { descriptor: body.descriptor, inputs: body.inputs }
          : undefined;
      if (!source || (body.plan && body.descriptor !== undefined)) {
        throw new HttpProblem(422, 'invalid-request', 'The request is not valid', 'send exactly one of plan and descriptor', [
          { path: 'plan', message: 'exactly one of plan and descriptor is required' },
        ]);
      }
      const create = async () => {
        const plan = await renderPlan(deps, source, undefined);
        return (await createRecurringSchedule(deps, { owner: req.owner, cron: body.cron, timezone: body.timezone, ttlSeconds, plan })).id;
      };
      const key = req.headers['idempotency-key'];
      let id: string;
      if (key === undefined) id = await create();
      else {
        if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
          throw new HttpProblem(
            400,
            'bad-request',
            'Invalid Idempotency-Key',
            'the Idempotency-Key header must be 1 to 128 visible ASCII characters',
          );
        }
        if (!req.platform.idempotency)
          throw new Error('Idempotency-Key sent but no idempotency table is configured (IDEMPOTENCY_TABLE_NAME)');
        const fingerprint = requestFingerprint([req.contentType, req.body]);
        id = (
          await runIdempotent(
            req.platform.idempotency,
            'create-schedule',
            { owner: req.owner, key, fingerprint, remainingMs: req.remainingMs },
            create,
          )
        ).result;
      }
      const s = await getOwnedSchedule(deps, req.owner, id);
      return json(201, toScheduleView(s, deps.now()), { location: `/schedules/${s.id}` });
    },
  },
  {
    method: 'GET',
    path: '/schedules',
    doc: {
      summary: "List the caller's recurring schedules",
      tag: 'schedules',
      query: PageQuerySchema,
      responses: { 200: { description: 'A page of schedules', schema: SchedulePageSchema } },
    },
    async handle(deps, req) {
      const q = parseQuery(PageQuerySchema, req.query);
      const cursor = checkCursor(q.cursor, { partition: `SCHEDOWNER#${req.owner}` });
      const page = await deps.schedules.list(req.owner, { limit: q.limit, cursor });
      return json(200, { items: page.items.map((s) => toScheduleView(s, deps.now())), ...(page.cursor ? { cursor: page.cursor } : {}) });
    },
  },
  {
    method: 'GET',
    path: '/schedules/{id}',
    doc: {
      summary: 'Show a recurring schedule',
      tag: 'schedules',
      responses: { 200: { description: 'The schedule', schema: ScheduleViewSchema } },
    },
    async handle(deps, req) {
      return json(200, toScheduleView(await getOwnedSchedule(deps, req.owner, req.params['id'] ?? ''), deps.now()));
    },
  },
  {
    method: 'DELETE',
    path: '/schedules/{id}',
    doc: {
      summary: 'Delete a recurring schedule',
      description: 'No further runs; the provisions it created keep running until their TTLs.',
      tag: 'schedules',
      responses: { 200: { description: 'The deleted schedule', schema: ScheduleViewSchema } },
    },
    async handle(deps, req) {
      return json(200, toScheduleView(await deleteRecurringSchedule(deps, req.owner, req.params['id'] ?? ''), deps.now()));
    },
  },
];
