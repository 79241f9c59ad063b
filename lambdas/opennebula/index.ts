import { OpenNebulaAdapter } from './adapter';
import { OpenNebulaClient } from './client';
import type { OneTlsOptions } from './transport';

export { OpenNebulaAdapter, PROVISION_TAG } from './adapter';
export { OpenNebulaClient } from './client';
export * from './errors';
export type { OpenNebulaPort, OneProvisionObjects, OneVm, OneVnetState } from '../provisioning/ports/opennebula';
export { deregister, deregisterProvision } from './deregistration';
export { registerHosts, registerInfrastructure, registerProvision, waitNetworksReady } from './registration';
export type { OneTlsOptions } from './transport';

/** Settings of `createOpenNebulaPort`. */
export interface OpenNebulaPortOptions {
  /** `http(s)://frontend:2633` or the full `…/RPC2` URL. */
  endpoint: string;
  user: string;
  password: string;
  /** Upper bound of one XML-RPC call. */
  timeoutMs: number;
  tls?: OneTlsOptions;
  /** Polling of asynchronous transitions (VM termination, vnet removal); 1 s when unset. */
  pollIntervalMs?: number;
  /** How long such a transition may take before `OneWaitTimeoutError`; 5 min when unset. */
  waitTimeoutMs?: number;
}

/** Builds the `OpenNebulaPort` the provisioning use cases take, over XML-RPC. */
export function createOpenNebulaPort(options: OpenNebulaPortOptions): OpenNebulaAdapter {
  const client = new OpenNebulaClient({
    endpoint: options.endpoint,
    user: options.user,
    password: options.password,
    timeoutMs: options.timeoutMs,
    tls: options.tls,
  });
  return new OpenNebulaAdapter(client, {
    pollIntervalMs: options.pollIntervalMs,
    waitTimeoutMs: options.waitTimeoutMs,
  });
}

/** Splits a session string `user:password` on its first `:`, as oned does. */
export function splitSession(session: string): { user: string; password: string } | undefined {
  const colon = session.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: session.slice(0, colon), password: session.slice(colon + 1) };
}
