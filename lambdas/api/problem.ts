import { ZodError } from 'zod';
import { describeError } from '../shared/errors';
import type { ApiResponse } from './http';

/** A field-level problem (RFC 9457 extension member `errors`). */
export interface FieldProblem {
  path: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** The running operation a 409 `operation-in-progress` names (extension member `operation`). */
export interface ProblemOperation {
  id: string;
  kind: string;
  summary: string;
  startedAt: string;
  executionId?: string;
}

/** Problem details (RFC 9457) of a failed request. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldProblem[];
  operation?: ProblemOperation;
}

/** Base of every problem `type` URI; the slug names the problem (see {@link PROBLEM_TYPES}). */
export const TYPE_BASE = 'https://edge-provisioner.dev/problems/';

/** Every problem type the API answers with: slug → status and meaning (docs/api.md lists them). */
export const PROBLEM_TYPES: Readonly<Record<string, { status: number; title: string }>> = {
  'bad-request': { status: 400, title: 'The request is malformed (body, query, header or cursor)' },
  unauthenticated: { status: 401, title: 'Not authenticated' },
  'not-found': { status: 404, title: 'No such route, or no such resource of the caller' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this path' },
  conflict: { status: 409, title: 'Not allowed in the current state' },
  'name-taken': { status: 409, title: 'A name of the plan is in use by another provision' },
  'vms-running': { status: 409, title: 'VMs run on the hosts (delete with cleanup; scale in with drain; power actions with force)' },
  'ip-in-use': { status: 409, title: 'The public IP is leased to a VM' },
  'images-present': { status: 409, title: 'Images are in the datastores; delete with cleanup' },
  'operation-in-progress': { status: 409, title: 'Another operation is running on the provision (named in `operation`)' },
  'idempotency-in-progress': { status: 409, title: 'A request with this Idempotency-Key is still running' },
  'too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'invalid-request': { status: 422, title: 'The request is not valid' },
  'invalid-descriptor': { status: 422, title: 'The descriptor is not valid' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused with a different request' },
  'unknown-provider': { status: 422, title: 'Unknown provider' },
  'retired-provider': { status: 422, title: 'Retired provider' },
  'provider-config': { status: 422, title: 'Provider connection is invalid' },
  quota: { status: 422, title: 'Provider quota exceeded' },
  internal: { status: 500, title: 'Internal error (no detail is disclosed; the request can be retried)' },
};

/** An error that already knows its HTTP problem. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldProblem[],
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

/** Error names of the domain mapped to HTTP status and problem type. */
const BY_NAME: Record<string, { status: number; slug: string; title: string }> = {
  ValidationError: { status: 422, slug: 'invalid-request', title: 'The request is not valid' },
  NotFoundError: { status: 404, slug: 'not-found', title: 'Not found' },
  InvalidStateError: { status: 409, slug: 'conflict', title: 'Not allowed in the current state' },
  ConcurrentUpdateError: { status: 409, slug: 'conflict', title: 'Changed by another request' },
  NameTakenError: { status: 409, slug: 'name-taken', title: 'Name in use' },
  VmsRunningError: { status: 409, slug: 'vms-running', title: 'VMs are running' },
  ImagesPresentError: { status: 409, slug: 'images-present', title: 'Images are in the datastores' },
  OperationInProgressError: { status: 409, slug: 'operation-in-progress', title: 'Another operation is running' },
  IpInUseError: { status: 409, slug: 'ip-in-use', title: 'The public IP is leased to a VM' },
  UnknownProviderError: { status: 422, slug: 'unknown-provider', title: 'Unknown provider' },
  RetiredProviderError: { status: 422, slug: 'retired-provider', title: 'Retired provider' },
  ProviderConfigError: { status: 422, slug: 'provider-config', title: 'Provider connection is invalid' },
  ProviderQuotaError: { status: 422, slug: 'quota', title: 'Provider quota exceeded' },
};

/** Builds a problem+json response. */
export function problemResponse(p: Problem): ApiResponse {
  return { statusCode: p.status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify(p) };
}

/**
 * Maps any thrown value to a problem. Client mistakes get their 4xx; anything
 * else is a 500 whose detail says nothing about internals (no stack, no message).
 */
export function toProblem(err: unknown): Problem {
  if (err instanceof HttpProblem) {
    return {
      type: TYPE_BASE + err.slug,
      title: err.title,
      status: err.status,
      detail: err.message,
      ...(err.errors ? { errors: err.errors } : {}),
    };
  }
  if (err instanceof ZodError) {
    return {
      type: `${TYPE_BASE}invalid-request`,
      title: 'The request is not valid',
      status: 422,
      detail: `${err.issues.length} field(s) are invalid`,
      errors: err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message })),
    };
  }
  const { name, message } = describeError(err);
  const known = BY_NAME[name];
  if (known) {
    const fields = (err as { errors?: FieldProblem[] }).errors;
    const operation = (err as { operation?: ProblemOperation }).operation;
    return {
      type: TYPE_BASE + known.slug,
      title: known.title,
      status: known.status,
      detail: message,
      ...(fields?.length ? { errors: fields } : {}),
      ...(operation ? { operation } : {}),
    };
  }
  return {
    type: `${TYPE_BASE}internal`,
    title: 'Internal error',
    status: 500,
    detail: 'The request could not be completed; it can be retried.',
  };
}
