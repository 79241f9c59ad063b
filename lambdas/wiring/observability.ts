import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Service name of every log line, trace and metric (`POWERTOOLS_SERVICE_NAME` overrides it). */
export const SERVICE_NAME = 'edge-provisioner';

/** Namespace of the metrics when `POWERTOOLS_METRICS_NAMESPACE` is not set (the sandbox). */
export const METRICS_NAMESPACE = 'EdgeProvisioner';

/** The process's JSON logger; each invocation logs through a child carrying its correlation keys. */
export const logger = new Logger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME });

/** X-Ray tracing; inactive outside Lambda, so the sandbox and tests send nothing. */
export const tracer = new Tracer({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME });

/** CloudWatch metrics in the embedded metric format (log lines CloudWatch turns into metrics). */
export const metrics = new Metrics({
  namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? METRICS_NAMESPACE,
  serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? SERVICE_NAME,
});

/** An AWS SDK client whose calls appear as subsegments of the function's trace. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
