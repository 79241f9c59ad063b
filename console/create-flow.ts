import { randomBytes } from 'node:crypto';
import { ApiError } from '../cli/api-client';
import type { Problem } from '../lambdas/api/problem';
import { TYPE_BASE } from '../lambdas/api/problem';
import { estimatePlan, loadDescriptorText, MemorySecretStore } from '../lambdas/descriptor';
import type { ProvisionPlan } from '../lambdas/provisioning/plan';
import type { ProvisionView } from '../lambdas/api/views';
import type { Upstream } from './upstream';
import type { CreateOutcome } from './views/create';

/** What the create form sends. */
export interface CreateForm {
  action: 'validate' | 'plan' | 'create';
  descriptor: string;
  inputs: string;
  nonce?: string;
}

const ACTIONS = ['validate', 'plan', 'create'] as const;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/** A fresh form nonce; it becomes the create's Idempotency-Key. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

function invalid(detail: string, errors: Problem['errors']): Problem {
  return { type: `${TYPE_BASE}invalid-request`, title: 'The request is not valid', status: 422, detail, ...(errors ? { errors } : {}) };
}

/**
 * Reads the create form (multipart with an optional file, or urlencoded).
 * A chosen file wins over the text area, as the page says.
 */
export async function parseCreateForm(contentType: string, body: Buffer): Promise<CreateForm | Problem> {
  let form: FormData;
  try {
    form = await new Request('http://console.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
  } catch {
    return { type: `${TYPE_BASE}bad-request`, title: 'The request is malformed', status: 400, detail: 'the body is not a form' };
  }
  const action = String(form.get('action') ?? 'validate');
  if (!(ACTIONS as readonly string[]).includes(action))
    return invalid(`unknown action '${action}'`, [{ path: 'action', message: 'expected validate, plan or create' }]);
  const file = form.get('file');
  const fromFile = typeof file === 'object' && file !== null && file.size > 0 ? await file.text() : undefined;
  const nonce = form.get('nonce');
  return {
    action: action as CreateForm['action'],
    descriptor: fromFile ?? String(form.get('descriptor') ?? ''),
    inputs: String(form.get('inputs') ?? ''),
    ...(typeof nonce === 'string' && NONCE.test(nonce) ? { nonce } : {}),
  };
}

/** `NAME=VALUE` lines into descriptor inputs; a bad line is a located problem. */
export function parseInputs(text: string): Record<string, string> | Problem {
  const inputs: Record<string, string> = {};
  const errors: NonNullable<Problem['errors']> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!name) errors.push({ path: `inputs[${i}]`, message: `line ${i + 1}: expected NAME=VALUE, found '${line.trim()}'` });
    else inputs[name] = line.slice(eq + 1);
  });
  return errors.length ? invalid(`${errors.length} input line(s) are not NAME=VALUE`, errors) : inputs;
}

function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && 'status' in x && 'type' in x && 'title' in x;
}

function asOutcome(err: unknown): CreateOutcome {
  if (err instanceof ApiError) return { kind: 'problem', problem: { status: err.status, ...err.problem } };
  throw err;
}

/**
 * Inline provider credentials stay on this machine unless the API is the
 * local sandbox (whose secret store is here too) — the rule `edgectl create`
 * follows. Checked before anything is sent.
 */
async function inlineCredentialsProblem(descriptor: string, inputs: Record<string, string>): Promise<Problem | undefined> {
  const result = await loadDescriptorText(descriptor, {
    sourceName: 'request-body',
    baseDir: '/nonexistent',
    secretStore: new MemorySecretStore(),
    inputs,
  });
  if (!result.ok || !result.plan.provider.connectionRef) return undefined;
  return invalid('inline provider credentials are never sent to a deployed API', [
    {
      path: 'connection',
      message:
        'remove them: deployed functions use their IAM role or a secret under edge-provisioner/ named by the operator (the local sandbox accepts them)',
    },
  ]);
}

/**
 * Runs the pressed button through the API: `validate` and `plan` ask
 * `POST /validate` (plan adds what create would do, as `edgectl plan`
 * does), `create` sends `POST /provisions` with the form's nonce as its
 * Idempotency-Key. Bad input comes back as the API's own problem details.
 */
export async function runCreateAction(upstream: Upstream, form: CreateForm): Promise<CreateOutcome | { kind: 'created'; id: string }> {
  const inputs = parseInputs(form.inputs);
  if (isProblem(inputs)) return { kind: 'problem', problem: inputs };
  const source = { descriptor: form.descriptor, ...(Object.keys(inputs).length ? { inputs } : {}) };
  if (form.action === 'create') {
    const refused = upstream.local ? undefined : await inlineCredentialsProblem(form.descriptor, inputs);
    if (refused) return { kind: 'problem', problem: refused };
    try {
      const p = await upstream.call<ProvisionView>(
        'POST',
        '/provisions',
        source,
        form.nonce ? { 'idempotency-key': `console-${form.nonce}` } : {},
      );
      return { kind: 'created', id: p.id };
    } catch (err) {
      return asOutcome(err);
    }
  }
  try {
    const result = await upstream.call<{ plan: ProvisionPlan }>('POST', '/validate', source);
    return form.action === 'plan'
      ? { kind: 'plan', plan: result.plan, estimate: estimatePlan(result.plan) }
      : { kind: 'valid', plan: result.plan };
  } catch (err) {
    return asOutcome(err);
  }
}
