import { z } from 'zod';
import { stringify as toYaml } from 'yaml';
import { loadDescriptorText, substituteProvisionId } from '../descriptor';
import { createProvision, deleteProvision, getOwnedProvision, listProvisions, newProvisionId } from '../provisioning/commands';
import { PROVISION_STATES } from '../provisioning/model';
import { ProvisionPlanSchema, type ProvisionPlan } from '../provisioning/plan';
import type { Deps } from '../provisioning/deps';
import type { ApiRequest } from './http';
import { json } from './http';
import { mediaType, parseBody } from './body';
import { HttpProblem } from './problem';
import type { Route } from './router';
import { toView } from './views';

/** `POST /provisions` as JSON: a rendered plan (edgectl sends this), or a descriptor as an object or YAML text. */
const CreateBodySchema = z.union([
  z.object({ plan: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ descriptor: z.union([z.string(), z.record(z.string(), z.unknown())]), inputs: z.record(z.string(), z.string()).optional() }).strict(),
]);

const ListQuerySchema = z.object({
  state: z.enum(PROVISION_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().max(2048).optional(),
});

/** Renders the body of a create into a plan for the given id, or throws a 422 with located errors. */
export async function planFromRequest(deps: Deps, req: ApiRequest, id: string | undefined): Promise<ProvisionPlan> {
  const yaml = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'].includes(mediaType(req.contentType));
  let text: string;
  let inputs: Record<string, string> | undefined;
  if (yaml) {
    parseBody(req, { yaml: true });
    text = req.body;
  } else {
    const body = CreateBodySchema.parse(parseBody(req));
    if ('plan' in body) {
      const parsed = ProvisionPlanSchema.safeParse(id ? substituteProvisionId(body.plan as ProvisionPlan, id) : body.plan);
      if (!parsed.success) throw parsed.error;
      return parsed.data;
    }
    text = typeof body.descriptor === 'string' ? body.descriptor : toYaml(body.descriptor);
    inputs = body.inputs;
  }
  const result = await loadDescriptorText(text, { sourceName: 'request-body', baseDir: '/nonexistent', secretStore: deps.secrets, provisionId: id, inputs });
  if (!result.ok) {
    throw new HttpProblem(422, 'invalid-descriptor', 'The descriptor is not valid', `${result.errors.length} problem(s) in the descriptor`, result.errors.map((e) => ({ path: e.path, message: e.message, file: e.file, line: e.line, column: e.column })));
  }
  return result.plan;
}

/** Routes of the provisions collection and items. */
export const provisionRoutes: Route[] = [
  {
    method: 'POST',
    path: '/provisions',
    async handle(deps, req) {
      const key = req.headers['idempotency-key'];
      if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
        throw new HttpProblem(400, 'bad-request', 'Invalid Idempotency-Key', 'the Idempotency-Key header must be 1 to 128 visible ASCII characters');
      }
      const id = newProvisionId(req.owner, key);
      const existing = key ? await deps.store.get(id) : undefined;
      if (existing && existing.owner === req.owner) return json(200, toView(existing), { location: `/provisions/${id}` });
      const plan = await planFromRequest(deps, req, id);
      const p = await createProvision(deps, { id, owner: req.owner, plan });
      return json(202, toView(p), { location: `/provisions/${id}` });
    },
  },
  {
    method: 'GET',
    path: '/provisions',
    async handle(deps, req) {
      const q = ListQuerySchema.parse(req.query);
      const page = await listProvisions(deps, { owner: req.owner, ...q });
      return json(200, page);
    },
  },
  {
    method: 'GET',
    path: '/provisions/{id}',
    async handle(deps, req) {
      return json(200, toView(await getOwnedProvision(deps, req.owner, req.params['id'] ?? '')));
    },
  },
  {
    method: 'GET',
    path: '/provisions/{id}/events',
    async handle(deps, req) {
      const p = await getOwnedProvision(deps, req.owner, req.params['id'] ?? '');
      const q = z.object({ after: z.string().regex(/^\d{1,10}$/).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() }).parse(req.query);
      return json(200, await deps.store.log(p.id, q));
    },
  },
  {
    method: 'DELETE',
    path: '/provisions/{id}',
    async handle(deps, req) {
      const cleanup = z.enum(['true', 'false']).optional().parse(req.query['cleanup']) === 'true';
      const { provision, executionId } = await deleteProvision(deps, { owner: req.owner, id: req.params['id'] ?? '', cleanup });
      return json(202, { ...toView(provision), executionId });
    },
  },
];
