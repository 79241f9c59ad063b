import { MemorySecretStore } from '../descriptor';
import { RETIRED_PROVIDERS } from '../provisioning/provider-names';
import { json } from './http';
import { buildOpenApiDocument } from './openapi';
import { planFromRequest } from './plan-input';
import type { Route } from './router';
import { CreateBodySchema, ProvidersSchema, ValidateResultSchema } from './schemas';

/** `POST /validate`, `GET /providers` and `GET /openapi.json` (which documents `routes()`). */
export function metaRoutes(routes: () => readonly Route[]): Route[] {
  let document: Record<string, unknown> | undefined;
  return [
    {
      method: 'POST',
      path: '/validate',
      doc: {
        summary: 'Validate a descriptor',
        description:
          'The same body as create; nothing is stored. Answers the rendered plan and a summary, or a 422 naming file, line, column and path of each problem.',
        tag: 'meta',
        body: { schema: CreateBodySchema, yaml: true, required: true },
        responses: { 200: { description: 'Valid', schema: ValidateResultSchema } },
        errors: [413, 415, 422],
      },
      async handle(deps, req) {
        // Validation stores nothing: inline credentials go to a throw-away store.
        // Only the ports validation reads are picked, so no other port group is built.
        const plan = await planFromRequest(
          { providers: deps.providers, ipams: deps.ipams, secrets: new MemorySecretStore() },
          req,
          undefined,
        );
        return json(200, {
          valid: true,
          name: plan.name,
          provider: plan.provider.name,
          hosts: plan.hosts.length,
          datastores: plan.datastores.length,
          networks: plan.networks.length,
          publicIps: plan.networks.reduce((n, x) => n + x.publicIps, 0),
          plan,
        });
      },
    },
    {
      method: 'GET',
      path: '/providers',
      doc: {
        summary: 'Supported providers and IPAMs',
        tag: 'meta',
        responses: { 200: { description: 'Registry names', schema: ProvidersSchema } },
      },
      async handle(deps) {
        return json(200, {
          providers: deps.providers.names(),
          ipams: deps.ipams.names(),
          retired: Object.entries(RETIRED_PROVIDERS).map(([name, reason]) => ({ name, reason })),
        });
      },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      doc: { summary: 'This API as OpenAPI 3.1', tag: 'meta', responses: { 200: { description: 'The OpenAPI document' } } },
      async handle() {
        // Built on first request: it costs a few milliseconds and most invocations never ask.
        document ??= buildOpenApiDocument(routes());
        return json(200, document);
      },
    },
  ];
}
