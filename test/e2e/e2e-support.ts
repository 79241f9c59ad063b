import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../cli/api-client';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';
import { startSandboxWithApi } from '../../sandbox/daemon';
export { until } from '../support/until';

/** Descriptors of the end-to-end tests. */
export const E2E_FIXTURES = join(__dirname, 'fixtures');

/** The full sandbox (simulated oned and SSH hosts) behind its HTTP API, with a client and edgectl wired to it. */
export async function startStack() {
  const token = randomBytes(8).toString('hex');
  const stack = await startSandboxWithApi({ token });
  const api = ApiClient.withToken(stack.api.url, token);
  const dir = mkdtempSync(join(tmpdir(), 'edge-e2e-'));
  const env = { ...process.env, EDGE_ENDPOINT: stack.api.url, EDGE_TOKEN: token, EDGE_HOME: join(dir, 'home') };
  /** Runs edgectl in-process against the stack; resolves with its exit code and output. */
  const edgectl = async (...argv: string[]) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd: E2E_FIXTURES, env };
    const code = await main(argv, io);
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  };
  return { ...stack, client: api, edgectl };
}
