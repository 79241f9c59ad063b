import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Runs `edgectl` as a user does (its bin), collecting both streams. */
function edgectl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '..', '..', 'bin', 'edgectl.cjs'), ...args], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: undefined, POWERTOOLS_METRICS_DISABLED: undefined, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('edgectl demo', () => {
  it('creates and deletes the example edge, its terminal holding progress and events but no handler log lines', async () => {
    const { code, out, err } = await edgectl(['demo']);
    expect([code, err]).toEqual([0, '']);
    expect(out).toMatch(/== create sim-edge: 2 hosts/);
    expect(out).toMatch(/\d+ {2}Provision Running/);
    expect(out).toMatch(/\d+ {2}Provision Deleted/);
    expect(out).toMatch(/p-[0-9a-f]{12}: DELETED; hosts and IPs left at the provider: 0;/);
    expect(out.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
  }, 120_000);
});
