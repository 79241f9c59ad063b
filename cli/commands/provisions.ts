import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { apiFor, localSecretStore } from '../connect';
import { CliExit } from '../io';
import { MemorySecretStore } from '../../lambdas/descriptor';
import { dropPendingCredentials } from '../../lambdas/provisioning/credentials';
import { followProvision } from '../progress';
import { renderProvision } from '../render';
import { renderTimelineSvg, renderTimelineText } from '../timeline';
import type { CommandModule } from './index';
import { loadForCli, withDescriptorOptions, type DescriptorCliOptions } from './validate';

const SETTLED_OK = ['RUNNING', 'DELETED'];

/** `edgectl create FILE [--wait] [--json]`: prints the new provision id as the last line. */
export const createCommand: CommandModule = (program, io) => {
  withDescriptorOptions(program.command('create').description('Create an edge cluster from a descriptor'))
    .option('--wait', 'follow per-host progress until the provision settles')
    .option('--idempotency-key <key>', 'retrying with the same key returns the same provision')
    .action(async (file: string, options: DescriptorCliOptions & { wait?: boolean; idempotencyKey?: string }, command: Command) => {
      const secrets = localSecretStore(command, io);
      const plan = await loadForCli(file, options, io, secrets ?? new MemorySecretStore());
      if (!secrets && plan.provider.connectionRef) {
        io.err(
          `${file}: inline provider credentials are never sent to a deployed API; remove them (deployed functions use their IAM role or a secret under edge-provisioner/ named by the operator)`,
        );
        throw new CliExit(2);
      }
      const api = await apiFor(command, io);
      // The credentials wait in a pending secret the create adopts; a create that never happened leaves none behind.
      let p = await api.createProvision(plan, options.idempotencyKey).catch(async (err: unknown) => {
        if (secrets) await dropPendingCredentials({ secrets }, plan);
        throw err;
      });
      if (options.wait) {
        p = await followProvision(api, p.id, 'create', io);
        if (!options.json) io.out(renderProvision(p));
      }
      if (options.json) io.out(JSON.stringify(p, null, 2));
      else io.out(p.id);
      if (options.wait && !SETTLED_OK.includes(p.state) && p.state !== 'DEGRADED') throw new CliExit(1);
    });
};

/** `edgectl list [--json] [--state S]`. */
export const listCommand: CommandModule = (program, io) => {
  program
    .command('list')
    .description('List your provisions')
    .option('--state <state>', 'only provisions in this state')
    .option('--json', 'print JSON')
    .action(async (options: { state?: string; json?: boolean }, command: Command) => {
      const api = await apiFor(command, io);
      const page = await api.listProvisions({ state: options.state });
      if (options.json) {
        io.out(JSON.stringify(page.items, null, 2));
        return;
      }
      if (page.items.length === 0) {
        io.out('no provisions');
        return;
      }
      io.out(`${'ID'.padEnd(16)} ${'NAME'.padEnd(20)} ${'STATE'.padEnd(12)} HOSTS  CREATED`);
      for (const p of page.items)
        io.out(`${p.id.padEnd(16)} ${p.name.padEnd(20)} ${p.state.padEnd(12)} ${String(p.hostCount).padEnd(6)} ${p.createdAt}`);
    });
};

/** `edgectl show ID [--json]`. */
export const showCommand: CommandModule = (program, io) => {
  program
    .command('show')
    .description('Show a provision, its hosts, datastores and networks')
    .argument('<id>', 'provision id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const p = await (await apiFor(command, io)).getProvision(id);
      io.out(options.json ? JSON.stringify(p, null, 2) : renderProvision(p));
    });
};

/** `--cleanup-timeout`: whole seconds, as oneprovision's. */
function cleanupTimeout(value: string): number {
  if (!/^[1-9][0-9]{0,4}$/.test(value) || Number(value) > 86_400) {
    throw new InvalidArgumentError('expected whole seconds between 1 and 86400');
  }
  return Number(value);
}

/** `edgectl delete ID [--cleanup [--cleanup-timeout S]] [--force] [--wait]`. */
export const deleteCommand: CommandModule = (program, io) => {
  program
    .command('delete')
    .description('Delete a provision (refused while VMs run or images are in its datastores, unless --cleanup)')
    .argument('<id>', 'provision id')
    .option('--cleanup', 'terminate running VMs, delete images and remove everything')
    .option(
      '--cleanup-timeout <seconds>',
      'with --cleanup: how long to wait for the VMs of a host, and each image, to be gone (default 120)',
      cleanupTimeout,
    )
    .option('--force', 'from any state, even a stuck one: stop what runs, remove everything found, report what could not be removed')
    .option('--wait', 'follow progress until DELETED')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        options: { cleanup?: boolean; cleanupTimeout?: number; force?: boolean; wait?: boolean; json?: boolean },
        command: Command,
      ) => {
        if (options.cleanupTimeout !== undefined && options.cleanup !== true) {
          io.err('edgectl: --cleanup-timeout applies to --cleanup only');
          throw new CliExit(2);
        }
        const api = await apiFor(command, io);
        const force = options.force === true;
        const started = await api.deleteProvision(id, options.cleanup === true || force, force, options.cleanupTimeout);
        if (!options.wait) {
          io.out(`deleting ${id}`);
          return;
        }
        const p =
          started.state === 'DELETED' && !force ? started : await followProvision(api, id, 'delete', io, undefined, started.updatedAt);
        if (options.json) io.out(JSON.stringify(p, null, 2));
        else {
          io.out(`${id}: ${p.state}`);
          for (const l of p.leftovers ?? []) io.out(`  not removed: ${l.object}: ${l.errorName}: ${l.message}`);
        }
        if (p.state !== 'DELETED') throw new CliExit(1);
      },
    );
};

/** `edgectl retry ID [--wait] [--json]`: resumes a provision in ERROR from each host's failed step. */
export const retryCommand: CommandModule = (program, io) => {
  program
    .command('retry')
    .description('Resume a failed provision from the step each host failed in')
    .argument('<id>', 'provision id')
    .option('--wait', 'follow per-host progress until the provision settles')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { wait?: boolean; json?: boolean }, command: Command) => {
      const api = await apiFor(command, io);
      let p = await api.retryProvision(id);
      if (options.wait) p = { ...(await followProvision(api, id, 'create', io, undefined, p.updatedAt)), executionId: p.executionId };
      io.out(options.json ? JSON.stringify(p, null, 2) : options.wait ? renderProvision(p) : `retrying ${id}`);
      if (options.wait && !['RUNNING', 'DEGRADED'].includes(p.state)) throw new CliExit(1);
    });
};

/** `edgectl timeline ID [--svg FILE]`: per-host Gantt chart of a provision's pipelines. */
export const timelineCommand: CommandModule = (program, io) => {
  program
    .command('timeline')
    .description("Show each host's pipeline (allocate, boot, IPs, configure, register) over time")
    .argument('<id>', 'provision id')
    .option('--svg <file>', 'also write the chart as SVG')
    .action(async (id: string, options: { svg?: string }, command: Command) => {
      const p = await (await apiFor(command, io)).getProvision(id);
      io.out(renderTimelineText(p));
      if (options.svg) {
        writeFileSync(resolve(io.cwd, options.svg), renderTimelineSvg(p));
        io.out(`wrote ${options.svg}`);
      }
    });
};
