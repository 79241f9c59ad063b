import type { AddressRangePlan, NetworkPlan } from '../provisioning/plan';
import type { MapContext } from './map-context';
import { attributeName, attributePath, positiveInteger, renderText, requireValue, takeConnectionKey } from './map-context';
import { formatIpv4, MAX_IPV4, parseIpv4 } from './ipv4';
import { itemsOf, valueOf, type LMap, type LNode, type Path, type Position } from './located';
import { hasUnresolvedInput } from './placeholders';
import { lookupProvider } from './providers';

/** A mapped network and where its name was written. */
export interface MappedNetwork {
  plan: NetworkPlan;
  nameAt: Position;
  srcPath: Path;
}

const NOT_ATTRIBUTES = new Set(['name', 'vn_mad', 'netrole', 'provision', 'ar', 'meta']);
const AR_FIELDS = new Set(['type', 'ip', 'size', 'ipam_mad']);
const AR_TYPES = ['IP4', 'IP6', 'IP4_6', 'ETHER'] as const;
type ArType = (typeof AR_TYPES)[number];

/** One address range after count expansion, before it is split into public IPs or ranges. */
interface ExpandedRange {
  node: LMap;
  srcPath: Path;
  label: string;
}

/**
 * Maps `networks` and `vntemplates` (as networks with `template: true`).
 * A network's `provision.count` makes N copies of `ar[0]`; on a public
 * network, ranges with an `ipam_mad` become public IPs requested from the
 * provider's IPAM (size-1 ranges created later), the rest stay ranges.
 */
export function mapNetworks(ctx: MapContext, checkIpam: boolean): MappedNetwork[] {
  const out: MappedNetwork[] = [];
  for (const list of ['networks', 'vntemplates'] as const) {
    itemsOf(valueOf(ctx.root, list)).forEach((net, i) => {
      if (net.kind !== 'map') return;
      const mapped = mapNetwork(ctx, net, [list, i], `networks[${out.length}]`, list === 'vntemplates', checkIpam);
      if (mapped) out.push(mapped);
    });
  }
  return out;
}

function mapNetwork(
  ctx: MapContext,
  net: LMap,
  srcPath: Path,
  planBase: string,
  template: boolean,
  checkIpam: boolean,
): MappedNetwork | undefined {
  const nameNode = valueOf(net, 'name');
  const name = renderText(ctx, nameNode, [...srcPath, 'name'], `${planBase}.name`);
  const vnMad = renderText(ctx, valueOf(net, 'vn_mad'), [...srcPath, 'vn_mad'], `${planBase}.vnMad`);
  const okName = requireValue(ctx, name, nameNode, net.at, [...srcPath, 'name'], 'a network name');
  const okMad = requireValue(
    ctx,
    vnMad,
    valueOf(net, 'vn_mad'),
    net.at,
    [...srcPath, 'vn_mad'],
    'the network driver (vn_mad), e.g. bridge or vxlan',
  );
  const ranges = expandRanges(ctx, net, srcPath);
  if (!okName || !okMad || !ranges) return undefined;

  const netrole = renderText(ctx, valueOf(net, 'netrole'), [...srcPath, 'netrole'], `${planBase}.role`)?.toLowerCase();
  const hasIpam = ranges.some((r) => valueOf(r.node, 'ipam_mad') !== undefined);
  const role: NetworkPlan['role'] =
    netrole === 'public' || netrole === 'private' ? netrole : netrole === undefined && hasIpam ? 'public' : 'other';

  const plan: NetworkPlan = { name, role, vnMad, attributes: {}, addressRanges: [], publicIps: 0, template };
  for (const [key, entry] of net.entries) {
    if (NOT_ATTRIBUTES.has(key)) continue;
    const attr = attributeName(key);
    const value = renderText(ctx, entry.value, [...srcPath, key], attributePath(`${planBase}.attributes`, attr));
    if (value !== undefined) plan.attributes[attr] = value;
  }
  const placed: Array<{ first: number; last: number; label: string }> = [];
  for (const range of ranges) {
    const arBase = `${planBase}.addressRanges[${plan.addressRanges.length}]`;
    const ipamNode = valueOf(range.node, 'ipam_mad');
    const ipam = renderText(ctx, ipamNode, [...range.srcPath, 'ipam_mad'], `${arBase}.attributes.IPAM_MAD`);
    if (role === 'public' && ipam !== undefined) {
      const size = rangeSize(ctx, range, arBase, 1);
      if (size === undefined) continue;
      plan.publicIps += size;
      plan.ipam = ipamName(ctx, ipam, ipamNode, [...range.srcPath, 'ipam_mad'], checkIpam);
      const written = ctx.origins?.get(`${arBase}.attributes.IPAM_MAD`);
      if (written) ctx.origins?.set(`${planBase}.ipam`, written);
      dropSecrets(ctx, range.node, range.srcPath, arBase);
      continue;
    }
    const ar = addressRange(ctx, range, arBase, placed);
    if (ar) plan.addressRanges.push(ar);
  }
  return { plan, nameAt: nameNode?.at ?? net.at, srcPath };
}

