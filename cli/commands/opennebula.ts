import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createOpenNebulaPort } from '../../lambdas/opennebula';
import { describeError, ValidationError } from '../../lambdas/shared/errors';
import { edgeHome, ensureDaemon, runningDaemon, sandboxToken, stopDaemon, type DaemonInfo } from '../../sandbox/daemon';
import {
  chooseFrontend,
  checkEndpoint,
  checkSession,
  FRONTEND_ENV,
  FRONTEND_SECRET,
  sandboxSecrets,
  type Frontend,
} from '../../sandbox/frontend';
import { SIM_ONED_PASSWORD, SIM_ONED_USER } from '../../sandbox/defaults';
import { ApiClient } from '../api-client';
import { EDGECTL_ENTRY } from '../connect';
import { CliExit, type CliIo } from '../io';
import type { CommandModule } from './index';

/**
 * The OpenNebula front-end of a deployed API is its ONE_SECRET_ARN secret,
 * not something edgectl switches. `connect`'s own `--endpoint` names the
 * front-end, so only its ancestors' say which API is meant.
 */
function refuseRemote(command: Command, io: CliIo, ownEndpoint = false): void {
  const scopes = ownEndpoint ? [command.parent, command.parent?.parent] : [command, command.parent, command.parent?.parent];
  const apiEndpoint = scopes.map((c) => c?.opts<{ endpoint?: string }>().endpoint).find((e) => e !== undefined);
  if (apiEndpoint ?? io.env['EDGE_ENDPOINT']) {
    io.err(
      'edgectl: `opennebula` chooses the front-end of the local sandbox; a deployed API registers into the front-end its ONE_SECRET_ARN secret names',
    );
    throw new CliExit(2);
  }
}

/** Asks the front-end its version with the given credentials: the check `connect` makes before storing anything. */
async function probe(frontend: Extract<Frontend, { kind: 'connected' }>): Promise<string> {
  const port = createOpenNebulaPort({
    endpoint: frontend.endpoint,
    user: frontend.user,
    password: frontend.password,
    timeoutMs: 10_000,
    tls: { ...(frontend.ca ? { ca: frontend.ca } : {}), ...(frontend.insecure ? { insecure: true } : {}) },
  });
  try {
    return await port.version();
  } finally {
    port.close();
  }
}

/**
 * Provisions the sandbox holds that are not DELETED: switching front-ends
 * under them would leave their OpenNebula objects where nothing manages them.
 */
async function liveProvisions(home: string): Promise<{ daemon?: DaemonInfo; live: Array<{ id: string; state: string }> }> {
  const daemon = (await runningDaemon(home)) ?? (existsSync(join(home, 'db')) ? await ensureDaemon(home, EDGECTL_ENTRY) : undefined);
  if (!daemon) return { live: [] };
  const api = ApiClient.withToken(daemon.url, sandboxToken(home));
  const live: Array<{ id: string; state: string }> = [];
  let cursor: string | undefined;
  do {
    const page = await api.listProvisions({ cursor });
    live.push(...page.items.filter((p) => p.state !== 'DELETED').map((p) => ({ id: p.id, state: p.state })));
    cursor = page.cursor;
  } while (cursor);
  return { daemon, live };
}

/** Stops the daemon after checking that nothing lives in the front-end being left; returns whether one ran. */
async function switchAway(home: string, leaving: string, io: CliIo, force: boolean): Promise<boolean> {
  const { daemon, live } = await liveProvisions(home);
  if (live.length > 0 && !force) {
    io.err(
      `edgectl: ${live.length} provision(s) live in ${leaving}: ${live.map((p) => `${p.id} (${p.state})`).join(', ')}. ` +
        'Delete them first (edgectl delete ID --cleanup --wait), or pass --force: they stay in that front-end, managed again once you switch back.',
    );
    throw new CliExit(2);
  }
  return daemon ? stopDaemon(home) : false;
}

function describeFrontend(info: { endpoint: string; user: string; simulated: boolean; source: string }): string {
  if (info.simulated) return `the simulated oned at ${info.endpoint}`;
  const from = info.source === 'environment' ? `${FRONTEND_ENV.url}/${FRONTEND_ENV.session}` : 'edgectl opennebula connect';
  return `${info.endpoint} as ${info.user} (set by ${from})`;
}

