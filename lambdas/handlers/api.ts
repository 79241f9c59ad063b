import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handleApiEvent } from '../api/api-app';
import { getApiPlatform } from '../api/platform';
import { describeError } from '../shared/errors';
import { driverNames } from '../wiring/aws/driver-names';
import { events } from '../wiring/aws/events';
import { openNebula } from '../wiring/aws/opennebula';
import { scheduling } from '../wiring/aws/scheduling';
import { secrets } from '../wiring/aws/secrets';
import { table } from '../wiring/aws/table';
import { schedules } from '../wiring/aws/schedules';
import { workflows } from '../wiring/aws/workflows';
import { logger } from '../wiring/observability';
import { portsFor } from '../wiring/runtime';
import { observability } from './observe';

/**
 * The port groups the routes use (a delete checks OpenNebula for running VMs;
 * a create is refused when this deployment does not accept its provider,
 * which needs the drivers' names only).
 */
const PORTS = [table, schedules, events, secrets, driverNames, openNebula, workflows, scheduling];

/** The HTTP API function: every route of DESIGN §7, and schedules. */
export const handler = Object.assign(
  middy(async (event: APIGatewayProxyEventV2, context?: Partial<Context>) =>
    handleApiEvent(portsFor('api', PORTS), event, {
      onError: (err) => logger.error('request failed', describeError(err)),
      platform: await getApiPlatform(),
      remainingMs: typeof context?.getRemainingTimeInMillis === 'function' ? () => context.getRemainingTimeInMillis?.() ?? 0 : undefined,
    }),
  ).use(observability('api')),
  { wiring: { name: 'api', ports: PORTS } },
);
