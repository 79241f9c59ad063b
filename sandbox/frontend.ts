import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitSession } from '../lambdas/opennebula';
import { DEFAULT_HOST_MONITOR_TIMEOUT_SECONDS } from '../lambdas/provisioning/steps/host-register';
import { NotFoundError, ValidationError } from '../lambdas/shared/errors';
import { FileSecretStore } from './file-secret-store';
import type { SandboxOptions } from './sandbox';

/*
 * Which OpenNebula front-end the local sandbox registers into: the simulated
 * oned by default, or a real one (local mode, like oneprovision on a
 * front-end), named by `edgectl opennebula connect` (kept in the sandbox's
 * secret store) or, for the daemon, by EDGE_OPENNEBULA_URL and
 * EDGE_OPENNEBULA_SESSION, which take precedence.
 */

/** Name of the connected front-end's secret in the sandbox secret store. */
export const FRONTEND_SECRET = 'opennebula-frontend';

/** Environment of the daemon naming a real front-end (both, or neither). */
export const FRONTEND_ENV = {
  url: 'EDGE_OPENNEBULA_URL',
  session: 'EDGE_OPENNEBULA_SESSION',
  /** Optional PEM file of the CA that signed an https front-end's certificate. */
  caFile: 'EDGE_OPENNEBULA_CA_FILE',
} as const;

/** The front-end the sandbox uses. */
export type Frontend =
  | { kind: 'simulated' }
  | {
      kind: 'connected';
      endpoint: string;
      user: string;
      password: string;
      /** Where the choice came from. */
      source: 'environment' | 'connect';
      /** PEM CA certificate(s) for an https front-end with its own CA. */
      ca?: string;
      /** Skip TLS verification (labs only). */
      insecure?: boolean;
    };

/** What `edgectl opennebula connect` stores (the session stays in the secret store). */
export interface FrontendSecret extends Record<string, string> {
  endpoint: string;
  session: string;
}

/** Checks an endpoint: an http(s) URL, nothing else. */
export function checkEndpoint(endpoint: string, path: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ValidationError(`${path}: '${endpoint}' is not a URL`, [{ path, message: 'expected http(s)://host:2633/RPC2' }]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ValidationError(`${path}: '${endpoint}' is not an http(s) URL`, [{ path, message: 'expected http(s)://host:2633/RPC2' }]);
  }
  if (url.username || url.password) {
    throw new ValidationError(`${path}: the URL carries credentials; give them as the session instead`, [
      { path, message: 'no user:password@ in the URL' },
    ]);
  }
  return endpoint;
}

/** Checks a session `user:password` (split on its first `:`, as oned does). */
export function checkSession(session: string, path: string): { user: string; password: string } {
  const parts = splitSession(session.trim());
  if (!parts || parts.password === '') {
    throw new ValidationError(`${path}: expected a session 'user:password' (what ONE_AUTH holds)`, [
      { path, message: "expected 'user:password'" },
    ]);
  }
  return parts;
}

/** The sandbox secret store of a data directory. */
export function sandboxSecrets(home: string | undefined): FileSecretStore {
  return new FileSecretStore(home ? join(home, 'secrets.json') : undefined);
}

/**
 * The front-end for a daemon: the environment's when both variables are set,
 * else the connected one, else the simulated oned. A half-set environment is
 * an error, not a silent fallback to the simulation.
 */
export async function chooseFrontend(env: NodeJS.ProcessEnv, home: string | undefined): Promise<Frontend> {
  const url = env[FRONTEND_ENV.url];
  const session = env[FRONTEND_ENV.session];
  if (url !== undefined || session !== undefined) {
    if (!url || !session) {
      throw new ValidationError(`set both ${FRONTEND_ENV.url} and ${FRONTEND_ENV.session}, or neither`, [
        { path: url ? FRONTEND_ENV.session : FRONTEND_ENV.url, message: 'missing' },
      ]);
    }
    const caFile = env[FRONTEND_ENV.caFile];
    return {
      kind: 'connected',
      endpoint: checkEndpoint(url, FRONTEND_ENV.url),
      ...checkSession(session, FRONTEND_ENV.session),
      source: 'environment',
      ...(caFile ? { ca: readFileSync(caFile, 'utf8') } : {}),
    };
  }
  let stored: Record<string, string>;
  try {
    stored = await sandboxSecrets(home).get(FRONTEND_SECRET);
  } catch (err) {
    if (err instanceof NotFoundError) return { kind: 'simulated' };
    throw err;
  }
  return {
    kind: 'connected',
    endpoint: checkEndpoint(stored['endpoint'] ?? '', 'endpoint'),
    ...checkSession(stored['session'] ?? '', 'session'),
    source: 'connect',
    ...(stored['ca'] ? { ca: stored['ca'] } : {}),
    ...(stored['insecure'] === 'true' ? { insecure: true } : {}),
  };
}

/**
 * A real front-end as the sandbox's OpenNebula. Its transitions take real
 * time (a host is monitored in about a minute), so the monitoring wait is
 * not scaled with the sandbox's simulated time.
 */
export function connectedOpenNebula(frontend: Extract<Frontend, { kind: 'connected' }>): SandboxOptions['openNebula'] {
  return async () => ({
    connection: {
      endpoint: frontend.endpoint,
      user: frontend.user,
      password: frontend.password,
      timeoutMs: 30_000,
      tls: { ...(frontend.ca ? { ca: frontend.ca } : {}), ...(frontend.insecure ? { insecure: true } : {}) },
      pollIntervalMs: 500,
      waitTimeoutMs: 300_000,
    },
    frontend: { endpoint: frontend.endpoint, user: frontend.user, simulated: false, source: frontend.source },
    hostMonitorTimeoutSeconds: DEFAULT_HOST_MONITOR_TIMEOUT_SECONDS,
    close: async () => undefined,
  });
}
