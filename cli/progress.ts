import { Listr } from 'listr2';
import type { ProvisionView } from '../lambdas/api/views';
import type { ApiClient } from './api-client';
import type { CliIo } from './io';

const TERMINAL = ['RUNNING', 'DEGRADED', 'DELETED', 'ERROR'];
const HOST_DONE = ['RUNNING', 'FAILED', 'RELEASED', 'OFF'];

/** True when nothing moves the provision any more. */
export function isSettled(p: ProvisionView, target: 'create' | 'delete', changedFrom?: string): boolean {
  if (changedFrom !== undefined && p.updatedAt === changedFrom) return false;
  return target === 'delete' ? p.state === 'DELETED' || p.state === 'ERROR' : TERMINAL.includes(p.state) && p.state !== 'DELETED';
}

/** One line of a host for live progress: state, public IPs, and where it failed. */
export function hostLine(h: ProvisionView['hosts'][number]): string {
  const ips = h.publicIps.length ? ` ${h.publicIps.join(',')}` : '';
  const err = h.failedStep ? ` — failed in ${h.failedStep}: ${h.error?.errorName ?? ''} ${h.error?.message ?? ''}` : '';
  return `${h.name}: ${h.state}${ips}${err}`;
}

/**
 * Polls the provision until it settles, showing one live line per host
 * (listr2: animated on a terminal, plain lines otherwise). Returns the final view.
 */
export async function followProvision(
  api: ApiClient,
  id: string,
  target: 'create' | 'delete',
  io: CliIo,
  pollMs = 150,
  /** The provision's `updatedAt` when the operation was started: it is not settled until that changes. */
  changedFrom?: string,
): Promise<ProvisionView> {
  let current = await api.getProvision(id);
  const refresh = async () => {
    current = await api.getProvision(id);
    return current;
  };
  const plain = !process.stdout.isTTY || io.env['CI'] === 'true';
  const tasks = new Listr(
    current.hosts.map((h) => ({
      title: `${h.name}: ${h.state}`,
      task: async (_ctx: unknown, task: { title: string }) => {
        let last = '';
        for (;;) {
          const host = current.hosts.find((x) => x.index === h.index);
          if (host) {
            const line = hostLine(host);
            if (line !== last) {
              task.title = line;
              last = line;
            }
            if (HOST_DONE.includes(host.state) && (target === 'create' || host.state === 'RELEASED')) {
              if (host.state === 'FAILED') throw new Error(line);
              return;
            }
          }
          if (isSettled(current, target, changedFrom)) return;
          await new Promise((r) => setTimeout(r, pollMs));
        }
      },
    })),
    { concurrent: true, exitOnError: false, renderer: plain ? 'simple' : 'default', rendererOptions: { collapseErrors: false } as never },
  );
  const polling = (async () => {
    while (!isSettled(current, target, changedFrom)) {
      await new Promise((r) => setTimeout(r, pollMs));
      await refresh();
    }
  })();
  await Promise.all([tasks.run().catch(() => undefined), polling]);
  return refresh();
}
