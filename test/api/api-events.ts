import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handleApiEvent } from '../../lambdas/api/api-app';
import type { ApiResponse } from '../../lambdas/api/http';
import { getApiPlatform } from '../../lambdas/api/platform';
import type { Deps } from '../../lambdas/provisioning/ports/deps';
export { until } from '../support/until';

/** Folder of the API Gateway v2 event fixtures. */
export const FIXTURES = join(__dirname, '..', 'events', 'api-gateway');

/** Names of the fixtures (without `.json`). */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5));
}

/** A fixture event, optionally with another caller. */
export function fixture(name: string, owner?: string): APIGatewayProxyEventV2 {
  const event = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as APIGatewayProxyEventV2 & {
    requestContext: { authorizer?: { iam?: { userArn?: string } } };
  };
  if (owner && event.requestContext.authorizer?.iam) event.requestContext.authorizer.iam.userArn = owner;
  return event;
}

/** Builds an API Gateway v2 event the way API Gateway does (IAM identity `owner`). */
export function apiEvent(input: {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  owner?: string | null;
}): APIGatewayProxyEventV2 {
  const base: APIGatewayProxyEventV2 = fixture('providers');
  const owner = input.owner === undefined ? 'arn:aws:sts::123456789012:assumed-role/edge-operators/alice' : input.owner;
  return {
    ...base,
    rawPath: input.path,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers: { ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(input.headers ?? {}) },
    ...(input.query ? { queryStringParameters: input.query } : {}),
    ...(input.body !== undefined ? { body: input.body } : {}),
    isBase64Encoded: false,
    requestContext: {
      ...base.requestContext,
      http: { ...base.requestContext.http, method: input.method, path: input.path },
      ...(owner === null ? { authorizer: undefined } : { authorizer: { iam: { userArn: owner, userId: owner } } }),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
  };
}

/** A response with its body parsed. */
export type Answer = ApiResponse & { json: Record<string, unknown> & { items?: Array<Record<string, unknown>> } };

/** Runs one event through the API with the sandbox's platform (idempotency table, bus). */
export async function call(deps: Deps, event: APIGatewayProxyEventV2): Promise<Answer> {
  const res = await handleApiEvent(deps, event, { platform: await getApiPlatform() });
  return {
    statusCode: res.statusCode,
    headers: res.headers,
    body: res.body,
    json: res.body ? (JSON.parse(res.body) as Answer['json']) : {},
  } as Answer;
}
