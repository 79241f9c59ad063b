import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { whichSync } from './shim-bin';

/** The real OpenSSH server binary, if installed. */
export function findSshd(): string | undefined {
  return whichSync('sshd', ['/usr/sbin', '/usr/local/sbin', '/sbin', process.env['PATH'] ?? ''].join(':'));
}

/** A loopback port free at the time of asking. */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * Runs `sshd -D -e -f config` and resolves once it listens (its own log line
 * says so), or rejects with that log when it exits or stays silent for 5 s.
 */
export async function launchSshd(binary: string, config: string): Promise<ChildProcess> {
  // Privilege separation directory the Debian service would create.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
  const child = spawn(binary, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start: ${log}`)), 5_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Server listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${code}: ${log}`));
    });
  });
  child.stderr?.resume();
  return child;
}

/** Stops an sshd started by {@link launchSshd} and waits for it to exit. */
export async function stopSshd(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
