import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { edgeHome } from '../../sandbox/daemon';
import { FileSecretStore } from '../../sandbox/file-secret-store';
import { SANDBOX_SSH_KEY } from '../../sandbox/sandbox';
import { apiFor } from '../connect';
import { reportOperation } from '../follow-operation';
import { CliExit, type CliIo } from '../io';
import { runSsh } from '../ssh';
import type { CommandModule } from './index';

const collect = (value: string, all: string[]) => [...all, value];

function positiveInt(what: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}`);
    return n;
  };
}

/** `k=v` pairs as a record; exit 2 naming a malformed one. */
function pairs(values: string[], option: string, io: CliIo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      io.err(`edgectl: ${option} expects KEY=VALUE, found '${pair}'`);
      throw new CliExit(2);
    }
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

function withOperationOptions(command: Command): Command {
  return command
    .option('--wait', 'follow per-host progress until the operation ends; exit 1 unless it succeeded')
    .option('--json', 'print JSON');
}

interface ScaleOptions {
  add?: number;
  addHost?: string[];
  hostParam: string[];
  remove?: string[];
  removeCount?: number;
  drain?: boolean;
  force?: boolean;
  drainTimeout?: number;
  allowEmpty?: boolean;
  wait?: boolean;
  json?: boolean;
}

/**
 * `edgectl scale ID --add N | --add-host NAME… [--host-param K=V…]` and
 * `edgectl scale ID --remove HOST… | --remove-count N [--drain [--force]
 * [--drain-timeout S]] [--allow-empty]`.
 */
export const scaleCommand: CommandModule = (program, io) => {
  withOperationOptions(
    program
      .command('scale')
      .description('Add hosts to a live provision, or remove hosts from it')
      .argument('<id>', 'provision id')
      .option('--add <n>', 'add N hosts copied from the last one', positiveInt('--add', 40))
      .option('--add-host <name...>', 'add hosts by name (on-prem: their addresses)')
      .option('--host-param <KEY=VALUE>', 'provider parameter of every added host (repeatable), as oneprovision --host-params', collect, [])
      .option('--remove <host...>', 'remove hosts (names or indexes)')
      .option('--remove-count <n>', 'remove N hosts (failed ones first, then the newest without VMs)', positiveInt('--remove-count', 40))
      .option('--drain', 'disable the hosts in OpenNebula and wait for their VMs to leave')
      .option('--force', 'with --drain: terminate the VMs instead of waiting')
      .option('--drain-timeout <seconds>', 'give up waiting for VMs after this long (default 600)', positiveInt('--drain-timeout', 86_400))
      .option('--allow-empty', 'allow going below min_healthy_hosts, or to no host'),
  ).action(async (id: string, options: ScaleOptions, command: Command) => {
    const chosen = [options.add, options.addHost, options.remove, options.removeCount].filter((x) => x !== undefined);
    if (chosen.length !== 1) {
      io.err('edgectl: scale needs exactly one of --add, --add-host, --remove, --remove-count');
      throw new CliExit(2);
    }
    const params = pairs(options.hostParam, '--host-param', io);
    const api = await apiFor(command, io);
    let started;
    if (options.add !== undefined) started = await api.scaleOut(id, { count: options.add });
    else if (options.addHost) {
      const hosts = options.addHost.map((name) => ({ name, ...(Object.keys(params).length ? { provision: params } : {}) }));
      started = await api.scaleOut(id, { hosts });
    } else {
      const which = options.remove ? { hosts: options.remove } : { count: options.removeCount as number };
      started = await api.scaleIn(id, which, {
        drain: options.drain,
        force: options.force,
        drainTimeout: options.drainTimeout,
        allowEmpty: options.allowEmpty,
      });
    }
    await reportOperation(api, started, options, io);
  });
};

/** `edgectl host list|ssh|poweroff|reboot|resume ID HOST`. */
export const hostCommand: CommandModule = (program, io) => {
  const host = program.command('host').description("List a provision's hosts, reach one over SSH, or power it off, reboot or resume it");
  host
    .command('list')
    .description('Hosts with their state, OpenNebula state and VMs now, and addresses')
    .argument('<id>', 'provision id')
    .option('--all', 'include released hosts')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { all?: boolean; json?: boolean }, command: Command) => {
      const { items } = await (await apiFor(command, io)).listHosts(id, options.all === true);
      if (options.json) {
        io.out(JSON.stringify(items, null, 2));
        return;
      }
      if (items.length === 0) {
        io.out('no hosts');
        return;
      }
      io.out(
        `${'NAME'.padEnd(18)} ${'STATE'.padEnd(12)} ${'OPENNEBULA'.padEnd(12)} ${'VMS'.padEnd(5)} ${'PRIVATE IP'.padEnd(15)} PUBLIC IPS`,
      );
      for (const h of items) {
        io.out(
          `${h.name.padEnd(18)} ${h.state.padEnd(12)} ${(h.oneState ?? '-').padEnd(12)} ${String(h.vms.length).padEnd(5)} ${(h.privateIp ?? '-').padEnd(15)} ${h.publicIps.join(',') || '-'}`,
        );
      }
    });

  for (const action of ['poweroff', 'reboot', 'resume'] as const) {
    const verb = withOperationOptions(
      host
        .command(action)
        .description(
          {
            poweroff: 'Power a host off (disabled, machine stopped, OFFLINE in OpenNebula); refused while it runs VMs unless --force',
            reboot: 'Reboot a host (--hard: stop and start) and wait for MONITORED; refused while it runs VMs unless --force',
            resume: 'Start a powered-off host and wait for MONITORED in OpenNebula',
          }[action],
        )
        .argument('<id>', 'provision id')
        .argument('<host>', 'host name or index'),
    );
    if (action !== 'resume') verb.option('--force', 'power its VMs off first; they are resumed when the host is back');
    if (action === 'reboot') verb.option('--hard', 'a power cycle (stop, start) instead of the provider’s reboot');
    verb.action(
      async (id: string, name: string, options: { hard?: boolean; force?: boolean; wait?: boolean; json?: boolean }, command: Command) => {
        const api = await apiFor(command, io);
        const started = await api.hostAction(id, name, action, {
          ...(options.hard ? { hard: true } : {}),
          ...(options.force ? { force: true } : {}),
        });
        await reportOperation(api, started, options, io);
      },
    );
  }

  host
    .command('ssh')
    .description("Open a shell on a host, or run a command there, with the provision's key and the host's pinned key")
    .argument('<id>', 'provision id')
    .argument('<host>', 'host name or index')
    .argument('[command...]', 'command to run (after --); a shell when none')
    .option('--identity <file>', "the provision's private key (a deployed API's SSH key secret); the sandbox's own by default")
    .action(async (id: string, name: string, remote: string[], options: { identity?: string }, command: Command) => {
      const api = await apiFor(command, io);
      const { items } = await api.listHosts(id);
      const target = items.find((h) => h.name === name) ?? (/^\d+$/.test(name) ? items.find((h) => h.index === Number(name)) : undefined);
      if (!target) {
        io.err(`edgectl: provision ${id} has no host ${name} (its hosts: ${items.map((h) => h.name).join(', ') || 'none'})`);
        throw new CliExit(2);
      }
      if (!target.ssh) {
        io.err(`edgectl: host ${target.name} is ${target.state} and has no SSH endpoint`);
        throw new CliExit(1);
      }
      if (!target.ssh.hostKey) {
        io.err(`edgectl: host ${target.name} has no pinned host key yet (it was never configured); not connecting`);
        throw new CliExit(1);
      }
      const key = await privateKeyFor(command, io, options.identity);
      const code = await runSsh({ name: target.name, ...target.ssh, hostKey: target.ssh.hostKey }, key, remote, io);
      if (code !== 0) throw new CliExit(code);
    });
};

/** The provision's private key: `--identity`, or the local sandbox's own. */
async function privateKeyFor(command: Command, io: CliIo, identity?: string): Promise<string> {
  if (identity) return readFileSync(resolve(io.cwd, identity), 'utf8');
  if (command.optsWithGlobals<{ endpoint?: string }>().endpoint ?? io.env['EDGE_ENDPOINT']) {
    io.err("edgectl: pass --identity FILE with the provision's private key (the deployment's SSH key secret, privateKey)");
    throw new CliExit(2);
  }
  const secrets = new FileSecretStore(join(edgeHome(io.env, io.cwd), 'secrets.json'));
  return (await secrets.get(SANDBOX_SSH_KEY))['privateKey'] ?? '';
}

/** `edgectl ip add ID [N] [--network NAME]` and `edgectl ip remove ID IP`. */
export const ipCommand: CommandModule = (program, io) => {
  const ip = program.command('ip').description('Add public IPs to a live provision, or remove one');
  withOperationOptions(
    ip
      .command('add')
      .description("Lease public IPs from the provider's IPAM, route them to hosts and add them to the public vnet")
      .argument('<id>', 'provision id')
      .argument('[count]', 'how many (default 1)', positiveInt('count', 16))
      .option('--network <name>', 'public network (default: the first)'),
  ).action(
    async (id: string, count: number | undefined, options: { network?: string; wait?: boolean; json?: boolean }, command: Command) => {
      const api = await apiFor(command, io);
      const started = await api.addIps(id, { count: count ?? 1, ...(options.network ? { network: options.network } : {}) });
      await reportOperation(api, started, options, io);
    },
  );
  withOperationOptions(
    ip
      .command('remove')
      .description('Take a public IP off the vnet and release it (refused while a VM holds it)')
      .argument('<id>', 'provision id')
      .argument('<ip>', 'the address'),
  ).action(async (id: string, address: string, options: { wait?: boolean; json?: boolean }, command: Command) => {
    const api = await apiFor(command, io);
    await reportOperation(api, await api.removeIp(id, address), options, io);
  });
};

/** `edgectl configure ID [--force] [--host HOST…]`. */
export const configureCommand: CommandModule = (program, io) => {
  withOperationOptions(
    program
      .command('configure')
      .description('Re-run the configuration roles: hosts whose configuration failed, or with --force every role on live hosts')
      .argument('<id>', 'provision id')
      .option('--force', 'run every role again from the first')
      .option('--host <host>', 'only this host (repeatable)', collect, []),
  ).action(async (id: string, options: { force?: boolean; host: string[]; wait?: boolean; json?: boolean }, command: Command) => {
    const api = await apiFor(command, io);
    const started = await api.configure(id, {
      ...(options.force ? { force: true } : {}),
      ...(options.host.length ? { hosts: options.host } : {}),
    });
    await reportOperation(api, started, options, io);
  });
};
