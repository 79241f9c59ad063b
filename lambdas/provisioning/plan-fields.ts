import { isIP } from 'node:net';
import type { ProvisionPlan } from './plan';

/**
 * Field rules a plan must meet before anything is bought: what OpenNebula
 * and Linux accept, and nothing a shell or an OpenNebula template would
 * read as syntax. OpenNebula's network drivers put BRIDGE, PHYDEV, VLAN_ID
 * and MTU into command lines on the hosts; role scripts receive the host
 * settings; oned stores every attribute in a template.
 */

/** One field that breaks a rule; `path` is the plan path, e.g. `networks[1].attributes.BRIDGE`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Characters a shell or a template reads as syntax (quoting, substitution, redirection, command lists). */
const SHELL_SYNTAX = /[`$;|&<>\\"]/;
/** Control characters (a newline included), and U+FFFD: what invalid UTF-8 decodes to. */
const CONTROL = /[\u0000-\u001f\u007f\uFFFD]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f\uFFFD]/;
/** `PoolObjectSQL::INVALID_NAME_CHARS` of oned, plus the backquote a shell would run. */
const ONE_NAME_FORBIDDEN = /[&|:\\";/'#{}$<>`]/;
/** Placeholders the plan keeps for later (`${cluster.0.id}`, `${updates.nic}`, `${provision_id}`): their own characters are safe. */
const KEPT_PLACEHOLDER = /\$\{[A-Za-z0-9_.[\]-]+\}/g;
/** Driver names that are not of the plain form (`802.1Q` is OpenNebula's VLAN driver). */
const KNOWN_DRIVERS = new Set(['802.1Q']);
const DRIVER = /^[a-z0-9_-]{1,64}$/;
/** Linux `dev_valid_name`: under IFNAMSIZ (16), no '/', ':' or whitespace; shell syntax refused as everywhere. */
const IFNAME = /^[A-Za-z0-9_.@+-]{1,15}$/;
/** POSIX portable user names, as useradd takes them (no leading '-'). */
const USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

const MAX_NAME = 128;
const MAX_HOST_NAME = 63;
const MAX_DESCRIPTION = 1024;
const MAX_VALUE = 4096;

type Rule = (value: string) => string | undefined;

const show = (value: string): string => JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
const withoutKept = (value: string): string => value.replace(KEPT_PLACEHOLDER, '');
const isKept = (value: string): boolean => withoutKept(value) !== value;

/** Any value: no control characters, nothing a shell or a template reads as syntax, a sane length. */
const plainValue: Rule = (value) => {
  const bare = withoutKept(value);
  if (CONTROL.test(bare)) return `expected a value without control characters or line breaks, found ${show(value)}`;
  if (SHELL_SYNTAX.test(bare)) return `expected a value without shell syntax (\` $ ; | & < > \\ "), found ${show(value)}`;
  if (value.length > MAX_VALUE) return `expected at most ${MAX_VALUE} characters, found ${value.length}`;
  return undefined;
};

const description: Rule = (value) => {
  if (CONTROL_BUT_LINES.test(value)) return `expected text without control characters, found ${show(value)}`;
  if (SHELL_SYNTAX.test(value)) return `expected text without shell syntax (\` $ ; | & < > \\ "), found ${show(value)}`;
  if (value.length > MAX_DESCRIPTION) return `expected at most ${MAX_DESCRIPTION} characters, found ${value.length}`;
  return undefined;
};

const oneName: Rule = (value) => {
  const bare = withoutKept(value);
  if (value.trim() === '') return 'expected an OpenNebula name, found an empty value';
  if (value.length > MAX_NAME) return `expected an OpenNebula name of at most ${MAX_NAME} characters, found ${value.length}`;
  const bad = CONTROL.exec(bare) ?? ONE_NAME_FORBIDDEN.exec(bare);
  if (bad)
    return `expected an OpenNebula name without ${JSON.stringify(bad[0])} (oned refuses & | : \\ " ; / ' # { } $ < > and control characters), found ${show(value)}`;
  return undefined;
};

const hostName: Rule = (value) =>
  value.length > MAX_HOST_NAME
    ? `expected a host name of at most ${MAX_HOST_NAME} characters (oned's limit), found ${value.length}`
    : undefined;

const driver: Rule = (value) =>
  KNOWN_DRIVERS.has(value) || DRIVER.test(value) || isKept(value)
    ? undefined
    : `expected a driver name of a-z, 0-9, '_' and '-' (e.g. kvm, ssh, fs, bridge, vxlan, 802.1Q), found ${show(value)}`;

const ifname: Rule = (value) =>
  IFNAME.test(value) && value !== '.' && value !== '..'
    ? undefined
    : `expected a Linux interface name (1-15 of A-Z a-z 0-9 _ . - @ +, no '/', ':' or whitespace), found ${show(value)}`;

const integerIn =
  (min: number, max: number, what: string): Rule =>
  (value) => {
    const text = value.trim();
    return /^\d{1,9}$/.test(text) && Number(text) >= min && Number(text) <= max
      ? undefined
      : `expected ${what} (an integer from ${min} to ${max}), found ${show(value)}`;
  };

const ipList: Rule = (value) => {
  const items = value.split(/[\s,]+/).filter((s) => s !== '');
  const bad = items.find((s) => isIP(s) === 0);
  return items.length > 0 && bad === undefined ? undefined : `expected IP addresses separated by spaces or commas, found ${show(value)}`;
};

const ip: Rule = (value) => (isIP(value.trim()) !== 0 ? undefined : `expected an IP address, found ${show(value)}`);

const posixUser: Rule = (value) =>
  USER.test(value) ? undefined : `expected a POSIX user name (a letter or '_', then up to 31 of A-Z a-z 0-9 _ . -), found ${show(value)}`;

