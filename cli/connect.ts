import { join } from 'node:path';
import type { Command } from 'commander';
import { edgeHome, ensureDaemon, sandboxToken } from '../sandbox/daemon';
import { ApiClient } from './api-client';
import type { CliIo } from './io';

/** The edgectl entry script, which `serve` runs as the background daemon. */
export const EDGECTL_ENTRY = join(__dirname, '..', 'bin', 'edgectl.cjs');

/**
 * The API a command talks to: `--endpoint URL` (with `EDGE_TOKEN` for a
 * local API), or the local sandbox daemon, started in the background on
 * first use.
 */
export async function apiFor(command: Command, io: CliIo): Promise<ApiClient> {
  const opts = command.optsWithGlobals<{ endpoint?: string; token?: string }>();
  const endpoint = opts.endpoint ?? io.env['EDGE_ENDPOINT'];
  if (endpoint) return ApiClient.withToken(endpoint.replace(/\/+$/, ''), opts.token ?? io.env['EDGE_TOKEN'] ?? '');
  const home = edgeHome(io.env, io.cwd);
  const info = await ensureDaemon(home, EDGECTL_ENTRY);
  return ApiClient.withToken(info.url, sandboxToken(home));
}
