import type { Deps } from '../provisioning/deps';
import type { ApiRequest, ApiResponse } from './http';
import { HttpProblem } from './problem';

/** One route: method, a path template with `{param}` segments, and its handler. */
export interface Route {
  method: string;
  path: string;
  handle(deps: Deps, req: ApiRequest): Promise<ApiResponse>;
}

/** Matches a request path against a template; returns the path parameters. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  if (t.length !== p.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i += 1) {
    const seg = t[i] as string;
    const val = p[i] as string;
    if (seg.startsWith('{') && seg.endsWith('}')) params[seg.slice(1, -1)] = decodeURIComponent(val);
    else if (seg !== val) return undefined;
  }
  return params;
}

/** Finds the route for a request: 404 when no path matches, 405 when only the method is wrong. */
export function resolveRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    pathMatched = true;
    if (route.method === method) return { route, params };
  }
  if (pathMatched) throw new HttpProblem(405, 'method-not-allowed', 'Method not allowed', `${method} is not supported on ${path}`);
  throw new HttpProblem(404, 'not-found', 'Not found', `no route for ${method} ${path}`);
}