/** Rules of OpenNebula attributes whose values the drivers use, by attribute name. */
const ATTRIBUTE_RULES: Record<string, Rule> = {
  TM_MAD: driver,
  DS_MAD: driver,
  IPAM_MAD: driver,
  VN_MAD: driver,
  IM_MAD: driver,
  VM_MAD: driver,
  BRIDGE: ifname,
  PHYDEV: ifname,
  VLAN_ID: integerIn(1, 4094, 'a VLAN id'),
  OUTER_VLAN_ID: integerIn(1, 4094, 'a VLAN id'),
  MTU: integerIn(68, 65535, 'an MTU'),
  GUEST_MTU: integerIn(68, 65535, 'an MTU'),
  DNS: ipList,
  GATEWAY: ip,
  GATEWAY6: ip,
  NETWORK_ADDRESS: ip,
  NETWORK_MASK: ip,
};

/**
 * A VXLAN network's segment id is its VNI, 24 bits: VLAN_ID for `vxlan`,
 * OUTER_VLAN_ID for `ovswitch_vxlan` (whose VLAN_ID is the inner 802.1Q tag).
 */
function vniRule(attribute: string, vnMad: string | undefined): Rule | undefined {
  const vni = (vnMad === 'vxlan' && attribute === 'VLAN_ID') || (vnMad === 'ovswitch_vxlan' && attribute === 'OUTER_VLAN_ID');
  return vni ? integerIn(1, 16777215, 'a VXLAN VNI') : undefined;
}

/** Checks every string field of a plan; returns each field that breaks its rule. */
export function checkPlanFields(plan: ProvisionPlan): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (path: string, value: string | undefined, ...rules: Rule[]) => {
    if (value === undefined) return;
    // A placeholder filled in later (a NIC name the provider reports) is checked for shell syntax only.
    for (const rule of isKept(value) ? [plainValue] : [plainValue, ...rules]) {
      const message = rule(value);
      if (message) {
        issues.push({ path, message });
        return;
      }
    }
  };
  const checkMap = (base: string, map: Readonly<Record<string, string>>, byName = false, vnMad?: string) => {
    for (const [key, value] of Object.entries(map)) {
      const path = `${base}${keyPath(key)}`;
      if (!ATTRIBUTE_NAME.test(key)) {
        issues.push({ path, message: `expected a key of letters, digits, '_' and '-', found ${show(key)}` });
        continue;
      }
      const rule = byName ? (vniRule(key.toUpperCase(), vnMad) ?? ATTRIBUTE_RULES[key.toUpperCase()]) : undefined;
      if (rule) check(path, value, rule);
      else check(path, value);
    }
  };

  check('name', plan.name, oneName);
  if (plan.description !== undefined) pushIf(issues, 'description', description(plan.description));
  for (const [key, value] of Object.entries(plan.provider.settings)) check(`provider.settings${keyPath(key)}`, value);
  check('cluster.name', plan.cluster.name, oneName);
  if (plan.cluster.description !== undefined) pushIf(issues, 'cluster.description', description(plan.cluster.description));
  checkMap('cluster.attributes', plan.cluster.attributes, true);
  plan.hosts.forEach((host, i) => {
    const base = `hosts[${i}]`;
    check(`${base}.name`, host.name, oneName, hostName);
    check(`${base}.imMad`, host.imMad, driver);
    check(`${base}.vmMad`, host.vmMad, driver);
    check(`${base}.connection.remote_user`, host.connection.remoteUser, posixUser);
    checkMap(`${base}.provision`, host.provision);
    checkMap(`${base}.attributes`, host.attributes, true);
    for (const [key, value] of Object.entries(host.configuration)) checkConfiguration(`${base}.configuration${keyPath(key)}`, value, check);
  });
  plan.datastores.forEach((ds, i) => {
    check(`datastores[${i}].name`, ds.name, oneName);
    checkMap(`datastores[${i}].attributes`, ds.attributes, true);
  });
  plan.networks.forEach((net, i) => {
    const base = `networks[${i}]`;
    check(`${base}.name`, net.name, oneName);
    check(`${base}.vnMad`, net.vnMad, driver);
    check(`${base}.ipam`, net.ipam, driver);
    checkMap(`${base}.attributes`, net.attributes, true, net.vnMad);
    net.addressRanges.forEach((ar, k) => {
      check(`${base}.addressRanges[${k}].ip`, ar.ip);
      checkMap(`${base}.addressRanges[${k}].attributes`, ar.attributes, true, net.vnMad);
    });
  });
  for (const [key, value] of Object.entries(plan.tags)) {
    if (!ATTRIBUTE_NAME.test(key))
      issues.push({ path: `tags${keyPath(key)}`, message: `expected a tag key of letters, digits, '_' and '-', found ${show(key)}` });
    else check(`tags${keyPath(key)}`, value);
  }
  return issues;
}

/** Role settings may be structured (JSON): each string inside is checked at its own path (as the loader writes it). */
function checkConfiguration(path: string, value: string, check: (path: string, value: string) => void): void {
  let parsed: unknown;
  try {
    parsed = /^[[{]/.test(value) ? JSON.parse(value) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) return check(path, value);
  const walk = (node: unknown, at: string): void => {
    if (typeof node === 'string') check(at, node);
    else if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}[${i}]`));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, `${at}.${k}`);
  };
  walk(parsed, path);
}

function pushIf(issues: FieldIssue[], path: string, message: string | undefined): void {
  if (message) issues.push({ path, message });
}

/** `.KEY`, or `["odd key"]` for keys a dotted path cannot carry (the descriptor's path format). */
function keyPath(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
