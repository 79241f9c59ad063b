import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Server as SshServer, utils, type Connection, type ParsedKey } from 'ssh2';

import { readCalls, seedHostRootAsync, type HostRootOptions } from './root';
import { createShimBin } from './shim-bin';
import { spawnHostProcess, type HostProcess } from './process-spawner';
import { generateSshKeyPair } from '../../lambdas/hostconfig/keys';

/** Ways a simulated host misbehaves. */
export interface SimHostFaults {
  /** Reject every authentication attempt. */
  refuseAuth?: boolean;
  /** Slow boot: nothing listens on the port until this many ms after start. */
  listenAfterMs?: number;
  /** Present a host key other than the one reported as `hostKey` (reinstalled host, or someone in between). */
  presentOtherHostKey?: boolean;
  /** Cut the connection once, while this role runs (after its first output line). */
  dropDuringRole?: string;
  /** Added before each authentication answer and each command start. */
  latencyMs?: number;
}

/** What survives a power-off: the host's disk (its root) and its SSH host key. */
export interface SimHostDisk {
  base: string;
  hostKey: { private: string; public: string };
}

/** Calibrated latencies of a host far away (real, already scaled ms; see `sandbox/latency-model.ts`). */
export interface SimHostLatency {
  /** Before answering authentication: the handshake's round trips. */
  handshakeMs(): number;
  /** Before starting each command: its round trip. */
  commandMs(): number;
  /**
   * How long a role that changed the host takes in all (package downloads...):
   * its status is held back until that long after the command started.
   */
  roleMs(role: string): number;
}

/** Input of {@link startSimHost}. */
export interface SimHostOptions extends Omit<HostRootOptions, 'sshHostPublicKey'> {
  name: string;
  /** OpenSSH public key the host accepts (the configurator's key). */
  authorizedKey: string;
  faults?: SimHostFaults;
  /**
   * A directory the host lives in across restarts (its root, its host key):
   * a sandbox that restarts brings the host back as it was, as a machine that
   * kept running would be. Without it the host lives in a temporary directory.
   */
  home?: string;
  /** Listen on this port (the one a restarted host had before), if it is free. */
  port?: number;
  /** Boot from this disk (a host powered off and on again): same files, same host key. */
  disk?: SimHostDisk;
  latency?: SimHostLatency;
  /** A stand-in command directory (`createShimBin`) to share; the host makes its own when unset. */
  binDir?: string;
}

/** A running simulated host. */
export interface SimHost {
  name: string;
  address: '127.0.0.1';
  port: number;
  /** Its underlay (private network) IPv4 address, as the roles see it. */
  underlay: string;
  /** The host key it reports (`ssh-ed25519 AAAA...`), to pin. */
  hostKey: string;
  /** Sandbox root: the host's `/`. */
  root: string;
  /** Privileged calls made so far, one command line each. */
  calls(): string[];
  /** Open and close times (ms since epoch) of every authenticated SSH connection so far. */
  connections(): Array<{ openedAt: number; closedAt?: number }>;
  /** Replaces the fault settings (e.g. heal a host between two attempts). */
  setFaults(faults: SimHostFaults): void;
  /** Its disk, to boot from again after a power-off. */
  disk: SimHostDisk;
  /**
   * Stops it. The root is deleted unless `keepDisk` (a power-off: the next
   * start boots the same disk) or `keep` with a home (a sandbox stop: the
   * host comes back as it was); else the host is gone for good.
   */
  close(options?: { keep?: boolean; keepDisk?: boolean }): Promise<void>;
}

const ROLE_MARK = /^export EDGE_ROLE='([a-z0-9-]+)'$/m;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  const free = await new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function keyMatches(allowed: ParsedKey, ctx: { key: { algo: string; data: Buffer } }): boolean {
  return ctx.key.algo === allowed.type && ctx.key.data.equals(allowed.getPublicSSH());
}

/**
 * Starts an SSH server on a loopback port that runs what it is sent under
 * bash, against a sandbox root with privileged commands stood in (see
 * `shim/edge-sim-shim`). Only public key authentication with `authorizedKey`.
 */
