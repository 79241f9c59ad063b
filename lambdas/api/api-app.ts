import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Deps } from '../provisioning/deps';
import { callerOf, normaliseHeaders, type ApiRequest, type ApiResponse } from './http';
import { HttpProblem, problemResponse, toProblem } from './problem';
import { resolveRoute, type Route } from './router';
import { metaRoutes } from './routes-meta';
import { provisionRoutes } from './routes-provisions';

/** Every route of the HTTP API (DESIGN §7). */
export const ROUTES: Route[] = [...provisionRoutes, ...metaRoutes];

/**
 * The HTTP API as one function of an API Gateway v2 event: authenticate the
 * caller, route, run, and turn every failure into problem JSON (a 4xx for
 * client mistakes; a bare 500 otherwise, never a stack trace).
 */
export async function handleApiEvent(deps: Deps, event: APIGatewayProxyEventV2, onError?: (err: unknown) => void): Promise<ApiResponse> {
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
      body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
      contentType: headers['content-type'] ?? '',
    };
    return await route.handle(deps, req);
  } catch (err) {
    const problem = toProblem(err);
    if (problem.status >= 500) onError?.(err);
    return problemResponse(problem);
  }
}
