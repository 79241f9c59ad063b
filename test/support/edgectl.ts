import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

/** What one `edgectl` invocation printed, line by line. */
export type CapturedIo = CliIo & { stdout: string[]; stderr: string[] };

/** An `edgectl` terminal talking to the local API at `endpoint` with token `tok`, output captured. */
export function capturedIo(endpoint: string): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    cwd: process.cwd(),
    env: { EDGE_ENDPOINT: endpoint, EDGE_TOKEN: 'tok', CI: 'true' },
    stdout,
    stderr,
  };
}

/** Runs `edgectl argv…` against the local API; its exit code and output. */
export async function edgectl(endpoint: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capturedIo(endpoint);
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}
