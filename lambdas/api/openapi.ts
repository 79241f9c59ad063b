import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency';
import { PROBLEM_TYPES } from './problem';
import type { Route } from './router';
import * as schemas from './schemas';

/** Errors every route may answer. */
const COMMON_ERRORS = [400, 401, 404, 405, 500];

/** Version of the API document (the package's release line). */
export const API_VERSION = '0.1.0';

function problemsFor(status: number): string {
  return Object.entries(PROBLEM_TYPES)
    .filter(([, p]) => p.status === status)
    .map(([slug, p]) => `\`${slug}\`: ${p.title}`)
    .join('; ');
}

function pathParams(path: string): z.ZodObject | undefined {
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
  return names.length ? z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) : undefined;
}

/**
 * The OpenAPI 3.1 document of the given routes, generated from the same zod
 * schemas the routes parse with. Error responses come from the problem
 * catalogue, so every documented status names its problem types.
 */
export function buildOpenApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  // Schemas with a `meta({ id })` (lambdas/api/schemas.ts) become named components.
  const problem = schemas.ProblemSchema;
  registry.registerComponent('securitySchemes', 'sigv4', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'AWS Signature Version 4 for service execute-api (IAM auth of the deployed HTTP API)',
  });
  registry.registerComponent('securitySchemes', 'sandboxToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The local sandbox: the token in the sandbox data directory (`EDGE_HOME/token`)',
  });

  for (const route of routes) {
    const { doc } = route;
    const responses: Record<string, ResponseConfig> = {};
    for (const [status, r] of Object.entries(doc.responses)) {
      responses[status] = { description: r.description, ...(r.schema ? { content: { 'application/json': { schema: r.schema } } } : {}) };
    }
    for (const status of [...new Set([...COMMON_ERRORS, ...(doc.errors ?? [])])].sort()) {
      responses[String(status)] = { description: problemsFor(status), content: { 'application/problem+json': { schema: problem } } };
    }
    const request: NonNullable<RouteConfig['request']> = {};
    const params = pathParams(route.path);
    if (params) request.params = params;
    if (doc.query) request.query = doc.query;
    if (doc.idempotent) {
      request.headers = z.object({
        'idempotency-key': z
          .string()
          .regex(IDEMPOTENCY_KEY_PATTERN)
          .optional()
          .describe('Makes a retried request return the first result (kept 24 h)'),
      });
    }
    if (doc.body) {
      request.body = {
        required: doc.body.required ?? false,
        content: {
          'application/json': { schema: doc.body.schema },
          ...(doc.body.yaml
            ? { 'application/yaml': { schema: z.string().describe('A provision descriptor (oneprovision 5.12/6.x or native)') } }
            : {}),
        },
      };
    }
    registry.registerPath({
      method: route.method.toLowerCase() as RouteConfig['method'],
      path: route.path,
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      tags: [doc.tag],
      request,
      responses,
    });
  }

  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'edge-provisioner',
      version: API_VERSION,
      description:
        'Create, inspect and delete OpenNebula edge clusters. Errors are RFC 9457 problem details. Each provision and schedule belongs to its caller.',
    },
    security: [{ sigv4: [] }, { sandboxToken: [] }],
    tags: [
      { name: 'provisions', description: 'Edge clusters' },
      { name: 'schedules', description: 'Recurring creation of ephemeral edges' },
      { name: 'meta', description: 'Validation, providers, this document' },
      { name: 'sandbox', description: 'Only in the local sandbox' },
    ],
  }) as unknown as Record<string, unknown>;
}
