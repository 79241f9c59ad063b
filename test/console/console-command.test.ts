import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EDGECTL_ENTRY } from '../../cli/connect';
import { openerFor } from '../../cli/commands/console';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';
import { startLocalApi, type LocalApiServer } from '../../sandbox/http-server';
import { startMemorySandbox } from '../support/memory-sandbox';
import { until } from '../support/until';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

/** Runs edgectl as a user would; `lines` fills as it prints. */
function edgectl(
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; out: string[]; err: string[]; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [EDGECTL_ENTRY, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout?.on('data', (d: Buffer) => out.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (d: Buffer) => err.push(...d.toString().split('\n').filter(Boolean)));
  return { child, out, err, exit: new Promise((r) => child.once('exit', (code) => r(code))) };
}

/** Runs edgectl in this process (for the verbs' failures, which end before anything is served). */
async function inProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: tmpdir(), env: { EDGE_TOKEN: 'tok' } };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('edgectl console', () => {
  let s: S;
  let api: LocalApiServer;
  const dir = mkdtempSync(join(tmpdir(), 'edge-console-cmd-'));

  beforeAll(async () => {
    s = await startMemorySandbox();
    api = await startLocalApi({ token: 'tok' });
  });
  afterAll(async () => {
    await api.close();
    await s.close();
  });

  it('serves the console for --endpoint, prints its URL last, opens it with --open, and stops on SIGTERM', async () => {
    // A stand-in for xdg-open that records the URL it was asked to open.
    const bin = join(dir, 'bin');
    const opened = join(dir, 'opened.txt');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const run = edgectl(['console', '--endpoint', api.url, '--open'], { EDGE_TOKEN: 'tok', PATH: `${bin}:${process.env['PATH'] ?? ''}` });
    try {
      const lines = await until(
        async () => run.out,
        (o) => o.some((l) => l.startsWith('http://127.0.0.1:')),
        30_000,
      );
      const url = lines[lines.length - 1] ?? '';
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
      expect(lines[0]).toContain(`console for the API at ${api.url}`);
      const token = url.split('token=')[1] ?? '';
      const res = await fetch(url.replace(/\/\?token=.*/, '/api/providers'), { headers: { authorization: `Bearer ${token}` } });
      expect(await res.json()).toMatchObject({ providers: expect.arrayContaining(['sim']) });
      await until(
        async () => existsSync(opened),
        (ok) => ok,
        10_000,
      );
      expect(readFileSync(opened, 'utf8')).toBe(url);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exit).toBe(0);
  });

  it('refuses a bad port and a port in use with a clear message', async () => {
    const bad = await inProcess(['console', '--endpoint', api.url, '--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("expected a port number (0-65535), found 'eighty'");

    const taken = http.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const busy = await inProcess(['console', '--endpoint', api.url, '--port', String(port)]);
      expect(busy.code).toBe(1);
      expect(busy.err).toContain(`port ${port} is in use on 127.0.0.1; pick another with --port`);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('fails before serving anything when the endpoint does not answer', async () => {
    const down = await inProcess(['console', '--endpoint', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.err).toContain('cannot reach the API at http://127.0.0.1:9');
    expect(down.out).toBe('');
  });

  it('opens URLs the way each platform does', () => {
    expect(openerFor('linux', 'http://x')).toEqual({ command: 'xdg-open', args: ['http://x'] });
    expect(openerFor('darwin', 'http://x')).toEqual({ command: 'open', args: ['http://x'] });
    expect(openerFor('win32', 'http://x').command).toBe('cmd');
  });
});
