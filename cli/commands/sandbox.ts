import { resolve } from 'node:path';
import { edgeHome, runDaemon, runningDaemon, stopDaemon } from '../../sandbox/daemon';
import type { CommandModule } from './index';
import { faultsCommand } from './faults';

/** `edgectl serve`: runs the local sandbox and its HTTP API in the foreground. */
export const serveCommand: CommandModule = (program, io) => {
  program
    .command('serve')
    .description('Run the local sandbox and serve the HTTP API on 127.0.0.1')
    .option('--port <port>', 'port (default: a free one)', (v) => Number(v))
    .option('--token <token>', 'bearer token (default: generated into the data directory)')
    .option('--home <dir>', 'sandbox data directory (default: EDGE_HOME or .edge)')
    .option('--time-scale <factor>', 'real time per simulated time (default EDGE_TIME_SCALE or 0.001)', (v) => Number(v))
    .action(async (options: { port?: number; token?: string; home?: string; timeScale?: number }) => {
      const home = options.home ? resolve(io.cwd, options.home) : edgeHome(io.env, io.cwd);
      const timeScale = options.timeScale ?? (io.env['EDGE_TIME_SCALE'] ? Number(io.env['EDGE_TIME_SCALE']) : undefined);
      const info = await runDaemon({ home, port: options.port, token: options.token, timeScale, env: io.env });
      io.out(`edge-provisioner sandbox API on ${info.url} (data in ${home}; token in ${resolve(home, 'token')})`);
      const one = info.openNebula;
      if (one)
        io.out(`OpenNebula front-end: ${one.endpoint} as ${one.user} (${one.simulated ? 'simulated oned' : `real, from ${one.source}`})`);
      // Keep running until a signal stops the daemon.
      await new Promise(() => undefined);
    });
};

/** `edgectl sandbox status|stop|faults`. */
export const sandboxCommand: CommandModule = (program, io) => {
  const sandbox = program.command('sandbox').description('Manage the local sandbox daemon');
  faultsCommand(sandbox, io);
  sandbox
    .command('status')
    .description('Say whether a sandbox daemon runs for this data directory')
    .action(async () => {
      const home = edgeHome(io.env, io.cwd);
      const info = await runningDaemon(home);
      io.out(info ? `running: pid ${info.pid}, ${info.url}, since ${info.startedAt}` : `not running (data in ${home})`);
    });
  sandbox
    .command('stop')
    .description('Stop the sandbox daemon (state is kept in the data directory)')
    .action(async () => {
      const stopped = await stopDaemon(edgeHome(io.env, io.cwd));
      io.out(stopped ? 'sandbox stopped' : 'no sandbox running');
    });
};
