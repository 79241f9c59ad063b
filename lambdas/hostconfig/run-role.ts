import type { HostConnection } from './connect';
import { LineSplitter, ReportParser, TailBuffer, type RoleReport } from './output';
import type { RoleOutputLine } from '../provisioning/ports/host-configurator';

/** How one role ended. */
export interface RoleOutcome {
  /** Exit code; `null` when the connection ended before the role did. */
  exitCode: number | null;
  report: RoleReport;
  /** Last 20 lines of stdout and stderr, in arrival order. */
  lastLines: string[];
  durationMs: number;
}

/**
 * Runs one role script over an open connection: the fixed command line
 * `bash -s` (or `sudo -n bash -s`) with the script on stdin, so no parameter
 * ever becomes part of a command line. Output is streamed line by line.
 */
export async function runRole(
  connection: HostConnection,
  role: string,
  script: string,
  options: { sudo: boolean; now: () => number },
  log: (line: RoleOutputLine) => void,
): Promise<RoleOutcome> {
  const started = options.now();
  const tail = new TailBuffer(20);
  const parser = new ReportParser();
  const emit = (stream: 'stdout' | 'stderr') => (text: string) => {
    tail.add(text);
    if (stream === 'stdout') parser.line(text);
    log({ role, stream, text });
  };
  const stdout = new LineSplitter(emit('stdout'));
  const stderr = new LineSplitter(emit('stderr'));
  let exitCode: number | null = null;
  try {
    const result = await connection.ssh.execCommand(options.sudo ? 'sudo -n bash -s' : 'bash -s', {
      stdin: script,
      onStdout: (chunk) => stdout.push(chunk),
      onStderr: (chunk) => stderr.push(chunk),
    });
    exitCode = result.code;
  } catch (err) {
    // The channel could not be opened or the connection died under it.
    tail.add(`ssh: ${err instanceof Error ? err.message : String(err)}`);
  }
  stdout.end();
  stderr.end();
  return { exitCode, report: parser.get(), lastLines: tail.get(), durationMs: options.now() - started };
}
