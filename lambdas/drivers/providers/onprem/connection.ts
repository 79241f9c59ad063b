import { isIP } from 'node:net';
import * as z from '../../../shared/schema';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** True for an IP literal or a DNS name: nothing that could smuggle options or shell syntax. */
export function isHostAddress(value: string): boolean {
  return isIP(value) !== 0 || HOSTNAME.test(value);
}

/** Splits a `public_ips` setting ("198.51.100.10, 198.51.100.11") into distinct addresses. */
export function parsePublicIps(value: string): string[] {
  return [...new Set(value.split(/[\s,]+/).filter((s) => s.length > 0))];
}

/** A `public_ips` setting: at least one address, every one an IP literal. */
export const publicIpsSetting = z.string().check(
  z.refine((v) => {
    const ips = parsePublicIps(v);
    return ips.length > 0 && ips.every((ip) => isIP(ip) !== 0);
  }, 'must be a comma-separated list of IP addresses'),
);

/**
 * Connection keys of the on-prem provider. Hosts are listed in the plan
 * (`provision.address`, optional `provision.port`), so nothing is required.
 */
export const onpremConnectionSchema = z.looseObject({
  /** Static pool for the on-prem IPAM. */
  public_ips: z.optional(publicIpsSetting),
  /** Bound of the reachability probe (default 5000). */
  probe_timeout_ms: z.optional(z.string().check(z.regex(/^[1-9]\d*$/, 'must be a number of milliseconds'))),
});

/** The on-prem IPAM needs its pool. */
export const onpremIpamConnectionSchema = z.extend(onpremConnectionSchema, { public_ips: publicIpsSetting });
