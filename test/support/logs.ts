import { logger } from '../../lambdas/wiring/observability';

/** One JSON log line. */
export type Line = Record<string, unknown>;

/** Runs `fn` with the process's stdout and stderr captured as JSON log lines. */
export async function captureLogs(fn: () => Promise<void>): Promise<Line[]> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  logger.setLogLevel('INFO');
  try {
    await fn();
  } finally {
    logger.setLogLevel('SILENT');
    out.mockRestore();
    err.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
}