/** `edgectl opennebula connect|show|disconnect`: the front-end the local sandbox registers into. */
export const opennebulaCommand: CommandModule = (program, io) => {
  const cmd = program
    .command('opennebula')
    .description('Choose the OpenNebula front-end the local sandbox registers into (the simulated oned by default)');

  cmd
    .command('connect')
    .description('Register new provisions into a real OpenNebula front-end (local mode); it is checked first')
    .requiredOption('--endpoint <url>', 'XML-RPC endpoint, e.g. http://frontend:2633/RPC2')
    .requiredOption('--session-file <file>', "file holding the session 'user:password' (what ONE_AUTH holds)")
    .option('--ca-file <file>', 'PEM certificate of the CA that signed an https front-end')
    .option('--insecure', 'do not verify an https certificate (labs only: the session travels in every call)')
    .option('--force', 'switch although provisions live in the current front-end')
    .action(
      async (
        options: { endpoint: string; sessionFile: string; caFile?: string; insecure?: boolean; force?: boolean },
        command: Command,
      ) => {
        refuseRemote(command, io, true);
        const home = edgeHome(io.env, io.cwd);
        const read = (file: string, what: string): string => {
          try {
            return readFileSync(resolve(io.cwd, file), 'utf8');
          } catch (err) {
            throw new ValidationError(`cannot read the ${what} ${file}: ${describeError(err).message}`);
          }
        };
        const endpoint = checkEndpoint(options.endpoint, '--endpoint');
        const session = read(options.sessionFile, 'session file').trim();
        const frontend: Extract<Frontend, { kind: 'connected' }> = {
          kind: 'connected',
          endpoint,
          ...checkSession(session, `--session-file ${options.sessionFile}`),
          source: 'connect',
          ...(options.caFile ? { ca: read(options.caFile, 'CA file') } : {}),
          ...(options.insecure ? { insecure: true } : {}),
        };
        let version: string;
        try {
          version = await probe(frontend);
        } catch (err) {
          const { name, message } = describeError(err);
          io.err(`edgectl: cannot use ${endpoint}: ${message} (${name}); nothing was changed`);
          throw new CliExit(1);
        }
        const current = await chooseFrontend({}, home);
        const sameFrontend = current.kind === 'connected' && current.endpoint === endpoint;
        const restarted = sameFrontend
          ? await stopDaemon(home)
          : await switchAway(home, describeCurrent(current), io, options.force === true);
        mkdirSync(home, { recursive: true });
        await sandboxSecrets(home).put(FRONTEND_SECRET, {
          endpoint,
          session,
          ...(frontend.ca ? { ca: frontend.ca } : {}),
          ...(frontend.insecure ? { insecure: 'true' } : {}),
        });
        io.out(`connected: OpenNebula ${version} at ${endpoint} as ${frontend.user}; new provisions register there`);
        io.out(
          `the session is kept in ${join(home, 'secrets.json')} (mode 0600)${restarted ? '; the sandbox daemon restarts with it on the next command' : ''}`,
        );
        if (io.env[FRONTEND_ENV.url])
          io.out(`note: ${FRONTEND_ENV.url} is set in this shell and takes precedence for daemons started from it`);
      },
    );

  cmd
    .command('show')
    .description('Say which front-end the sandbox registers into, and whether it answers')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      refuseRemote(command, io);
      const home = edgeHome(io.env, io.cwd);
      const chosen = await chooseFrontend(io.env, home);
      const daemon = await runningDaemon(home);
      const inUse = daemon?.openNebula;
      let reachable: { version?: string; error?: string } = {};
      if (chosen.kind === 'connected') {
        reachable = await probe(chosen).then(
          (version) => ({ version }),
          (err: unknown) => ({ error: describeError(err).message }),
        );
      }
      const view = {
        frontend:
          chosen.kind === 'connected'
            ? { endpoint: chosen.endpoint, user: chosen.user, simulated: false, source: chosen.source }
            : {
                endpoint: inUse?.simulated ? inUse.endpoint : '(started with the sandbox daemon)',
                user: SIM_ONED_USER,
                simulated: true,
                source: 'simulated',
              },
        ...reachable,
        daemon: daemon ? { url: daemon.url, openNebula: inUse ?? null } : null,
      };
      if (options.json) {
        io.out(JSON.stringify(view, null, 2));
        return;
      }
      io.out(`front-end: ${describeFrontend(view.frontend)}`);
      if (reachable.version) io.out(`reachable: OpenNebula ${reachable.version}`);
      if (reachable.error) io.out(`unreachable: ${reachable.error}`);
      if (
        daemon &&
        inUse &&
        (inUse.simulated !== view.frontend.simulated || (!inUse.simulated && inUse.endpoint !== view.frontend.endpoint))
      ) {
        io.out(`the running sandbox daemon still uses ${describeFrontend(inUse)}; it switches when restarted (edgectl sandbox stop)`);
      }
      if (inUse?.simulated) {
        io.out(
          `use it with OpenNebula's CLI: ONE_XMLRPC=${inUse.endpoint} and a ONE_AUTH file holding ${SIM_ONED_USER}:${SIM_ONED_PASSWORD}`,
        );
      }
    });

  cmd
    .command('disconnect')
    .description('Go back to the simulated oned')
    .option('--force', 'switch although provisions live in the connected front-end')
    .action(async (options: { force?: boolean }, command: Command) => {
      refuseRemote(command, io);
      const home = edgeHome(io.env, io.cwd);
      const current = await chooseFrontend({}, home);
      if (current.kind !== 'connected') {
        io.out('not connected: the sandbox uses its simulated oned');
        return;
      }
      await switchAway(home, describeCurrent(current), io, options.force === true);
      await sandboxSecrets(home).delete(FRONTEND_SECRET);
      io.out(`disconnected from ${current.endpoint}; new provisions register into the simulated oned`);
      if (io.env[FRONTEND_ENV.url])
        io.out(`note: ${FRONTEND_ENV.url} is set in this shell and still takes precedence for daemons started from it`);
    });
};

function describeCurrent(frontend: Frontend): string {
  return frontend.kind === 'connected' ? frontend.endpoint : 'the simulated oned';
}
