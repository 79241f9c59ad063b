import { spawn } from 'node:child_process';
import { InvalidArgumentError, type Command } from 'commander';
import { startConsole } from '../../console/server';
import { Upstream } from '../../console/upstream';
import { apiFor, localSecretStore } from '../connect';
import { CliExit, type CliIo } from '../io';
import type { CommandModule } from './index';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535) throw new InvalidArgumentError(`expected a port number (0-65535), found '${value}'`);
  return port;
}

/** The platform's "open this URL" command. */
export function openerFor(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url] };
  return { command: 'xdg-open', args: [url] };
}

function openInBrowser(url: string, io: CliIo): void {
  const { command, args } = openerFor(process.platform, url);
  const child = spawn(command, args, { detached: true, stdio: 'ignore', env: io.env });
  child.on('error', (err) => io.err(`edgectl: could not open a browser (${command}: ${err.message}); open the URL printed below`));
  child.unref();
}

/**
 * `edgectl console [--endpoint URL] [--port P] [--open]`: serves the web
 * console on 127.0.0.1 until interrupted. It forwards `/api/*` with
 * edgectl's own authentication, like `kubectl proxy`; without an endpoint
 * it uses (and starts) the local sandbox. The last line printed is the URL.
 */
export const consoleCommand: CommandModule = (program, io) => {
  program
    .command('console')
    .description('Serve the web console on 127.0.0.1: provisions, live per-host progress, timeline, events')
    .option('--port <port>', 'port (default: a free one)', parsePort)
    .option('--open', 'open the console in the default browser')
    .action(async (options: { port?: number; open?: boolean }, command: Command) => {
      const endpoint = command.optsWithGlobals<{ endpoint?: string }>().endpoint ?? io.env['EDGE_ENDPOINT'];
      const local = localSecretStore(command, io) !== undefined;
      const upstream = new Upstream(() => apiFor(command, io), local ? 'local sandbox' : (endpoint ?? ''), local);
      // A wrong endpoint, missing credentials or a sandbox that does not start fail here, not in the browser.
      await upstream.call('GET', '/providers');
      let server;
      try {
        server = await startConsole({
          upstream,
          port: options.port,
          onError: (err) => io.err(`edgectl console: ${err instanceof Error ? err.message : String(err)}`),
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          io.err(`edgectl: port ${options.port} is in use on 127.0.0.1; pick another with --port`);
          throw new CliExit(1);
        }
        throw err;
      }
      io.out(`edge-provisioner console for the ${local ? 'local sandbox' : `API at ${endpoint}`} on ${server.url} (Ctrl-C stops it)`);
      if (options.open) openInBrowser(server.loginUrl, io);
      io.out(server.loginUrl);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
    });
};
