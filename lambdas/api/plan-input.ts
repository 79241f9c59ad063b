import { loadDescriptorText, loadDescriptorValue, substituteProvisionId } from '../descriptor';
import { checkEventPattern } from '../provisioning/events/pattern-check';
import { planOnedProblems } from '../provisioning/oned-rules';
import type { Deps } from '../provisioning/ports/deps';
import { assertProvidersAccepted } from '../provisioning/commands';
import { ProvisionPlanSchema, type ProvisionPlan } from '../provisioning/plan';
import { checkPlanFields } from '../provisioning/plan-fields';
import { mediaType, parseBody, YAML_TYPES } from './body';
import type { ApiRequest } from './http';
import { HttpProblem } from './problem';
import { CreateBodySchema } from './schemas';

/** A plan source in a JSON body: a rendered plan, or a descriptor (text or object) with inputs. */
export type PlanSource =
  | { plan: Record<string, unknown> }
  | { descriptor: string | Record<string, unknown>; inputs?: Record<string, string> };

/**
 * Checks what only a running provision would otherwise find out: its
 * teardown pattern, whether this deployment accepts its provider, and what
 * oned would refuse.
 */
function checkPlan(deps: Pick<Deps, 'providers' | 'ipams'>, plan: ProvisionPlan): ProvisionPlan {
  const issues = plan.teardownOn === undefined ? [] : checkEventPattern(plan.teardownOn);
  if (issues.length)
    throw new HttpProblem(422, 'invalid-request', 'The request is not valid', 'teardownOn is not a usable event pattern', issues);
  const refused = planOnedProblems(plan);
  if (refused.length) {
    throw new HttpProblem(
      422,
      'invalid-request',
      'The request is not valid',
      `${refused.length} object(s) OpenNebula would refuse`,
      refused,
    );
  }
  assertProvidersAccepted(deps, plan);
  return plan;
}

/**
 * Renders a plan source into a plan. With an id, `${provision_id}` is
 * filled in; without one (validate, schedules) the placeholder stays for
 * each provision to come. A bad descriptor is a 422 with located errors.
 */
export async function renderPlan(
  deps: Pick<Deps, 'secrets' | 'providers' | 'ipams'>,
  source: PlanSource | { yaml: string },
  id: string | undefined,
): Promise<ProvisionPlan> {
  if ('plan' in source) {
    const parsed = ProvisionPlanSchema.safeParse(id ? substituteProvisionId(source.plan as ProvisionPlan, id) : source.plan);
    if (!parsed.success) throw parsed.error;
    // A plan sent as JSON meets the same field rules as one rendered from a descriptor.
    const fields = checkPlanFields(parsed.data);
    if (fields.length)
      throw new HttpProblem(
        422,
        'invalid-request',
        'The request is not valid',
        `${fields.length} field(s) of the plan are invalid`,
        fields,
      );
    return checkPlan(deps, parsed.data);
  }
  const inputs = 'inputs' in source ? source.inputs : undefined;
  const options = { sourceName: 'request-body', baseDir: '/nonexistent', secretStore: deps.secrets, provisionId: id, inputs };
  // A descriptor sent as a JSON object is loaded as it is, not written out as YAML and parsed again.
  const result =
    'yaml' in source
      ? await loadDescriptorText(source.yaml, options)
      : typeof source.descriptor === 'string'
        ? await loadDescriptorText(source.descriptor, options)
        : await loadDescriptorValue(source.descriptor, options);
  if (!result.ok) {
    throw new HttpProblem(
      422,
      'invalid-descriptor',
      'The descriptor is not valid',
      `${result.errors.length} problem(s) in the descriptor`,
      result.errors.map((e) => ({ path: e.path, message: e.message, file: e.file, line: e.line, column: e.column })),
    );
  }
  return checkPlan(deps, result.plan);
}

/** The plan of a create or validate request: a YAML descriptor body, or a JSON plan source. */
export async function planFromRequest(
  deps: Pick<Deps, 'secrets' | 'providers' | 'ipams'>,
  req: ApiRequest,
  id: string | undefined,
): Promise<ProvisionPlan> {
  if (YAML_TYPES.includes(mediaType(req.contentType))) {
    parseBody(req, { yaml: true });
    return renderPlan(deps, { yaml: req.body }, id);
  }
  return renderPlan(deps, CreateBodySchema.parse(parseBody(req)), id);
}
