/**
 * Imported first by `chaos/main.ts`: stdout carries the run lines and the
 * summary only, and stderr only the invariants a run broke. The handlers'
 * log lines (every step fails somewhere under faults) and metrics stay off
 * unless asked for (`POWERTOOLS_LOG_LEVEL=INFO`, `POWERTOOLS_METRICS_DISABLED=false`).
 */
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';

export {};
