import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handleApiEvent } from '../api/api-app';
import { getDeps } from '../shared/container';
import { describeError } from '../shared/errors';

const logger = new Logger({ serviceName: 'edge-provisioner-api' });

/** The HTTP API function: every route of DESIGN §7. */
export const handler = middy(async (event: APIGatewayProxyEventV2) =>
  handleApiEvent(await getDeps(), event, (err) => logger.error('request failed', describeError(err))),
);
