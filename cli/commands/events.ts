import type { Command } from 'commander';
import { apiFor } from '../connect';
import { CliExit } from '../io';
import { renderEvents } from '../render';
import type { CommandModule } from './index';

const SETTLED = ['RUNNING', 'DEGRADED', 'DELETED', 'ERROR'];

/**
 * `edgectl events ID [--json] [--follow] [--output]` shows a provision's
 * event log; `edgectl events put --source S --detail-type T --detail JSON`
 * puts a custom event on the local sandbox's bus (to try `teardown_on`).
 */
export const eventsCommand: CommandModule = (program, io) => {
  const events = program.command('events').description("Show a provision's lifecycle events, or put a custom event on the sandbox bus");
  events
    .command('show', { isDefault: true })
    .description("Show a provision's lifecycle events (the default: `edgectl events ID`)")
    .argument('<id>', 'provision id')
    .option('--json', 'print JSON')
    .option('--output', 'include the output of the configuration roles')
    .option('--follow', 'keep printing new events until the provision settles')
    .action(async (id: string, options: { json?: boolean; output?: boolean; follow?: boolean }, command: Command) => {
      const api = await apiFor(command, io);
      let after: string | undefined;
      for (;;) {
        const page = await api.events(id, { after });
        if (page.items.length) {
          if (options.json) for (const e of page.items) io.out(JSON.stringify(e));
          else {
            const text = renderEvents(page.items, options.output);
            if (text) io.out(text);
          }
          after = String(page.items[page.items.length - 1]?.seq);
        }
        if (!options.follow) return;
        const p = await api.getProvision(id);
        if (SETTLED.includes(p.state) && page.items.length === 0) return;
        await new Promise((r) => setTimeout(r, 300));
      }
    });
  events
    .command('put')
    .description('Put a custom event on the local sandbox bus (a deployed API has no such route: use aws events put-events)')
    .requiredOption('--source <source>', 'event source, e.g. game.events (edge-provisioner and aws.* are reserved)')
    .requiredOption('--detail-type <type>', 'detail-type, e.g. "Tournament Finished"')
    .option('--detail <json>', 'detail as a JSON object', '{}')
    .action(async (options: { source: string; detailType: string; detail: string }, command: Command) => {
      let detail: unknown;
      try {
        detail = JSON.parse(options.detail);
      } catch (err) {
        io.err(`edgectl: --detail is not JSON: ${(err as Error).message}`);
        throw new CliExit(2);
      }
      if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
        io.err('edgectl: --detail must be a JSON object');
        throw new CliExit(2);
      }
      const api = await apiFor(command, io);
      const { id } = await api.putEvent({
        source: options.source,
        'detail-type': options.detailType,
        detail: detail as Record<string, unknown>,
      });
      io.out(id);
    });
};
