import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { ApiError } from './api-client';
import { CliExit, processIo, type CliIo } from './io';

/** `--endpoint` stays usable after the verb (`edgectl list --endpoint URL`), except where a verb gives it its own meaning. */
function acceptEndpointAfterVerb(commands: readonly Command[]): void {
  for (const command of commands) {
    if (!command.options.some((o) => o.long === '--endpoint'))
      command.option('--endpoint <url>', 'API endpoint (default: the local sandbox)');
    acceptEndpointAfterVerb(command.commands);
  }
}

/**
 * edgectl entry point. Returns the exit code instead of exiting so tests can
 * run it in-process; never prints a stack trace.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = new Command('edgectl')
    .description('Create, inspect and delete OpenNebula edge clusters')
    .option('--endpoint <url>', 'API endpoint (default: the local sandbox)')
    // A verb's own options come after it: `opennebula connect --endpoint` names a front-end, not the API.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const register of COMMANDS) register(program, io);
  acceptEndpointAfterVerb(program.commands);
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
