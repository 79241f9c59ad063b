import type { z } from 'zod';
import type { Deps } from '../provisioning/ports/deps';
import type { ApiRequest, ApiResponse } from './http';
import { HttpProblem } from './problem';

/** How a route is documented in the OpenAPI document. */
export interface RouteDoc {
  summary: string;
  description?: string;
  tag: 'provisions' | 'schedules' | 'meta' | 'sandbox';
  query?: z.ZodObject;
  /** JSON request body; `yaml` when a descriptor may also be sent as YAML. */
  body?: { schema: z.ZodType; yaml?: boolean; required?: boolean };
  /** Accepts `Idempotency-Key`. */
  idempotent?: boolean;
  /** Success responses (errors are added from the problem catalogue). */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** Error statuses this route may answer besides 400/401/404/405/500. */
  errors?: number[];
}

/** One route: method, a path template with `{param}` segments, its handler and its documentation. */
export interface Route {
  method: string;
  path: string;
  doc: RouteDoc;
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
    if (seg.startsWith('{') && seg.endsWith('}')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(val);
      } catch {
        // A malformed escape cannot name anything: no match, so a 404.
        return undefined;
      }
      params[seg.slice(1, -1)] = decoded;
    } else if (seg !== val) return undefined;
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