/** `ar` with `provision.count` applied: N copies of ar[0] followed by the other ranges. */
function expandRanges(ctx: MapContext, net: LMap, srcPath: Path): ExpandedRange[] | undefined {
  const items = itemsOf(valueOf(net, 'ar'));
  const ranges: ExpandedRange[] = [];
  items.forEach((item, k) => {
    if (item.kind === 'map') ranges.push({ node: item, srcPath: [...srcPath, 'ar', k], label: `ar[${k}]` });
  });
  const countNode = valueOf(valueOf(net, 'provision'), 'count');
  if (!countNode || (countNode.kind === 'scalar' && countNode.value === null)) return ranges;
  const countPath = [...srcPath, 'provision', 'count'];
  const count = positiveInteger(ctx, countNode, renderText(ctx, countNode, countPath, ''), countPath, 'provision.count');
  if (count === undefined) return undefined;
  const [first, ...rest] = ranges;
  if (!first) {
    ctx.diag.error(countNode.at, countPath, 'provision.count copies ar[0], but the network has no address range', 'InvalidCountError');
    return undefined;
  }
  const copies = Array.from({ length: count }, (_, c) => ({ ...first, label: count > 1 ? `ar[0] copy ${c + 1} of ${count}` : 'ar[0]' }));
  return [...copies, ...rest];
}

function rangeSize(ctx: MapContext, range: ExpandedRange, arBase: string, fallback?: number): number | undefined {
  const sizeNode = valueOf(range.node, 'size');
  if (!sizeNode || (sizeNode.kind === 'scalar' && sizeNode.value === null)) {
    if (fallback !== undefined) return fallback;
    ctx.diag.error(
      range.node.at,
      [...range.srcPath, 'size'],
      'required: expected the number of addresses (size), found nothing',
      'RequiredFieldError',
    );
    return undefined;
  }
  const rendered = renderText(ctx, sizeNode, [...range.srcPath, 'size'], `${arBase}.size`);
  return positiveInteger(ctx, sizeNode, rendered, [...range.srcPath, 'size'], 'size', MAX_IPV4, 'SchemaError');
}

function addressRange(
  ctx: MapContext,
  range: ExpandedRange,
  arBase: string,
  placed: Array<{ first: number; last: number; label: string }>,
): AddressRangePlan | undefined {
  const typeNode = valueOf(range.node, 'type');
  const typeText = (renderText(ctx, typeNode, [...range.srcPath, 'type'], `${arBase}.type`) ?? 'IP4').toUpperCase();
  if (hasUnresolvedInput(typeText)) return undefined;
  if (!(AR_TYPES as readonly string[]).includes(typeText)) {
    ctx.diag.error(
      typeNode?.at ?? range.node.at,
      [...range.srcPath, 'type'],
      `expected one of ${AR_TYPES.join(', ')}, found '${typeText}'`,
      'SchemaError',
    );
    return undefined;
  }
  const type = typeText as ArType;
  const size = rangeSize(ctx, range, arBase);
  const ipNode = valueOf(range.node, 'ip');
  const ip = renderText(ctx, ipNode, [...range.srcPath, 'ip'], `${arBase}.ip`);
  if (size === undefined) return undefined;
  const ar: AddressRangePlan = { type, size, attributes: {} };
  if (ip !== undefined) {
    ar.ip = ip;
    if ((type === 'IP4' || type === 'IP4_6') && !checkIpv4Range(ctx, ipNode, ip, size, range, placed)) return undefined;
  }
  for (const [key, entry] of range.node.entries) {
    if (AR_FIELDS.has(key) && key !== 'ipam_mad') continue;
    const attr = attributeName(key);
    const value = renderText(ctx, entry.value, [...range.srcPath, key], attributePath(`${arBase}.attributes`, attr));
    if (takeConnectionKey(ctx, key, value)) continue;
    if (value !== undefined) ar.attributes[attr] = value;
  }
  return ar;
}

function checkIpv4Range(
  ctx: MapContext,
  ipNode: LNode | undefined,
  ip: string,
  size: number,
  range: ExpandedRange,
  placed: Array<{ first: number; last: number; label: string }>,
): boolean {
  const at = ipNode?.at ?? range.node.at;
  const path = [...range.srcPath, 'ip'];
  if (hasUnresolvedInput(ip)) return false;
  const first = parseIpv4(ip);
  if (first === undefined) {
    ctx.diag.error(at, path, `expected an IPv4 address, found '${ip}'`, 'SchemaError');
    return false;
  }
  const last = first + size - 1;
  if (last > MAX_IPV4) {
    ctx.diag.error(at, path, `address range ${ip} + ${size} addresses runs past 255.255.255.255`, 'SchemaError');
    return false;
  }
  const text = `${formatIpv4(first)}–${formatIpv4(last)}`;
  const clash = placed.find((p) => first <= p.last && p.first <= last);
  if (clash) {
    const hint = range.label.includes('copy')
      ? ' (provision.count copies ar[0]: give the copied range no fixed ip, or drop the count)'
      : '';
    ctx.diag.error(
      at,
      path,
      `address range ${range.label} ${text} overlaps ${clash.label} ${formatIpv4(clash.first)}–${formatIpv4(clash.last)} of the same network${hint}`,
      'AddressRangeOverlapError',
    );
    return false;
  }
  placed.push({ first, last, label: range.label });
  return true;
}

function ipamName(ctx: MapContext, ipam: string, node: LNode | undefined, path: Path, checkIpam: boolean): string {
  const found = lookupProvider(ipam);
  if (found.status === 'supported') return found.name;
  if (found.status === 'retired' && checkIpam) {
    ctx.diag.error(node?.at ?? ctx.root.at, path, found.message.replace(/^provider/, 'IPAM'), 'RetiredProviderError');
  }
  return ipam;
}

/** Credentials written into a public range (5.12 Packet) go to the secret store, not the plan. */
function dropSecrets(ctx: MapContext, node: LMap, srcPath: Path, arBase: string): void {
  for (const [key, entry] of node.entries) {
    if (AR_FIELDS.has(key)) continue;
    const value = renderText(ctx, entry.value, [...srcPath, key], attributePath(`${arBase}.attributes`, attributeName(key)));
    takeConnectionKey(ctx, key, value);
  }
}
