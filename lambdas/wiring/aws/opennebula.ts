import { openNebulaFromSecret } from '../build/opennebula';
import type { PortGroup } from '../port-groups';
import { secrets } from './secrets';

/** The OpenNebula front-end, its endpoint and session from `ONE_SECRET_ARN`. */
export const openNebula: PortGroup<'openNebula'> = {
  name: 'openNebula',
  aws: (ctx) => ({
    openNebula: openNebulaFromSecret(ctx.need(secrets).secrets, ctx.config().ONE_SECRET_ARN, { timeoutMs: ctx.config().ONE_TIMEOUT_MS }),
  }),
};
