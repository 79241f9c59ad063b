import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { ApiPlatform } from './platform';

/** An API request after parsing: who asks, what route matched, what was sent. */
export interface ApiRequest {
  /** The caller: IAM principal ARN in AWS, the local token's owner in the sandbox. */
  owner: string;
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Raw body text (decoded from base64 when needed). */
  body: string;
  contentType: string;
  /** What the API needs besides the domain's ports (idempotency table; the sandbox's bus). */
  platform: ApiPlatform;
  /** Milliseconds the invocation may still run. */
  remainingMs(): number;
}

/** A JSON response. */
export type ApiResponse = APIGatewayProxyResultV2 & {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  body?: string;
};

/** Builds a JSON response. */
export function json(statusCode: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** The caller of an HTTP API request: the IAM principal (AWS), or what the local server put there. */
export function callerOf(event: APIGatewayProxyEventV2): string | undefined {
  const ctx = event.requestContext as APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { iam?: { userArn?: string; userId?: string } };
  };
  return ctx.authorizer?.iam?.userArn ?? ctx.authorizer?.iam?.userId;
}

/** Lower-cases header names, as HTTP API v2 does. */
export function normaliseHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}
