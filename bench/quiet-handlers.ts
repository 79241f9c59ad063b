/**
 * Imported first by `bench/run.ts`: the handlers' JSON log lines and metrics
 * stay off unless asked for (`POWERTOOLS_LOG_LEVEL=INFO`,
 * `POWERTOOLS_METRICS_DISABLED=false`). The bench's stdout is its figures'
 * JSON lines only, and in the one-process sandbox every provision's log
 * lines would cost the CPU that Lambda spends on separate machines.
 */
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'WARN';
process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';

export {};
