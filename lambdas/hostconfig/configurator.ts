import { isIP } from 'node:net';

import { ValidationError } from '../shared/errors';
import { connectHost, type ConnectSettings, type HostConnection } from './connect';
import { roleFailed, roleInterrupted, unsupportedOs } from './errors';
import { Limiter } from './limiter';
import { HOSTNAME, isValidAddress, isValidUser, validateParams } from './params';
import type {
  ConfigureRequest,
  ConfigureResult,
  HostConfigurator,
  HostTarget,
  OverlaySettings,
  RoleOutputLine,
} from '../provisioning/ports/host-configurator';
import { OVERLAY_ROLE, ROLE_NAMES, ROLES, RoleScripts } from './roles';
import { runRole } from './run-role';
import { buildRoleScript } from './script';

/** Settings of {@link createSshHostConfigurator}. */
export interface SshHostConfiguratorOptions {
  /**
   * Private key (OpenSSH or PEM) the hosts accept, or a function reading it
   * from the secret store when a connection is made (see `privateKeyFromSecret`).
   */
  privateKey: string | (() => Promise<string>);
  passphrase?: string;
  /** Limit of one connection attempt; default 10 s. */
  connectTimeoutMs?: number;
  /**
   * How long a host may take to answer SSH before {@link HostUnreachableError}; default 5 min.
   * `configure` waits no longer than its own `deadlineMs` either.
   */
  reachableWithinMs?: number;
  /** First pause between connection attempts (doubling); default 1 s, at most `maxRetryDelayMs` (10 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Default 15 s. */
  keepaliveIntervalMs?: number;
  /** Hosts configured at once by this instance (each holds one SSH connection); default 10. */
  maxConcurrency?: number;
  /** Per-role time to keep in hand before starting it (overrides the catalogue). */
  roleReserveMs?: Partial<Record<string, number>>;
  /** Directory of the role scripts; default the `roles/` directory beside this file. */
  rolesDir?: string;
  /** Clock, for tests. */
  now?: () => number;
}

/** {@link HostConfigurator} over SSH, with the settings it was made with. */
export interface SshHostConfigurator extends HostConfigurator {
  readonly maxConcurrency: number;
}

const MODES = ['vxlan', 'evpn', 'none'];

function checkTarget(target: HostTarget, errors: Array<{ path: string; message: string }>): void {
  if (!isValidAddress(target.address)) errors.push({ path: 'target.address', message: 'not an IP address or host name' });
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535)
    errors.push({ path: 'target.port', message: 'not a TCP port' });
  if (!isValidUser(target.user)) errors.push({ path: 'target.user', message: 'not a valid user name' });
  if (!HOSTNAME.test(target.hostName)) errors.push({ path: 'target.hostName', message: 'not a valid host name' });
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(target.provisionId))
    errors.push({ path: 'target.provisionId', message: 'not a valid provision id' });
  if (
    target.hostKey !== undefined &&
    !/^(SHA256:[A-Za-z0-9+/]{43}|[a-z0-9@.-]{3,64} [A-Za-z0-9+/]+={0,3}( \S+)?)$/.test(target.hostKey.trim())
  )
    errors.push({ path: 'target.hostKey', message: 'not an OpenSSH public key or SHA256 fingerprint' });
}

function checkOverlay(peers: string[], overlay: OverlaySettings, errors: Array<{ path: string; message: string }>): void {
  peers.forEach((peer, i) => {
    if (isIP(peer) !== 4) errors.push({ path: `peers[${i}]`, message: 'not an IPv4 address' });
  });
  if (!MODES.includes(overlay.mode)) errors.push({ path: 'overlay.mode', message: `one of ${MODES.join(', ')}` });
  if (!Number.isInteger(overlay.vni) || overlay.vni < 1 || overlay.vni > 16_777_215)
    errors.push({ path: 'overlay.vni', message: 'VNI between 1 and 16777215' });
}

function fail(errors: Array<{ path: string; message: string }>): void {
  if (errors.length > 0) {
    const list = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new ValidationError(`invalid host configuration request (${list})`, errors);
  }
}

/** The environment every role of one host gets: the caller's parameters plus what the runner owns. */
function roleEnv(target: HostTarget, params: Record<string, string>, peers: string[], overlay: OverlaySettings): Record<string, string> {
  const env: Record<string, string> = {
    // The port we reach sshd on stays open unless the caller knows better (NAT in front of the host).
    EDGE_SSH_PORT: String(target.port),
    ...params,
    EDGE_PROVISION_ID: target.provisionId,
    EDGE_HOST_NAME: target.hostName,
    EDGE_OVERLAY_MODE: overlay.mode,
    EDGE_VNI: String(overlay.vni),
    EDGE_PEERS: [...new Set(peers)].join(' '),
  };
  validateParams(env);
  return env;
}

