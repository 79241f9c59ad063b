import { connect } from 'node:net';

/** Whether a TCP port answers; never throws. */
export type ReachabilityProbe = (host: string, port: number, timeoutMs: number) => Promise<boolean>;

/**
 * Opens a TCP connection and closes it at once: enough to know sshd (or
 * something) listens, without logging in. Bounded by `timeoutMs` so a
 * firewalled host cannot hold a Lambda.
 */
export const tcpProbe: ReachabilityProbe = (host, port, timeoutMs) =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
