import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSandbox, DEFAULT_TIME_SCALE, type FrontendInfo, type Sandbox, type SandboxOptions } from './sandbox';
import { simHosts, simOpenNebula } from './defaults';
import { chooseFrontend, connectedOpenNebula } from './frontend';
import { startLocalApi, type LocalApiServer } from './http-server';
import type { LatencyModel } from './latency-model';

/** What a running daemon publishes in its data directory. */
export interface DaemonInfo {
  pid: number;
  url: string;
  port: number;
  startedAt: string;
  /** The OpenNebula front-end it registers into (no credentials). */
  openNebula?: FrontendInfo;
}

/** The sandbox data directory: `EDGE_HOME`, or `.edge/` in the working directory. */
export function edgeHome(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, env['EDGE_HOME'] ?? '.edge');
}

/** The local API token, created (mode 0600) on first use. */
export function sandboxToken(home: string): string {
  const path = join(home, 'token');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(home, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * A full sandbox (sim hosts, sim provider, and the simulated oned unless
 * another front-end is given) plus its local API.
 */
export async function startSandboxWithApi(options: {
  home?: string;
  port?: number;
  token: string;
  timeScale?: number;
  seed?: number;
  openNebula?: SandboxOptions['openNebula'];
  /** Calibrated latencies for the provider, IPAM, oned and the hosts (its time scale wins). */
  latencyModel?: LatencyModel;
}): Promise<{
  sandbox: Sandbox;
  api: LocalApiServer;
  close(): Promise<void>;
}> {
  const model = options.latencyModel;
  const timeScale = model?.timeScale ?? options.timeScale ?? DEFAULT_TIME_SCALE;
  const sandbox = await startSandbox({
    home: options.home,
    timeScale,
    seed: options.seed,
    latencyModel: model,
    openNebula: options.openNebula ?? simOpenNebula(timeScale, model),
    hostConfigurator: simHosts(model),
  });
  const api = await startLocalApi({ port: options.port, token: options.token });
  return {
    sandbox,
    api,
    close: async () => {
      await api.close();
      await sandbox.close();
    },
  };
}

/**
 * Runs the sandbox daemon in this process until SIGTERM/SIGINT: state in
 * `home`, API on loopback, `daemon.json` naming its pid, URL and OpenNebula
 * front-end (EDGE_OPENNEBULA_URL/EDGE_OPENNEBULA_SESSION, else the one
 * `edgectl opennebula connect` stored, else the simulated oned).
 */
export async function runDaemon(options: {
  home: string;
  port?: number;
  token?: string;
  timeScale?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<DaemonInfo> {
  mkdirSync(options.home, { recursive: true });
  const token = options.token ?? sandboxToken(options.home);
  if (options.token) writeFileSync(join(options.home, 'token'), `${token}\n`, { mode: 0o600 });
  const frontend = await chooseFrontend(options.env ?? process.env, options.home);
  const running = await startSandboxWithApi({
    home: options.home,
    port: options.port,
    token,
    timeScale: options.timeScale,
    ...(frontend.kind === 'connected' ? { openNebula: connectedOpenNebula(frontend) } : {}),
  });
  const info: DaemonInfo = {
    pid: process.pid,
    url: running.api.url,
    port: running.api.port,
    startedAt: new Date().toISOString(),
    ...(running.sandbox.frontend ? { openNebula: running.sandbox.frontend } : {}),
  };
  const infoPath = join(options.home, 'daemon.json');
  writeFileSync(infoPath, JSON.stringify(info));
  const stop = () => {
    void running.close().finally(() => {
      rmSync(infoPath, { force: true });
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return info;
}

/** The daemon's info when one is running for `home` (its pid alive and its API answering). */
export async function runningDaemon(home: string): Promise<DaemonInfo | undefined> {
  const path = join(home, 'daemon.json');
  if (!existsSync(path)) return undefined;
  let info: DaemonInfo;
  try {
    info = JSON.parse(readFileSync(path, 'utf8')) as DaemonInfo;
    process.kill(info.pid, 0);
  } catch {
    rmSync(path, { force: true });
    return undefined;
  }
  try {
    const res = await fetch(`${info.url}/providers`, {
      headers: { authorization: `Bearer ${sandboxToken(home)}` },
      signal: AbortSignal.timeout(2000),
    });
    return res.ok ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a daemon in the background for `home` unless one runs; resolves when its API answers. */
export async function ensureDaemon(home: string, entry: string, timeoutMs = 30_000): Promise<DaemonInfo> {
  const current = await runningDaemon(home);
  if (current) return current;
  mkdirSync(home, { recursive: true });
  sandboxToken(home);
  const log = openSync(join(home, 'daemon.log'), 'a');
  const child = spawn(process.execPath, [entry, 'serve', '--home', home], {
    detached: true,
    stdio: ['ignore', log, log],
    env: process.env,
  });
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    const info = await runningDaemon(home);
    if (info) return info;
    if (child.exitCode !== null) break;
  }
  throw new Error(`the sandbox daemon did not start; see ${join(home, 'daemon.log')}`);
}

/** Stops the daemon of `home`, if any; resolves when it is gone. */
export async function stopDaemon(home: string): Promise<boolean> {
  const path = join(home, 'daemon.json');
  if (!existsSync(path)) return false;
  const info = JSON.parse(readFileSync(path, 'utf8')) as DaemonInfo;
  try {
    process.kill(info.pid, 'SIGTERM');
  } catch {
    rmSync(path, { force: true });
    return false;
  }
  for (let i = 0; i < 100; i += 1) {
    try {
      process.kill(info.pid, 0);
      await new Promise((r) => setTimeout(r, 100));
    } catch {
      break;
    }
  }
  rmSync(path, { force: true });
  return true;
}