/**
 * Builds the SSH host configurator: one connection per host reused for all its
 * roles, at most `maxConcurrency` hosts at once, host keys pinned.
 */
export function createSshHostConfigurator(options: SshHostConfiguratorOptions): SshHostConfigurator {
  const now = options.now ?? Date.now;
  const scripts = new RoleScripts(options.rolesDir);
  const limiter = new Limiter(options.maxConcurrency ?? 10);
  const reserve = (role: string) => options.roleReserveMs?.[role] ?? ROLES.find((r) => r.name === role)?.reserveMs ?? 0;

  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const reachableWithinMs = options.reachableWithinMs ?? 300_000;

  /** `budgetMs` caps the wait for SSH: an invocation must not outlive its own deadline waiting for a host. */
  const connect = async (target: HostTarget, budgetMs = reachableWithinMs): Promise<HostConnection> => {
    const privateKey = typeof options.privateKey === 'function' ? await options.privateKey() : options.privateKey;
    const settings: ConnectSettings = {
      privateKey,
      passphrase: options.passphrase,
      connectTimeoutMs,
      reachableWithinMs: Math.min(reachableWithinMs, Math.max(budgetMs, connectTimeoutMs)),
      retryDelayMs: options.retryDelayMs ?? 1_000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? 15_000,
      now,
    };
    return connectHost(target, settings);
  };

  /** Runs one role and turns a bad ending into the matching named error. */
  const runChecked = async (
    connection: HostConnection,
    target: HostTarget,
    role: string,
    env: Record<string, string>,
    log: (line: RoleOutputLine) => void,
  ) => {
    const script = buildRoleScript(scripts, role, env);
    const outcome = await runRole(connection, role, script, { sudo: target.user !== 'root', now }, log);
    const host = `${target.hostName} (${target.address}:${target.port})`;
    if (outcome.exitCode === null) throw roleInterrupted(host, role, outcome.lastLines, connection.lostWith());
    if (outcome.exitCode === 100 && role === 'os-check') throw unsupportedOs(host, role, outcome.lastLines);
    if (outcome.exitCode !== 0 || outcome.report.changed === undefined) throw roleFailed(host, role, outcome.exitCode, outcome.lastLines);
    return { changed: outcome.report.changed, facts: outcome.report.facts, durationMs: outcome.durationMs };
  };

  return {
    maxConcurrency: options.maxConcurrency ?? 10,

    roles: () => ROLE_NAMES,

    async configure(request: ConfigureRequest, log: (line: RoleOutputLine) => void): Promise<ConfigureResult> {
      const started = now();
      const errors: Array<{ path: string; message: string }> = [];
      checkTarget(request.target, errors);
      checkOverlay(request.peers, request.overlay, errors);
      const first = request.fromRole ?? ROLE_NAMES[0] ?? '';
      if (!ROLE_NAMES.includes(first)) errors.push({ path: 'fromRole', message: `one of ${ROLE_NAMES.join(', ')}` });
      fail(errors);
      const env = roleEnv(request.target, request.params, request.peers, request.overlay);
      const pending = ROLE_NAMES.slice(ROLE_NAMES.indexOf(first));

      return limiter.run(async () => {
        const connection = await connect(request.target, request.deadlineMs - (now() - started));
        const result: ConfigureResult = { done: true, hostKey: connection.hostKey, facts: {}, rolesRun: [] };
        try {
          for (const role of pending) {
            const left = request.deadlineMs - (now() - started);
            // At least one role per call, so a small budget still makes progress.
            if (result.rolesRun.length > 0 && left < reserve(role)) {
              result.done = false;
              result.nextRole = role;
              break;
            }
            const ran = await runChecked(connection, request.target, role, env, log);
            Object.assign(result.facts, ran.facts);
            result.rolesRun.push({ role, changed: ran.changed, durationMs: ran.durationMs });
          }
          return result;
        } finally {
          connection.close();
        }
      });
    },

    async setPeers(target, peers, overlay, log = () => undefined): Promise<void> {
      const errors: Array<{ path: string; message: string }> = [];
      checkTarget(target, errors);
      checkOverlay(peers, overlay, errors);
      fail(errors);
      const env = roleEnv(target, {}, peers, overlay);
      await limiter.run(async () => {
        const connection = await connect(target);
        try {
          await runChecked(connection, target, OVERLAY_ROLE, env, log);
        } finally {
          connection.close();
        }
      });
    },
  };
}
