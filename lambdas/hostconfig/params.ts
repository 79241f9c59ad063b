import { isIP } from 'node:net';

import { ValidationError } from '../shared/errors';

/** How one role parameter is checked before it may reach a host. */
export interface ParamSpec {
  description: string;
  valid(value: string): boolean;
}

const re = (pattern: RegExp) => (value: string) => pattern.test(value);
const intIn = (min: number, max: number) => (value: string) => /^[0-9]{1,10}$/.test(value) && Number(value) >= min && Number(value) <= max;
const ipv4 = (value: string) => isIP(value) === 4;
const cidr4 = (value: string) => {
  const [ip, len, ...rest] = value.split('/');
  return rest.length === 0 && ip !== undefined && ipv4(ip) && len !== undefined && intIn(0, 32)(len);
};

/** Host names (RFC 1123 labels) and interface names. */
export const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IFNAME = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/;
const SSH_PUBLIC_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/]{16,8192}={0,3}( [A-Za-z0-9@._+:-]{1,100})?$/;

/**
 * Every environment value a role may receive, and its pattern. Anything else is
 * refused before a connection is made. Free text is allowed only where a role
 * never interprets it (it is written to a file with printf).
 */
export const PARAMS: Readonly<Record<string, ParamSpec>> = {
  EDGE_PROVISION_ID: { description: 'provision id', valid: re(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/) },
  EDGE_PROVISION_NAME: {
    description: 'provision name (free text, recorded on the host)',
    valid: (value) => value.length <= 256 && !/[\u0000-\u001f\u007f]/.test(value),
  },
  EDGE_HOST_NAME: { description: 'host name', valid: re(HOSTNAME) },
  EDGE_HOST_INDEX: { description: '0-based index of the host in the provision', valid: intIn(0, 9999) },
  EDGE_FIRST_HOST: { description: 'first host of the provision (name or address)', valid: (v) => HOSTNAME.test(v) || isIP(v) !== 0 },
  EDGE_ONE_VERSION: { description: 'OpenNebula release of the package repository', valid: re(/^[0-9]{1,2}\.[0-9]{1,2}$/) },
  EDGE_ONE_REPO_URL: {
    description: 'base URL of the OpenNebula package repository (mirror)',
    valid: re(/^https:\/\/[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(\/[A-Za-z0-9._~%+-]{1,100}){0,10}\/?$/),
  },
  EDGE_FRONTEND_PUBKEY: { description: "front-end oneadmin's SSH public key", valid: re(SSH_PUBLIC_KEY) },
  EDGE_SSH_PORT: { description: 'SSH port left open by the firewall', valid: intIn(1, 65535) },
  EDGE_PUBLIC_BRIDGE: { description: 'bridge of the public network', valid: re(IFNAME) },
  EDGE_PUBLIC_PHYDEV: { description: 'spare NIC enslaved to the public bridge', valid: re(IFNAME) },
  EDGE_OVERLAY_MODE: { description: 'overlay mode', valid: re(/^(vxlan|evpn|none)$/) },
  EDGE_VNI: { description: 'VXLAN network identifier', valid: intIn(1, 16_777_215) },
  EDGE_PEERS: {
    description: 'underlay IPv4 addresses of the other hosts, space separated',
    valid: (value) => value === '' || (value.length <= 16_384 && value.split(' ').every(ipv4)),
  },
  EDGE_OVERLAY_DEV: { description: 'underlay NIC of the overlay', valid: re(IFNAME) },
  EDGE_OVERLAY_LOCAL_IP: { description: 'underlay address of this host', valid: ipv4 },
  EDGE_OVERLAY_MTU: { description: 'MTU of the overlay device', valid: intIn(1280, 9000) },
  EDGE_EVPN_ASN: { description: 'BGP AS number of the EVPN fabric', valid: intIn(1, 4_294_967_295) },
  EDGE_EVPN_RR: { description: 'underlay address of the EVPN route reflector (first host)', valid: ipv4 },
  EDGE_EVPN_LISTEN_RANGE: { description: 'prefix the route reflector accepts peers from', valid: cidr4 },
};

/** Names the runner sets itself; a caller's value for them is replaced. */
export const RUNNER_PARAMS = ['EDGE_ROLE', 'EDGE_OVERLAY_MODE', 'EDGE_VNI', 'EDGE_PEERS'] as const;

/** Checks names and values; throws a {@link ValidationError} listing every bad one. */
export function validateParams(params: Record<string, string>, path = 'params'): void {
  const errors: Array<{ path: string; message: string }> = [];
  for (const [name, value] of Object.entries(params)) {
    const spec = PARAMS[name];
    if (!spec) errors.push({ path: `${path}.${name}`, message: 'not a known role parameter' });
    else if (typeof value !== 'string' || !spec.valid(value))
      errors.push({ path: `${path}.${name}`, message: `invalid ${spec.description}` });
  }
  if (errors.length > 0) {
    const list = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    throw new ValidationError(`invalid host configuration parameters (${list})`, errors);
  }
}

/** Checks an address to connect to: an IP or a host name, nothing a resolver or shell could misread. */
export function isValidAddress(value: string): boolean {
  return isIP(value) !== 0 || HOSTNAME.test(value);
}

/** Unix user names as `useradd` accepts them by default. */
export function isValidUser(value: string): boolean {
  return /^[a-z_][a-z0-9_-]{0,31}$/.test(value);
}
