import { NodeSSH } from 'node-ssh';

import { HostAuthError, HostKeyMismatchError, HostUnreachableError } from '../shared/errors';
import { formatHostKey, hostKeyMatches } from './hostkey';
import type { HostTarget } from '../provisioning/ports/host-configurator';

/** How hard to try reaching a host. */
export interface ConnectSettings {
  privateKey: string;
  passphrase?: string;
  /** Limit of one attempt (TCP + SSH handshake + auth). */
  connectTimeoutMs: number;
  /** Keep trying for this long before giving up with {@link HostUnreachableError}. */
  reachableWithinMs: number;
  /** First pause between attempts; doubles up to `maxRetryDelayMs`. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** SSH keepalive, so a host that silently vanishes mid-role is noticed. */
  keepaliveIntervalMs: number;
  now: () => number;
}

/** An open SSH connection to one host. */
export interface HostConnection {
  ssh: NodeSSH;
  /** The key the host presented, `type base64`. */
  hostKey: string;
  /** The error that ended the connection, if it ended. */
  lostWith(): Error | undefined;
  close(): void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describeTarget(target: HostTarget): string {
  return `${target.hostName} (${target.address}:${target.port})`;
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (authRefused(err)) return `public key authentication refused (${message})`;
  return message;
}

/** The host answered SSH and refused the key (as opposed to not answering at all). */
function authRefused(err: unknown): boolean {
  return /authentication methods failed/i.test(err instanceof Error ? err.message : String(err));
}

/**
 * Connects with key authentication, retrying until the host answers or the
 * window closes. Host keys: with a pin, any other key fails at once with
 * {@link HostKeyMismatchError} (never retried, never accepted); without one,
 * the first key is accepted and returned for the caller to pin.
 */
export async function connectHost(target: HostTarget, settings: ConnectSettings): Promise<HostConnection> {
  const started = settings.now();
  let delay = settings.retryDelayMs;
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts += 1;
    const seen: { key?: Buffer; mismatch?: boolean } = {};
    const ssh = new NodeSSH();
    try {
      await ssh.connect({
        host: target.address,
        port: target.port,
        username: target.user,
        privateKey: settings.privateKey,
        passphrase: settings.passphrase,
        readyTimeout: settings.connectTimeoutMs,
        keepaliveInterval: settings.keepaliveIntervalMs,
        keepaliveCountMax: 3,
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          seen.key = key;
          if (target.hostKey && !hostKeyMatches(target.hostKey, key)) {
            seen.mismatch = true;
            return false;
          }
          return true;
        },
      });
      return open(ssh, seen.key);
    } catch (err) {
      ssh.dispose();
      if (seen.mismatch && seen.key) {
        throw new HostKeyMismatchError(
          `host ${describeTarget(target)} presented host key ${formatHostKey(seen.key)}, but ${target.hostKey} is pinned; ` +
            'refusing to connect (reinstalled host or a machine in the middle?)',
        );
      }
      lastError = err;
    }
    const left = settings.reachableWithinMs - (settings.now() - started);
    if (left <= 0) break;
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, settings.maxRetryDelayMs);
  }
  // A key can arrive late (cloud-init), so refusals were retried in the window too; the name says what was wrong.
  if (authRefused(lastError)) {
    throw new HostAuthError(
      `host ${describeTarget(target)} refused the key of user ${target.user} for ${settings.reachableWithinMs} ms ` +
        `(${attempts} attempts): ${reason(lastError)}; check remote_user and that the host trusts the runner's key`,
      { cause: lastError },
    );
  }
  throw new HostUnreachableError(
    `host ${describeTarget(target)} not reachable over SSH within ${settings.reachableWithinMs} ms ` +
      `(${attempts} attempts): ${reason(lastError)}`,
    { cause: lastError },
  );
}

function open(ssh: NodeSSH, key: Buffer | undefined): HostConnection {
  const client = ssh.connection;
  if (!client || !key) throw new Error('SSH connection opened without a host key');
  let lost: Error | undefined;
  // ssh2 emits 'error' on a dropped socket; unheard, it would crash the process.
  client.on('error', (err: Error) => {
    lost = err;
  });
  client.on('close', () => {
    lost ??= new Error('connection closed by the host');
  });
  return {
    ssh,
    hostKey: formatHostKey(key),
    lostWith: () => lost,
    close: () => ssh.dispose(),
  };
}
