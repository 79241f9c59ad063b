import { RETIRED_PROVIDERS } from '../drivers/providers/names';
import { json } from './http';
import type { Route } from './router';
import { planFromRequest } from './routes-provisions';

/** `POST /validate` and `GET /providers`. */
export const metaRoutes: Route[] = [
  {
    method: 'POST',
    path: '/validate',
    async handle(deps, req) {
      const plan = await planFromRequest(deps, req, undefined);
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
    async handle(deps) {
      return json(200, {
        providers: deps.providers.names(),
        ipams: deps.ipams.names(),
        retired: Object.entries(RETIRED_PROVIDERS).map(([name, reason]) => ({ name, reason })),
      });
    },
  },
];
