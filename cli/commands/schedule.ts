import type { Command } from 'commander';
import { MemorySecretStore } from '../../lambdas/descriptor';
import { dropPendingCredentials } from '../../lambdas/provisioning/credentials';
import { apiFor, localSecretStore } from '../connect';
import { CliExit } from '../io';
import type { CommandModule } from './index';
import { loadForCli, withDescriptorOptions, type DescriptorCliOptions } from './validate';

/**
 * `edgectl schedule create --cron EXPR [--ttl DUR] [--timezone TZ] FILE`,
 * `schedule list`, `schedule delete ID`: recurring creation of ephemeral
 * edges (EventBridge Scheduler in AWS, the local scheduler in the sandbox).
 */
export const scheduleCommand: CommandModule = (program, io) => {
  const schedule = program.command('schedule').description('Create ephemeral edges on a schedule');
  withDescriptorOptions(schedule.command('create').description('Create an edge from FILE at every time the cron expression names'))
    .requiredOption('--cron <expr>', 'AWS cron expression, e.g. "0 8 ? * MON-FRI *" (minutes hours day-of-month month day-of-week year)')
    .option('--ttl <duration>', 'lifetime of each edge, e.g. 10h (default: the ttl in the descriptor)')
    .option('--timezone <tz>', 'IANA time zone of the expression (default UTC)')
    .option('--idempotency-key <key>', 'retrying with the same key returns the same schedule')
    .action(
      async (
        file: string,
        options: DescriptorCliOptions & { cron: string; ttl?: string; timezone?: string; idempotencyKey?: string },
        command: Command,
      ) => {
        const secrets = localSecretStore(command, io);
        const plan = await loadForCli(file, options, io, secrets ?? new MemorySecretStore());
        if (!secrets && plan.provider.connectionRef) {
          io.err(`${file}: inline provider credentials are never sent to a deployed API; remove them`);
          throw new CliExit(2);
        }
        const api = await apiFor(command, io);
        const s = await api
          .createSchedule({ cron: options.cron, timezone: options.timezone, ttl: options.ttl, plan }, options.idempotencyKey)
          .catch(async (err: unknown) => {
            if (secrets) await dropPendingCredentials({ secrets }, plan);
            throw err;
          });
        if (options.json) io.out(JSON.stringify(s, null, 2));
        else {
          io.out(`schedule ${s.id}: ${s.cron} (${s.timezone}), each edge lives ${s.ttlSeconds} s; next run ${s.nextRun ?? 'never'}`);
          io.out(s.id);
        }
      },
    );
  schedule
    .command('list')
    .description('List your schedules')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const api = await apiFor(command, io);
      const items = [];
      let cursor: string | undefined;
      do {
        const page = await api.listSchedules({ cursor });
        items.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      if (options.json) {
        io.out(JSON.stringify(items, null, 2));
        return;
      }
      if (items.length === 0) {
        io.out('no schedules');
        return;
      }
      io.out(`${'ID'.padEnd(16)} ${'NAME'.padEnd(20)} ${'CRON'.padEnd(28)} ${'TTL'.padEnd(8)} ${'NEXT RUN'.padEnd(25)} LAST PROVISION`);
      for (const s of items) {
        io.out(
          `${s.id.padEnd(16)} ${s.name.padEnd(20)} ${s.cron.padEnd(28)} ${`${s.ttlSeconds}s`.padEnd(8)} ${(s.nextRun ?? '-').padEnd(25)} ${s.lastRun?.provisionId ?? '-'}`,
        );
      }
    });
  schedule
    .command('delete')
    .description('Delete a schedule (the edges it created keep their TTLs)')
    .argument('<id>', 'schedule id')
    .action(async (id: string, _options: unknown, command: Command) => {
      await (await apiFor(command, io)).deleteSchedule(id);
      io.out(`deleted schedule ${id}`);
    });
};
