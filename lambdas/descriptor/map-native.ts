import { FailurePolicySchema, type ProvisionPlan } from '../provisioning/plan';
import { describeFound } from './describe-value';
import { MAX_TTL_SECONDS, parseDuration } from './duration';
import { renderText, type MapContext } from './map-context';
import { hasUnresolvedInput } from './placeholders';
import { isValueScalar, toPlain, valueOf } from './located';
import type { MappedNetwork } from './map-networks';

/** The native (edge-provisioner only) fields of a plan. */
export type NativeFields = Pick<ProvisionPlan, 'tags' | 'failurePolicy' | 'maxConcurrency' | 'overlay'> &
  Partial<Pick<ProvisionPlan, 'ttlSeconds' | 'teardownOn'>>;

const MAX_TAG_VALUE = 256;

/**
 * Maps the native fields: `ttl`, `tags`, `failure_policy`, `max_concurrency`,
 * `overlay` and `teardown_on`. Their shapes were checked by the schema; this
 * checks what needs more than a shape (durations, host counts).
 */
export function mapNative(ctx: MapContext, hostCount: number, networks: MappedNetwork[]): NativeFields {
  const root = ctx.root;
  const out: NativeFields = {
    tags: {},
    failurePolicy: FailurePolicySchema.parse({}),
    maxConcurrency: 10,
    overlay: inferOverlay(networks),
  };
  const ttl = valueOf(root, 'ttl');
  if (isValueScalar(ttl) && typeof ttl.value !== 'boolean') {
    const text = typeof ttl.value === 'number' ? ttl.value : renderText(ctx, ttl, ['ttl'], 'ttlSeconds');
    const seconds = text === undefined || hasUnresolvedInput(String(text)) ? undefined : parseDuration(text);
    if (text !== undefined && !hasUnresolvedInput(String(text)) && (seconds === undefined || seconds > MAX_TTL_SECONDS)) {
      const expected = seconds === undefined ? 'a duration such as 8h, 90m, 1h30m or 30s' : 'a duration of at most 366d';
      const found =
        typeof text === 'string' && text !== ttl.value ? `'${text}' (rendered from ${String(ttl.value)})` : describeFound(ttl, ['ttl']);
      ctx.diag.error(ttl.at, ['ttl'], `expected ${expected}, found ${found}`, 'SchemaError');
    } else if (seconds !== undefined) out.ttlSeconds = seconds;
  }
  const tags = valueOf(root, 'tags');
  if (tags?.kind === 'map') {
    for (const [key, entry] of tags.entries) {
      const value = renderText(ctx, entry.value, ['tags', key], `tags.${key}`);
      if (value === undefined) continue;
      if (value.length > MAX_TAG_VALUE) {
        ctx.diag.error(entry.value.at, ['tags', key], `expected at most ${MAX_TAG_VALUE} characters, found ${value.length}`, 'SchemaError');
      } else out.tags[key] = value;
    }
  }
  const policy = valueOf(root, 'failure_policy');
  const minHealthy = valueOf(policy, 'min_healthy_hosts');
  // With an error in what decides the hosts, their number is unknown: no second error from it.
  const hostsKnown = !ctx.diag.errors.some(
    (e) => /^(hosts|inputs|defaults)\b/.test(e.path) || ['InputMissingError', 'InputValueError', 'InvalidCountError'].includes(e.code),
  );
  if (isValueScalar(minHealthy) && typeof minHealthy.value === 'number') {
    if (minHealthy.value > hostCount && hostsKnown) {
      ctx.diag.error(
        minHealthy.at,
        ['failure_policy', 'min_healthy_hosts'],
        `expected at most ${hostCount} (the number of hosts), found ${minHealthy.value}`,
        'SchemaError',
      );
    } else out.failurePolicy.minHealthyHosts = minHealthy.value;
  }
  const onError = valueOf(policy, 'on_error');
  const onErrorValue = FailurePolicySchema.shape.onError.unwrap().safeParse(isValueScalar(onError) ? onError.value : undefined);
  if (onErrorValue.success) out.failurePolicy.onError = onErrorValue.data;
  const maxConcurrency = valueOf(root, 'max_concurrency');
  if (isValueScalar(maxConcurrency) && typeof maxConcurrency.value === 'number') out.maxConcurrency = maxConcurrency.value;
  const overlay = valueOf(root, 'overlay');
  const mode = valueOf(overlay, 'mode');
  const vni = valueOf(overlay, 'vni');
  if (isValueScalar(mode) && (mode.value === 'vxlan' || mode.value === 'evpn' || mode.value === 'none')) out.overlay.mode = mode.value;
  if (isValueScalar(vni) && typeof vni.value === 'number') out.overlay.vni = vni.value;
  const teardown = valueOf(root, 'teardown_on');
  if (teardown?.kind === 'map') out.teardownOn = toPlain(teardown) as Record<string, unknown>;
  return out;
}

/**
 * Without an `overlay` section the private VXLAN network decides: EVPN when
 * it says `vxlan_mode: evpn` (6.x templates), else unicast VXLAN; its
 * `vlan_id` is the VNI.
 */
function inferOverlay(networks: MappedNetwork[]): ProvisionPlan['overlay'] {
  const overlay: ProvisionPlan['overlay'] = { mode: 'vxlan', vni: 4242 };
  const vxlan = networks.find((n) => n.plan.vnMad === 'vxlan');
  if (!vxlan) return overlay;
  if (vxlan.plan.attributes.VXLAN_MODE?.toLowerCase() === 'evpn') overlay.mode = 'evpn';
  const vlan = Number(vxlan.plan.attributes.VLAN_ID);
  if (Number.isInteger(vlan) && vlan >= 1 && vlan <= 16777215) overlay.vni = vlan;
  return overlay;
}
