import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { ApiError } from './api-client';
import { CliExit, processIo, type CliIo } from './io';

/**
 * edgectl entry point. Returns the exit code instead of exiting so tests can
 * run it in-process; never prints a stack trace.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = new Command('edgectl')
    .description('Create, inspect and delete OpenNebula edge clusters')
    .option('--endpoint <url>', 'API endpoint (default: the local sandbox)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const register of COMMANDS) register(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CliExit) return err.code;
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ApiError) {
      io.err(`edgectl: ${err.problem.title ?? 'request failed'}: ${err.message}`);
      for (const e of err.problem.errors ?? []) {
        io.err(e.file ? `${e.file}:${e.line}:${e.column}: ${e.path}: ${e.message}` : `  ${e.path}: ${e.message}`);
      }
      return err.status < 500 ? 2 : 1;
    }
    io.err(`edgectl: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
