import { Client, type ClientChannel } from 'ssh2';
import { hostKeyMatches } from '../lambdas/hostconfig/hostkey';
import type { CliIo } from './io';

/** Where `host ssh` connects: as the API reports the host. */
export interface SshTarget {
  name: string;
  host: string;
  port: number;
  user: string;
  /** The pinned host key; the connection is refused without one, or when the host presents another. */
  hostKey: string;
}

/** Emits whole lines of a stream to `emit`, the rest when it ends (CliIo writes lines). */
function lines(emit: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      rest += chunk.toString('utf8');
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) emit(part);
    },
    end() {
      if (rest) emit(rest);
      rest = '';
    },
  };
}

/**
 * Opens an SSH session to a host with the provision's key, accepting only
 * its pinned host key. With a command, runs it (stdout and stderr to `io`)
 * and resolves with its exit status; without one, opens a shell on the
 * terminal. Resolves 255 when the connection fails, as ssh does.
 */
export async function runSsh(target: SshTarget, privateKey: string, command: string[], io: CliIo): Promise<number> {
  const client = new Client();
  let mismatch = false;
  const ready = new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  client.connect({
    host: target.host,
    port: target.port,
    username: target.user,
    privateKey,
    readyTimeout: 20_000,
    tryKeyboard: false,
    hostVerifier: (key: Buffer) => {
      mismatch = !hostKeyMatches(target.hostKey, key);
      return !mismatch;
    },
  });
  try {
    await ready;
  } catch (err) {
    io.err(
      mismatch
        ? `edgectl: ${target.name} (${target.host}:${target.port}) presented a host key other than the pinned one; not connecting`
        : `edgectl: cannot connect to ${target.name} (${target.host}:${target.port}): ${(err as Error).message}`,
    );
    client.end();
    return 255;
  }
  try {
    return command.length ? await exec(client, command.join(' '), io) : await shell(client, io);
  } finally {
    client.end();
  }
}

function exec(client: Client, command: string, io: CliIo): Promise<number> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      const out = lines((l) => io.out(l));
      const errs = lines((l) => io.err(l));
      let code = 255;
      stream.on('data', (d: Buffer) => out.push(d));
      stream.stderr.on('data', (d: Buffer) => errs.push(d));
      stream.on('exit', (status: number | null) => {
        code = status ?? 255;
      });
      stream.on('close', () => {
        out.end();
        errs.end();
        resolve(code);
      });
    });
  });
}

function shell(client: Client, io: CliIo): Promise<number> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    io.err('edgectl: no command given and standard input is not a terminal; pass a command after --');
    return Promise.resolve(2);
  }
  return new Promise((resolve, reject) => {
    client.shell(
      { term: io.env['TERM'] ?? 'xterm-256color', rows: process.stdout.rows, cols: process.stdout.columns },
      (err, stream: ClientChannel) => {
        if (err) return reject(err);
        let code = 0;
        stdin.setRawMode(true);
        stdin.resume();
        stdin.pipe(stream);
        stream.pipe(process.stdout);
        stream.stderr.pipe(process.stderr);
        const resize = () => stream.setWindow(process.stdout.rows, process.stdout.columns, 0, 0);
        process.stdout.on('resize', resize);
        stream.on('exit', (status: number | null) => {
          code = status ?? 0;
        });
        stream.on('close', () => {
          process.stdout.off('resize', resize);
          stdin.unpipe(stream);
          stdin.setRawMode(false);
          stdin.pause();
          resolve(code);
        });
      },
    );
  });
}