export async function startSimHost(options: SimHostOptions): Promise<SimHost> {
  let faults: SimHostFaults = { ...options.faults };
  const base =
    options.disk?.base ?? options.home ?? (await mkdtemp(join(tmpdir(), `edge-sim-${options.name.replace(/[^A-Za-z0-9-]/g, '')}-`)));
  await mkdir(base, { recursive: true, mode: 0o700 });
  const root = join(base, 'root');
  const bin = options.binDir ?? (options.disk ? join(base, 'bin') : createShimBin(join(base, 'bin')));
  const keyFile = join(base, 'host-key.json');
  // A disk booted again, or a home kept across a restart: same files, same key.
  // The key is written once the root is seeded, so a half-seeded home is seeded again.
  const restarted = options.disk !== undefined || (existsSync(keyFile) && existsSync(root));
  const reported =
    options.disk?.hostKey ??
    (restarted ? (JSON.parse(await readFile(keyFile, 'utf8')) as { private: string; public: string }) : generateSshKeyPair());
  const served = faults.presentOtherHostKey ? generateSshKeyPair() : reported;
  if (!restarted) {
    // Off the event loop: a sandbox starts hosts while its executions run.
    await seedHostRootAsync(root, { ...options, sshHostPublicKey: reported.public });
    await writeFile(keyFile, JSON.stringify(reported), { mode: 0o600 });
  }
  const parsed = utils.parseKey(options.authorizedKey);
  if (parsed instanceof Error) throw parsed;
  const allowed = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!allowed) throw new Error('authorizedKey holds no key');

  const sockets = new Set<Socket>();
  const children = new Set<HostProcess>();
  const connectionLog: Array<{ openedAt: number; closedAt?: number }> = [];
  let dropped = false;

  const env = { PATH: bin, EDGE_ROOT: root, HOME: join(root, 'root'), LANG: 'C.UTF-8', TMPDIR: join(root, 'tmp') };

  const onClient = (client: Connection, socket: Socket): void => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      void (async () => {
        if (faults.latencyMs) await delay(faults.latencyMs);
        if (options.latency) await delay(options.latency.handshakeMs());
        if (faults.refuseAuth || ctx.method !== 'publickey' || !keyMatches(allowed, ctx)) {
          ctx.reject(['publickey']);
          return;
        }
        if (ctx.signature && ctx.blob && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
          ctx.reject(['publickey']);
          return;
        }
        ctx.accept();
      })();
    });
    client.on('ready', () => {
      const entry: { openedAt: number; closedAt?: number } = { openedAt: Date.now() };
      connectionLog.push(entry);
      client.on('close', () => {
        entry.closedAt = Date.now();
      });
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          void (async () => {
            if (faults.latencyMs) await delay(faults.latencyMs);
            if (options.latency) await delay(options.latency.commandMs());
            const startedAt = Date.now();
            const child = spawnHostProcess(env.PATH + '/bash', ['-c', info.command], { cwd: root, env });
            children.add(child);
            let role: string | undefined;
            let input = '';
            // A role that changed something did the work its latency stands for; an unchanged one did not.
            let changed = false;
            let outTail = '';
            stream.on('data', (chunk: Buffer) => {
              if (role === undefined) {
                input += chunk.toString('utf8');
                role = ROLE_MARK.exec(input)?.[1];
              }
              child.stdin.write(chunk);
            });
            stream.on('end', () => child.stdin.end());
            child.stdin.on('error', () => undefined);
            child.stdout.on('data', (chunk: Buffer) => {
              stream.write(chunk);
              if (options.latency && !changed) {
                outTail = (outTail + chunk.toString('utf8')).slice(-256);
                changed = outTail.includes('EDGE_RESULT changed');
              }
              if (!dropped && role !== undefined && role === faults.dropDuringRole) {
                dropped = true;
                child.killGroup();
                socket.destroy();
              }
            });
            child.stderr.on('data', (chunk: Buffer) => stream.stderr.write(chunk));
            child.on('close', (code, signal) => {
              children.delete(child);
              void (async () => {
                // The role's real work time includes what its script did here.
                if (options.latency && role !== undefined && code === 0 && changed) {
                  await delay(Math.max(0, options.latency.roleMs(role) - (Date.now() - startedAt)));
                }
                if (signal) stream.exit(signal, false, '');
                else stream.exit(code ?? 1);
                stream.end();
              })();
            });
          })();
        });
      });
    });
  };

  const ssh = new SshServer({ hostKeys: [served.private] }, (client, info) => {
    const socket = [...sockets].find((candidate) => candidate.remotePort === info.port);
    if (socket) onClient(client, socket);
    else client.end();
  });
  const port = options.port !== undefined && (await portIsFree(options.port)) ? options.port : await freePort();
  const tcp: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    ssh.injectSocket(socket);
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, '127.0.0.1', () => resolve());
    });
  let listening: Promise<void>;
  if (faults.listenAfterMs) {
    listening = delay(faults.listenAfterMs).then(listen);
    listening.catch(() => undefined);
  } else {
    listening = listen();
    await listening;
  }

  return {
    name: options.name,
    address: '127.0.0.1',
    port,
    hostKey: reported.public.trim(),
    underlay: (options.address ?? '10.0.0.10/24').split('/')[0] ?? '',
    root,
    calls: () => readCalls(root),
    connections: () => connectionLog.map((entry) => ({ ...entry })),
    setFaults: (next) => {
      faults = { ...next };
    },
    disk: { base, hostKey: { private: reported.private, public: reported.public } },
    close: async (closing = {}) => {
      await listening.catch(() => undefined);
      for (const child of children) child.killGroup();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (!closing.keepDisk && !(closing.keep && options.home)) await rm(base, { recursive: true, force: true });
    },
  };
}
