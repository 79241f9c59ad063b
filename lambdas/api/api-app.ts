import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Deps } from '../provisioning/ports/deps';
import { callerOf, normaliseHeaders, type ApiRequest, type ApiResponse } from './http';
import type { ApiPlatform } from './platform';
import { HttpProblem, problemResponse, toProblem } from './problem';
import { decodeUtf8, describeUtf8Fault } from '../shared/utf8';
import { resolveRoute, type Route } from './router';
import { metaRoutes } from './routes-meta';
import { operationRoutes } from './routes-operations';
import { provisionRoutes } from './routes-provisions';
import { sandboxRoutes } from './routes-sandbox';
import { scheduleRoutes } from './routes-schedules';

/** Every route of the HTTP API (DESIGN §7), day-2 operations, schedules, and the sandbox-only `POST /events`. */
export const ROUTES: Route[] = [...provisionRoutes, ...operationRoutes, ...scheduleRoutes, ...metaRoutes(() => ROUTES), ...sandboxRoutes];

/** Invocation details {@link handleApiEvent} may use. */
export interface ApiInvocation {
  /** Called with failures that become a 500 (for the log; the client learns nothing of them). */
  onError?: (err: unknown) => void;
  platform?: ApiPlatform;
  /** Milliseconds the invocation may still run (Lambda's context). */
  remainingMs?: () => number;
}

/** API Gateway gives an integration 30 s. */
const DEFAULT_BUDGET_MS = 29_000;

/**
 * The HTTP API as one function of an API Gateway v2 event: authenticate the
 * caller, route, run, and turn every failure into problem JSON (a 4xx for
 * client mistakes; a bare 500 otherwise, never a stack trace).
 */
export async function handleApiEvent(deps: Deps, event: APIGatewayProxyEventV2, invocation: ApiInvocation = {}): Promise<ApiResponse> {
  const started = Date.now();
  try {
    const owner = callerOf(event);
    if (!owner) throw new HttpProblem(401, 'unauthenticated', 'Not authenticated', 'the request carries no caller identity');
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath || event.requestContext.http.path;
    const { route, params } = resolveRoute(ROUTES, method, path);
    const headers = normaliseHeaders(event.headers);
    const raw = event.body ?? '';
    const req: ApiRequest = {
      owner,
      method,
      path,
      params,
      query: Object.fromEntries(Object.entries(event.queryStringParameters ?? {}).filter((e): e is [string, string] => e[1] !== undefined)),
      headers,
      body: event.isBase64Encoded ? decodedBody(raw) : raw,
      contentType: headers['content-type'] ?? '',
      platform: invocation.platform ?? {},
      remainingMs: invocation.remainingMs ?? (() => DEFAULT_BUDGET_MS - (Date.now() - started)),
    };
    return await route.handle(deps, req);
  } catch (err) {
    const problem = toProblem(err);
    if (problem.status >= 500) invocation.onError?.(err);
    return problemResponse(problem);
  }
}

/* API Gateway hands over a body that is not text base64-encoded; a body that is not UTF-8 is refused, never repaired. */
function decodedBody(base64: string): string {
  const decoded = decodeUtf8(Buffer.from(base64, 'base64'));
  if (!decoded.ok) throw new HttpProblem(400, 'bad-request', 'Body is not UTF-8', `the body is ${describeUtf8Fault(decoded.fault)}`);
  return decoded.text;
}
