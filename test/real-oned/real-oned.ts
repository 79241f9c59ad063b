import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * OpenNebula's own oned, built from source, shipped beside the project in
 * `../shared/tools/real-oned` (`EDGE_REAL_ONED_TOOL` points elsewhere). Its
 * `start` prints `ONED_URL` and `ONED_SESSION`; `stop` ends it.
 */
export const REAL_ONED_TOOL = resolve(
  process.env['EDGE_REAL_ONED_TOOL'] ?? join(__dirname, '..', '..', '..', 'shared', 'tools', 'real-oned'),
);

/** Whether the tool is there; the tier skips with this reason when it is not. */
export function realOnedAvailable(): { ok: true } | { ok: false; why: string } {
  if (!existsSync(join(REAL_ONED_TOOL, 'start'))) return { ok: false, why: `no real oned at ${REAL_ONED_TOOL} (set EDGE_REAL_ONED_TOOL)` };
  if (process.getuid?.() !== 0) return { ok: false, why: 'the real oned runs as root (its start installs Debian packages)' };
  return { ok: true };
}

/** A running real oned. */
export interface RealOned {
  url: string;
  session: string;
  user: string;
  password: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = net.createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A port for oned whose derived ports (monitord +1491, hook manager -532/-531, gRPC +1) are free too. */
async function freeOnedPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const all = [port, port + 1, port + 1491, port - 532, port - 531];
    if ((await Promise.all(all.map(portFree))).every(Boolean)) return port;
  }
  throw new Error('no free port for the real oned');
}

function run(script: string, args: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(join(REAL_ONED_TOOL, script), args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Starts a fresh real oned on a free loopback port in a temporary directory. */
export async function startRealOned(): Promise<RealOned> {
  const port = await freeOnedPort();
  const dir = mkdtempSync(join(tmpdir(), 'edge-real-oned-'));
  // The first start on a machine installs its runtime packages with apt-get.
  const started = await run('start', ['--port', String(port), '--dir', dir], 600_000);
  const env = Object.fromEntries(
    started.stdout
      .split('\n')
      .map((line) => /^(ONED_URL|ONED_SESSION)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  const stop = async () => {
    await run('stop', ['--port', String(port), '--dir', dir], 60_000);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = env['ONED_URL'];
  const session = env['ONED_SESSION'];
  if (started.code !== 0 || !url || !session) {
    await stop();
    throw new Error(`real oned did not start (exit ${started.code}): ${started.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  }
  const colon = session.indexOf(':');
  return { url, session, user: session.slice(0, colon), password: session.slice(colon + 1), port, dir, stop };
}
