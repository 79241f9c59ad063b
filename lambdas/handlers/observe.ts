import type middy from '@middy/core';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describeError } from '../shared/errors';
import { logger, metrics, tracer, tracingMiddleware } from '../wiring/observability';

/** What ties a log line to a provision, a host and an execution. */
export interface CorrelationKeys {
  provisionId?: string;
  hostIndex?: number;
  executionName?: string;
}

/** The correlation keys of a step input, a rule's event or an API request. */
export function correlationKeys(event: unknown): CorrelationKeys {
  const e = (event ?? {}) as Record<string, unknown>;
  const detail = (e['detail'] ?? {}) as Record<string, unknown>;
  const path = (e['pathParameters'] ?? {}) as Record<string, unknown>;
  const provisionId = [e['provisionId'], detail['provisionId'], path['id']].find((v) => typeof v === 'string');
  const keys: CorrelationKeys = {};
  if (typeof provisionId === 'string') keys.provisionId = provisionId;
  if (typeof e['index'] === 'number') keys.hostIndex = e['index'];
  if (typeof e['executionName'] === 'string') keys.executionName = e['executionName'];
  return keys;
}

const started = new WeakMap<object, { at: number; log: Logger }>();

/**
 * Structured logging and metrics of one invocation: a `step started` and a
 * `step finished` (or `step failed`, with the error's name) line through a
 * child logger carrying the function name and the correlation keys, the
 * step's duration and failures by error name as metrics, and the keys as
 * trace annotations. Each invocation has its own child logger, so parallel
 * invocations in the sandbox never mix their keys.
 */
export function observeStep(functionName: string): middy.MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: (request) => {
      const keys = correlationKeys(request.event);
      const log = logger.createChild({ persistentKeys: { function: functionName, ...keys } });
      if (request.context?.awsRequestId) log.addContext(request.context);
      if (tracer) for (const [k, v] of Object.entries(keys)) tracer.putAnnotation(k, v as string | number);
      started.set(request, { at: Date.now(), log });
      log.info('step started');
    },
    after: (request) => {
      const run = started.get(request);
      if (!run) return;
      const durationMs = Date.now() - run.at;
      run.log.info('step finished', { durationMs });
      record(functionName, durationMs);
    },
    onError: (request) => {
      const run = started.get(request);
      const durationMs = run ? Date.now() - run.at : 0;
      const { name, message } = describeError(request.error);
      (run?.log ?? logger).error('step failed', { errorName: name, errorMessage: message, durationMs });
      record(functionName, durationMs, name);
    },
  };
}

/** The step's duration and, when it failed, one failure counted by error name. */
function record(functionName: string, durationMs: number, errorName?: string): void {
  const duration = metrics.singleMetric();
  duration.addDimension('function', functionName);
  duration.addMetric('StepDuration', MetricUnit.Milliseconds, durationMs);
  if (!errorName) return;
  const failure = metrics.singleMetric();
  failure.addDimensions({ function: functionName, errorName });
  failure.addMetric('StepFailed', MetricUnit.Count, 1);
}

/** Every handler's middlewares: the X-Ray segment around the invocation (when tracing is active), then logs and metrics. */
export function observability(functionName: string): Array<middy.MiddlewareObj<unknown, unknown, Error, Context>> {
  return [...tracingMiddleware(), observeStep(functionName)];
}
