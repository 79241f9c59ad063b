import { join } from 'node:path';
import type { Command } from 'commander';
import { edgeHome, ensureDaemon, sandboxToken } from '../sandbox/daemon';
import { ApiClient } from './api-client';
import type { SecretStore } from '../lambdas/shared/secrets';
import { FileSecretStore } from '../sandbox/file-secret-store';
import type { CliIo } from './io';

/** The edgectl entry script, which `serve` runs as the background daemon. */
export const EDGECTL_ENTRY = join(__dirname, '..', 'bin', 'edgectl.cjs');

/**
 * Where `create` keeps a descriptor's inline credentials: the local sandbox's
 * secret store (its daemon reads them from there); undefined for another
 * endpoint, which never receives credentials.
 */
export function localSecretStore(command: Command, io: CliIo): SecretStore | undefined {
  const opts = command.optsWithGlobals<{ endpoint?: string }>();
  if (opts.endpoint ?? io.env['EDGE_ENDPOINT']) return undefined;
  return new FileSecretStore(join(edgeHome(io.env, io.cwd), 'secrets.json'));
}

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
