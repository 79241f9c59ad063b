import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';
import type * as TracerModule from '@aws-lambda-powertools/tracer';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type * as TracerMiddlewareModule from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';

/** Service name of every log line, trace and metric (`POWERTOOLS_SERVICE_NAME` overrides it). */
export const SERVICE_NAME = 'edge-provisioner';

/** Namespace of the metrics when `POWERTOOLS_METRICS_NAMESPACE` is not set (the sandbox). */
export const METRICS_NAMESPACE = 'EdgeProvisioner';

/** The process's JSON logger; each invocation logs through a child carrying its correlation keys. */
export const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME });

/**
 * Whether X-Ray tracing is on for this process, by the rules the Powertools
 * Tracer itself applies: inside a Lambda execution environment (not SAM
 * local, not Amplify's mock) unless `POWERTOOLS_TRACE_ENABLED=false`.
 */
export function tracingActive(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env['POWERTOOLS_TRACE_ENABLED'] ?? '').toLowerCase() === 'false') return false;
  const executionEnv = env['AWS_EXECUTION_ENV'] ?? '';
  return executionEnv !== '' && executionEnv !== 'AWS_Lambda_amplify-mock' && !env['AWS_SAM_LOCAL'];
}

/*
 * The Tracer brings aws-xray-sdk, the largest part of a function's module
 * load; where tracing is off (the sandbox, tests, a deployment with
 * POWERTOOLS_TRACE_ENABLED=false) it is never loaded.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function loadTracer(): Tracer {
  const { Tracer: TracerClass } = require('@aws-lambda-powertools/tracer') as typeof TracerModule;
  return new TracerClass({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME });
}

/** X-Ray tracing when it is active (see `tracingActive`); undefined elsewhere, so the sandbox and tests send and load nothing. */
export const tracer: Tracer | undefined = tracingActive() ? loadTracer() : undefined;

/** The middleware that opens the invocation's X-Ray segment, when tracing is active. */
export function tracingMiddleware(): Array<middy.MiddlewareObj<unknown, unknown, Error, Context>> {
  if (!tracer) return [];
  const { captureLambdaHandler } = require('@aws-lambda-powertools/tracer/middleware') as typeof TracerMiddlewareModule;
  return [captureLambdaHandler(tracer, { captureResponse: false }) as middy.MiddlewareObj<unknown, unknown, Error, Context>];
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** CloudWatch metrics in the embedded metric format (log lines CloudWatch turns into metrics). */
export const metrics = new Metrics({
  namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? METRICS_NAMESPACE,
  serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME,
});

/** An AWS SDK client whose calls appear as subsegments of the function's trace. */
export function traced<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
