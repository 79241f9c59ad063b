import {
  createProvision,
  deleteProvision,
  getOwnedProvision,
  listProvisions,
  newProvisionId,
  retryProvision,
} from '../provisioning/commands';
import { checkCursor } from './cursor';
import { json } from './http';
import { IDEMPOTENCY_KEY_PATTERN, requestFingerprint, runIdempotent } from './idempotency';
import { planFromRequest } from './plan-input';
import { HttpProblem } from './problem';
import { parseQuery } from './query';
import type { Route } from './router';
import {
  CreateBodySchema,
  DeleteQuerySchema,
  DeleteResultSchema,
  EventsQuerySchema,
  ListQuerySchema,
  LogPageSchema,
  ProvisionPageSchema,
  ProvisionViewSchema,
  RetryResultSchema,
} from './schemas';
import { toView } from './views';

/** The Idempotency-Key header, checked: 1–128 visible ASCII characters. */
function idempotencyKeyOf(headers: Record<string, string>): string | undefined {
  const key = headers['idempotency-key'];
  if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new HttpProblem(
      400,
      'bad-request',
      'Invalid Idempotency-Key',
      'the Idempotency-Key header must be 1 to 128 visible ASCII characters',
      [{ path: 'headers.idempotency-key', message: 'must be 1 to 128 visible ASCII characters' }],
    );
  }
  return key;
}

const location = (id: string) => ({ location: `/provisions/${encodeURIComponent(id)}` });

/** Routes of the provisions collection and items. */
export const provisionRoutes: Route[] = [
  {
    method: 'POST',
    path: '/provisions',
    doc: {
      summary: 'Create an edge cluster',
      description:
        'Body: a descriptor as YAML (`application/yaml`), or JSON `{descriptor, inputs}` or `{plan}`. Answers 202 at once; the create machine runs on. ' +
        'With `Idempotency-Key`, a retry of the same request returns the same provision (`Idempotent-Replayed: true`); the same key with another body is a 422.',
      tag: 'provisions',
      body: { schema: CreateBodySchema, yaml: true, required: true },
      idempotent: true,
      responses: { 202: { description: 'Stored and started (or replayed)', schema: ProvisionViewSchema } },
      errors: [409, 413, 415, 422],
    },
    async handle(deps, req) {
      const key = idempotencyKeyOf(req.headers);
      const create = async (id: string) => {
        const plan = await planFromRequest(deps, req, id);
        return createProvision(deps, { id, owner: req.owner, plan });
      };
      if (key === undefined) {
        const p = await create(newProvisionId());
        return json(202, toView(p), location(p.id));
      }
      const table = req.platform.idempotency;
      if (!table) throw new Error('Idempotency-Key sent but no idempotency table is configured (IDEMPOTENCY_TABLE_NAME)');
      const fingerprint = requestFingerprint([req.contentType, req.body]);
      const { result, replayed } = await runIdempotent(
        table,
        'create-provision',
        { owner: req.owner, key, fingerprint, remainingMs: req.remainingMs },
        // The id follows from caller, key and request, so even a run whose record was lost finds its provision.
        async () => ({ provisionId: (await create(newProvisionId(req.owner, `${key}\0${fingerprint}`))).id }),
      );
      const p = await getOwnedProvision(deps, req.owner, result.provisionId);
      return json(202, toView(p), { ...location(p.id), ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
    },
  },
  {
    method: 'GET',
    path: '/provisions',
    doc: {
      summary: "List the caller's provisions",
      description: 'Newest first, in pages; `cursor` from one page gets the next (a cursor from another listing is a 400).',
      tag: 'provisions',
      query: ListQuerySchema,
      responses: { 200: { description: 'A page of provisions', schema: ProvisionPageSchema } },
    },
    async handle(deps, req) {
      const q = parseQuery(ListQuerySchema, req.query);
      const cursor = checkCursor(q.cursor, { partition: `OWNER#${req.owner}`, sortPrefix: q.state ? `${q.state}#` : undefined });
      return json(200, await listProvisions(deps, { owner: req.owner, state: q.state, limit: q.limit, cursor }));
    },
  },
  {
    method: 'GET',
    path: '/provisions/{id}',
    doc: {
      summary: 'Show a provision',
      tag: 'provisions',
      responses: { 200: { description: 'The provision', schema: ProvisionViewSchema } },
    },
    async handle(deps, req) {
      return json(200, toView(await getOwnedProvision(deps, req.owner, req.params['id'] ?? '')));
    },
  },
  {
    method: 'GET',
    path: '/provisions/{id}/events',
    doc: {
      summary: "A provision's event log",
      description: 'Lifecycle events and log-only entries in order; `after` (a `seq`) reads on from there.',
      tag: 'provisions',
      query: EventsQuerySchema,
      responses: { 200: { description: 'A page of log entries', schema: LogPageSchema } },
    },
    async handle(deps, req) {
      const q = parseQuery(EventsQuerySchema, req.query);
      const p = await getOwnedProvision(deps, req.owner, req.params['id'] ?? '');
      return json(200, await deps.store.log(p.id, q));
    },
  },
  {
    method: 'DELETE',
    path: '/provisions/{id}',
    doc: {
      summary: 'Delete a provision',
      description:
        'Refused (409 `vms-running`, `images-present`) while VMs run on its hosts or images are in its datastores, unless `cleanup=true`, which terminates them and deletes the images (`cleanup_timeout` seconds each, as oneprovision does). A DELETED provision answers 202 without a new execution. ' +
        '`force=true` works from any state, a stuck one included: it stops the running execution, then removes everything recorded, tagged or named for the provision; what cannot be removed is listed in `leftovers` and the provision stays ERROR.',
      tag: 'provisions',
      query: DeleteQuerySchema,
      responses: { 202: { description: 'The delete machine started', schema: DeleteResultSchema } },
      errors: [409],
    },
    async handle(deps, req) {
      const q = parseQuery(DeleteQuerySchema, req.query);
      const { provision, executionId } = await deleteProvision(deps, {
        owner: req.owner,
        id: req.params['id'] ?? '',
        cleanup: q.cleanup === 'true' || q.force === 'true',
        force: q.force === 'true',
        ...(q.cleanup_timeout ? { cleanupTimeoutSeconds: Number(q.cleanup_timeout) } : {}),
      });
      return json(202, { ...toView(provision), executionId: executionId ?? null });
    },
  },
  {
    method: 'POST',
    path: '/provisions/{id}/retry',
    doc: {
      summary: 'Resume a failed creation',
      description:
        'For a provision in ERROR: runs the create machine again; its steps resume where they stopped. 409 in any other state, or when the delete failed (delete again).',
      tag: 'provisions',
      responses: { 202: { description: 'The create machine started again', schema: RetryResultSchema } },
      errors: [409],
    },
    async handle(deps, req) {
      const { provision, executionId } = await retryProvision(deps, { owner: req.owner, id: req.params['id'] ?? '' });
      return json(202, { ...toView(provision), executionId }, location(provision.id));
    },
  },
];
