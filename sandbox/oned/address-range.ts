import { IPAM_MADS, MAC_PREFIX } from './drivers';
import type { SimAddressRange } from './state';
import type { SimVector } from './template';

const AR_TYPES = new Set(['IP4', 'IP6', 'IP4_6', 'ETHER', 'IP6_STATIC', 'IP4_6_STATIC']);
const IPV4_TYPES = new Set(['IP4', 'IP4_6', 'IP4_6_STATIC']);

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function macToInt(mac: string): number | undefined {
  if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac)) return undefined;
  return Number.parseInt(mac.replace(/:/g, ''), 16);
}

function intToMac(value: number): string {
  const hex = value.toString(16).padStart(12, '0');
  return (hex.match(/../g) ?? []).join(':');
}

/** The lease an IPv4 address takes in a range: its position and MAC (from the range's), or undefined when outside it. */
export function leaseInRange(range: SimAddressRange, ip: string): { index: number; mac: string } | undefined {
  const attrs = new Map(range.attributes);
  const first = ipv4ToInt(attrs.get('IP') ?? '');
  const wanted = ipv4ToInt(ip);
  const size = Number(attrs.get('SIZE') ?? '0');
  if (first === undefined || wanted === undefined || wanted < first || wanted >= first + size) return undefined;
  const mac = macToInt(attrs.get('MAC') ?? '');
  return { index: wanted - first, mac: mac === undefined ? '' : intToMac(mac + (wanted - first)) };
}

/**
 * Validates an `AR` vector as `AddressRange::from_attr` does and returns the
 * stored (raw) range, or the error message oned gives.
 */
export function buildAddressRange(
  arId: number,
  vector: SimVector,
  macSeed: number,
): { ok: true; range: SimAddressRange } | { ok: false; error: string } {
  const attrs = new Map<string, string>();
  for (const [key, value] of vector) if (key !== 'AR_ID') attrs.set(key, value);
  const type = (attrs.get('TYPE') ?? '').toUpperCase();
  if (!AR_TYPES.has(type)) return { ok: false, error: 'Unknown or missing address range TYPE.' };
  attrs.set('TYPE', type);
  let ipInt: number | undefined;
  if (IPV4_TYPES.has(type)) {
    ipInt = ipv4ToInt(attrs.get('IP') ?? '');
    if (ipInt === undefined) return { ok: false, error: 'Wrong or empty IP attribute' };
  }
  const size = attrs.get('SIZE') ?? '';
  if (!/^\d+$/.test(size) || Number(size) <= 0) return { ok: false, error: 'Wrong SIZE for address range' };
  const ipam = attrs.get('IPAM_MAD');
  if (ipam !== undefined && !IPAM_MADS.has(ipam)) return { ok: false, error: `IPAM driver ${ipam} is not defined` };
  if (attrs.has('MAC')) {
    if (macToInt(attrs.get('MAC') ?? '') === undefined) return { ok: false, error: 'Wrong format for MAC attribute' };
  } else {
    const low = ipInt ?? macSeed % 2 ** 32;
    attrs.set('MAC', intToMac(Number.parseInt(MAC_PREFIX.replace(':', ''), 16) * 2 ** 32 + low));
  }
  if (!attrs.has('NEXT_INDEX')) attrs.set('NEXT_INDEX', '0');
  if (!attrs.has('SHARED')) attrs.set('SHARED', 'NO');
  return { ok: true, range: { arId, attributes: [...attrs.entries()] } };
}

/** The attributes `one.vn.info` computes for a range: `MAC_END` and, for IPv4, `IP_END`. */
export function computedEnds(range: SimAddressRange): Array<[string, string]> {
  const get = (key: string) => range.attributes.find(([k]) => k === key)?.[1];
  const size = Number(get('SIZE') ?? '1');
  const out: Array<[string, string]> = [];
  const mac = macToInt(get('MAC') ?? '');
  if (mac !== undefined) out.push(['MAC_END', intToMac(mac + size - 1)]);
  const ip = ipv4ToInt(get('IP') ?? '');
  if (ip !== undefined && IPV4_TYPES.has(get('TYPE') ?? '')) out.push(['IP_END', intToIpv4(ip + size - 1)]);
  return out;
}

/** The IP of a range, for finding ranges by address. */
export function rangeIp(range: SimAddressRange): string | undefined {
  return range.attributes.find(([k]) => k === 'IP')?.[1];
}

/** The address at a position of a range: IP (IPv4 ranges) and MAC, or undefined past its end. */
export function addressAt(range: SimAddressRange, index: number): { ip?: string; mac: string } | undefined {
  const get = (key: string) => range.attributes.find(([k]) => k === key)?.[1];
  if (index >= Number(get('SIZE') ?? '0')) return undefined;
  const mac = macToInt(get('MAC') ?? '');
  if (mac === undefined) return undefined;
  const ip = ipv4ToInt(get('IP') ?? '');
  const ipv4 = ip !== undefined && IPV4_TYPES.has(get('TYPE') ?? '');
  return { ...(ipv4 ? { ip: intToIpv4(ip + index) } : {}), mac: intToMac(mac + index) };
}
