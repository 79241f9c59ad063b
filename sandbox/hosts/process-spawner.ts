import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';

/** Output of a host process: `data` events with Buffers. */
export interface HostOutput {
  on(event: 'data', listener: (chunk: Buffer) => void): this;
}

/** A process started for a simulated host: the part of `ChildProcess` its SSH server uses. */
export interface HostProcess {
  stdin: { write(chunk: Buffer): void; end(): void; on(event: 'error', listener: (err: Error) => void): void };
  stdout: HostOutput;
  stderr: HostOutput;
  /** `close` once, after every output event: exit code, or the signal that ended it. */
  on(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  /** Kills the process and everything it started. */
  killGroup(): void;
}

type Message =
  | { t: 'out' | 'err'; id: number; d: Uint8Array }
  | { t: 'close'; id: number; code: number | null; signal: NodeJS.Signals | null };

class RemoteProcess extends EventEmitter implements HostProcess {
  readonly stdout = new EventEmitter() as EventEmitter & HostOutput;
  readonly stderr = new EventEmitter() as EventEmitter & HostOutput;
  readonly stdin;

  constructor(
    private readonly id: number,
    private readonly post: (message: object) => void,
  ) {
    super();
    this.stdin = {
      write: (chunk: Buffer) => post({ t: 'in', id, d: chunk }),
      end: () => post({ t: 'end', id }),
      on: () => undefined,
    };
  }

  killGroup(): void {
    this.post({ t: 'kill', id: this.id });
  }
}

let helper: ChildProcess | undefined;
const running = new Map<number, RemoteProcess>();
let nextId = 0;

function spawner(): ChildProcess {
  if (helper?.connected) return helper;
  const child = fork(join(__dirname, 'spawner-child.cjs'), [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [],
  });
  child.on('message', (m: Message) => {
    const p = running.get(m.id);
    if (!p) return;
    if (m.t === 'close') {
      running.delete(m.id);
      p.emit('close', m.code, m.signal);
    } else {
      (m.t === 'out' ? p.stdout : p.stderr).emit('data', Buffer.from(m.d.buffer, m.d.byteOffset, m.d.byteLength));
    }
  });
  child.on('exit', () => {
    if (helper === child) helper = undefined;
    for (const [id, p] of running) {
      running.delete(id);
      p.emit('close', null, 'SIGKILL');
    }
  });
  // An idle spawner must not keep the process alive.
  child.unref();
  child.channel?.unref();
  helper = child;
  return child;
}

/** Process id of the spawner while it runs (its CPU, and its children's, is the simulated hosts'). */
export function spawnerPid(): number | undefined {
  return helper?.connected ? helper.pid : undefined;
}

/**
 * Starts `file args` for a simulated host, in its own process group, through
 * a small spawner process (forking the large sandbox process itself costs
 * its event loop tens of milliseconds per process).
 */
export function spawnHostProcess(file: string, args: string[], options: { cwd: string; env: Record<string, string> }): HostProcess {
  const child = spawner();
  nextId += 1;
  const id = nextId;
  const post = (message: object) => {
    if (child.connected) child.send(message);
  };
  const p = new RemoteProcess(id, post);
  running.set(id, p);
  post({ t: 'spawn', id, file, args, cwd: options.cwd, env: options.env });
  return p;
}
