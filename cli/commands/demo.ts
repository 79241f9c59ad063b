import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSandboxWithApi } from '../../sandbox/daemon';
import { DEFAULT_TIME_SCALE } from '../../sandbox/sandbox';
import { ApiClient } from '../api-client';
import { CliExit } from '../io';
import { followProvision } from '../progress';
import { renderEvents, renderProvision } from '../render';
import type { CommandModule } from './index';
import { loadForCli } from './validate';

/** The descriptor the demo provisions. */
export const DEMO_DESCRIPTOR = join(__dirname, '..', '..', 'examples', 'sim-edge.yml');

/**
 * `edgectl demo`: the whole life of an edge cluster in a throw-away sandbox —
 * create with live per-host progress, show, events, delete with cleanup —
 * through the same HTTP API, machines and handlers as a deployment.
 */
export const demoCommand: CommandModule = (program, io) => {
  program
    .command('demo')
    .description('Create and delete a 2-host edge cluster in a throw-away local sandbox')
    .option('--file <descriptor>', 'descriptor to provision', DEMO_DESCRIPTOR)
    .option('--time-scale <factor>', 'real time per simulated time', (v) => Number(v), DEFAULT_TIME_SCALE)
    .action(async (options: { file: string; timeScale: number }) => {
      const started = Date.now();
      const home = mkdtempSync(join(tmpdir(), 'edge-demo-'));
      const token = randomBytes(16).toString('hex');
      const stack = await startSandboxWithApi({ home, token, timeScale: options.timeScale });
      try {
        const api = ApiClient.withToken(stack.api.url, token);
        const plan = await loadForCli(options.file, { input: [] }, io);
        io.out(`sandbox API on ${stack.api.url}; simulated time runs ${Math.round(1 / options.timeScale)}x faster than real time`);
        io.out(
          `\n== create ${plan.name}: ${plan.hosts.length} hosts, ${plan.networks.length} networks, ${plan.datastores.length} datastores on provider ${plan.provider.name}`,
        );
        const created = await api.createProvision(plan);
        const running = await followProvision(api, created.id, 'create', io);
        io.out(`\n== show ${created.id}\n${renderProvision(running)}`);
        io.out(`\n== events ${created.id}\n${renderEvents(await eventsThrough(api, created.id, 'Provision Running'))}`);
        if (running.state !== 'RUNNING') {
          io.err(`demo: provision ended ${running.state}`);
          throw new CliExit(1);
        }
        io.out(`\n== delete ${created.id} --cleanup`);
        const deleting = await api.deleteProvision(created.id, true);
        const deleted = await followProvision(api, created.id, 'delete', io, undefined, deleting.updatedAt);
        const tail = (await eventsThrough(api, created.id, 'Provision Deleted')).filter((e) =>
          ['Provision Deleting', 'Ip Released', 'Host Released', 'Provision Deleted'].includes(e.type),
        );
        io.out(renderEvents(tail));
        const leaks = stack.sandbox.cloud.liveMachines().length + stack.sandbox.cloud.liveAddresses().length;
        io.out(
          `\n${created.id}: ${deleted.state}; hosts and IPs left at the provider: ${leaks}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        if (deleted.state !== 'DELETED' || leaks !== 0) throw new CliExit(1);
      } finally {
        await stack.close();
        rmSync(home, { recursive: true, force: true });
      }
    });
};

/**
 * The provision's log once it holds `last`: the state changes a moment before
 * the event that announces it is logged. Gives up after a few seconds and
 * returns what there is.
 */
async function eventsThrough(api: ApiClient, id: string, last: string): Promise<Awaited<ReturnType<ApiClient['events']>>['items']> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const { items } = await api.events(id);
    if (items.some((e) => e.type === last)) return items;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (await api.events(id)).items;
}
