import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handleApiEvent } from '../api/api-app';
import { getApiPlatform } from '../api/platform';
import { getDeps } from '../wiring/container';
import { describeError } from '../shared/errors';

const logger = new Logger({ serviceName: 'edge-provisioner-api' });

/** The HTTP API function: every route of DESIGN §7, and schedules. */
export const handler = middy(async (event: APIGatewayProxyEventV2, context?: Partial<Context>) =>
  handleApiEvent(await getDeps(), event, {
    onError: (err) => logger.error('request failed', describeError(err)),
    platform: await getApiPlatform(),
    remainingMs: typeof context?.getRemainingTimeInMillis === 'function' ? () => context.getRemainingTimeInMillis?.() ?? 0 : undefined,
  }),
);
