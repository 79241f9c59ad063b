import type { HostPlan } from '../provisioning/plan';
import {
  attributeName,
  attributePath,
  mergeSections,
  positiveInteger,
  renderDeep,
  renderText,
  requireValue,
  takeConnectionKey,
  type MapContext,
  type SectionValue,
} from './map-context';
import { isValueScalar, itemsOf, scalarText, valueOf, type LNode, type Path, type Position } from './located';
import { PROVISION_ID_PLACEHOLDER, hasDeferred, hasUnresolvedInput, wholeArrayInput, type RenderScope } from './placeholders';
import { HOST_KEY, HOST_KEY_EXPECTED } from './raw-schema';

/** A mapped host and where its name was written (for duplicate checks). */
export interface MappedHost {
  plan: HostPlan;
  nameAt: Position;
  srcPath: Path;
  /** `copy k of n` when the host came from a count. */
  copy?: string;
}

const HOST_SECTIONS = new Set(['im_mad', 'vm_mad', 'provision', 'connection', 'configuration']);
const PROVISION_CONTROL_KEYS = new Set(['count', 'hostname', 'provider_name', 'driver']);
/** oneprovision's front-end key paths; edge-provisioner brings its own keys. */
const IGNORED_CONNECTION_KEYS = new Set(['public_key', 'private_key']);
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$/;

/**
 * Takes provider connection keys written in `defaults.provision` (5.12
 * inline credentials) even when no host uses them.
 */
export function takeDefaultsConnection(ctx: MapContext): void {
  const section = valueOf(valueOf(ctx.root, 'defaults'), 'provision');
  if (section?.kind !== 'map') return;
  for (const [key, entry] of section.entries) {
    if (PROVISION_CONTROL_KEYS.has(key)) continue;
    takeConnectionKey(ctx, key, renderText(ctx, entry.value, ['defaults', 'provision', key], `provider.settings.${key}`));
  }
}

/**
 * Maps `hosts` to host plans: defaults merged per section, `provision.count`
 * (or a list of host names) expanded, `${index}` = the host's position in the
 * provision.
 */
export function mapHosts(ctx: MapContext): MappedHost[] {
  const out: MappedHost[] = [];
  const defaults = valueOf(ctx.root, 'defaults');
  itemsOf(valueOf(ctx.root, 'hosts')).forEach((host, i) => {
    if (host.kind !== 'map') return;
    const srcPath: Path = ['hosts', i];
    const sections = (name: string) =>
      mergeSections([
        { node: valueOf(defaults, name), path: ['defaults', name] },
        { node: valueOf(host, name), path: [...srcPath, name] },
      ]);
    const provision = sections('provision');
    const names = hostNames(ctx, host, provision, srcPath);
    if (!names) return;
    names.forEach((nameSource, k) => {
      const scope: RenderScope = { ...ctx.scope, index: out.length };
      const planBase = `hosts[${out.length}]`;
      const mapped = mapOne(ctx, host, srcPath, planBase, scope, nameSource, provision, sections('connection'), sections('configuration'));
      if (mapped) out.push({ ...mapped, srcPath, copy: names.length > 1 ? `copy ${k + 1} of ${names.length}` : undefined });
    });
  });
  return out;
}

/** How each expanded host gets its name: a template rendered with its index, or a listed name. */
type NameSource = { template: SectionValue } | { listed: string; at: Position; path: Path };

function hostNames(ctx: MapContext, host: LNode, provision: Map<string, SectionValue>, srcPath: Path): NameSource[] | undefined {
  const hostname = provision.get('hostname');
  if (!hostname || (hostname.node.kind === 'scalar' && hostname.node.value === null)) {
    const at = valueOf(host, 'provision')?.at ?? host.at;
    ctx.diag.error(
      at,
      [...srcPath, 'provision', 'hostname'],
      'required: expected a host name (or a list of names), found nothing',
      'RequiredFieldError',
    );
    return undefined;
  }
  const listed = hostname.node.kind === 'seq' ? itemsOf(hostname.node) : undefined;
  if (listed) {
    return listed.filter(isValueScalar).map((n, k) => ({ listed: scalarText(n), at: n.at, path: [...hostname.path, k] }));
  }
  if (hostname.node.kind !== 'scalar') return undefined;
  const fromInput = wholeArrayInput(hostname.node, ctx.scope);
  if (fromInput) return fromInput.map((name) => ({ listed: name, at: hostname.node.at, path: hostname.path }));
  const count = provision.get('count');
  if (!count || (count.node.kind === 'scalar' && count.node.value === null)) return [{ template: hostname }];
  const n = positiveInteger(ctx, count.node, renderText(ctx, count.node, count.path, ''), count.path, 'provision.count');
  return n === undefined ? undefined : Array.from({ length: n }, () => ({ template: hostname }));
}

function mapOne(
  ctx: MapContext,
  host: LNode,
  srcPath: Path,
  planBase: string,
  scope: RenderScope,
  nameSource: NameSource,
  provision: Map<string, SectionValue>,
  connection: Map<string, SectionValue>,
  configuration: Map<string, SectionValue>,
): Omit<MappedHost, 'srcPath' | 'copy'> | undefined {
  const name =
    'template' in nameSource
      ? renderText(ctx, nameSource.template.node, nameSource.template.path, `${planBase}.name`, scope)
      : nameSource.listed;
  const nameAt = 'template' in nameSource ? nameSource.template.node.at : nameSource.at;
  const namePath = 'template' in nameSource ? nameSource.template.path : nameSource.path;
  if (name === undefined || hasUnresolvedInput(name)) return undefined;
  // `${provision_id}` is filled in at create time with an id like p-0123456789ab.
  const rendered = name.split(PROVISION_ID_PLACEHOLDER).join('p-0123456789ab');
  if (hasDeferred(name) || !HOSTNAME.test(rendered)) {
    ctx.diag.error(
      nameAt,
      namePath,
      `expected a host name of letters, digits, '.', '_' and '-' (placeholders: \${provision_id}, \${index}), found '${name}'`,
      'SchemaError',
    );
    return undefined;
  }
  const imMad = renderText(ctx, valueOf(host, 'im_mad'), [...srcPath, 'im_mad'], `${planBase}.imMad`, scope);
  const vmMad = renderText(ctx, valueOf(host, 'vm_mad'), [...srcPath, 'vm_mad'], `${planBase}.vmMad`, scope);
  const okIm = requireValue(
    ctx,
    imMad,
    valueOf(host, 'im_mad'),
    host.at,
    [...srcPath, 'im_mad'],
    'the monitoring driver (im_mad), e.g. kvm',
  );
  const okVm = requireValue(
    ctx,
    vmMad,
    valueOf(host, 'vm_mad'),
    host.at,
    [...srcPath, 'vm_mad'],
    'the virtualization driver (vm_mad), e.g. kvm',
  );
  if (!okIm || !okVm) return undefined;

  const plan: HostPlan = {
    index: scope.index ?? 0,
    name,
    imMad,
    vmMad,
    provision: provisionMap(ctx, provision, planBase, scope),
    connection: { remoteUser: 'root' },
    configuration: configurationMap(ctx, configuration, planBase, scope),
    attributes: {},
  };
  applyConnection(ctx, plan, connection, planBase, scope);
  if (host.kind === 'map') {
    for (const [key, entry] of host.entries) {
      if (HOST_SECTIONS.has(key)) continue;
      const attr = attributeName(key);
      const value = renderText(ctx, entry.value, [...srcPath, key], attributePath(`${planBase}.attributes`, attr), scope);
      if (value !== undefined) plan.attributes[attr] = value;
    }
  }
  return { plan, nameAt };
}

function provisionMap(ctx: MapContext, provision: Map<string, SectionValue>, planBase: string, scope: RenderScope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, { node, path }] of provision) {
    if (PROVISION_CONTROL_KEYS.has(key)) continue;
    const value = renderText(ctx, node, path, attributePath(`${planBase}.provision`, key), scope);
    if (takeConnectionKey(ctx, key, value)) continue;
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function configurationMap(
  ctx: MapContext,
  configuration: Map<string, SectionValue>,
  planBase: string,
  scope: RenderScope,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, { node, path }] of configuration) {
    const planPath = attributePath(`${planBase}.configuration`, key);
    if (node.kind === 'scalar') {
      const value = renderText(ctx, node, path, planPath, scope);
      if (value !== undefined) out[key] = value;
    } else {
      // Role variables may be structured (Ansible vars); roles receive them as JSON.
      out[key] = JSON.stringify(renderDeep(ctx, node, path, planPath, scope));
    }
  }
  return out;
}

function applyConnection(
  ctx: MapContext,
  plan: HostPlan,
  connection: Map<string, SectionValue>,
  planBase: string,
  scope: RenderScope,
): void {
  for (const [key, { node, path }] of connection) {
    const value = renderText(ctx, node, path, `${planBase}.connection.${key}`, scope);
    if (value === undefined) continue;
    if (key === 'remote_user') plan.connection.remoteUser = value;
    else if (key === 'remote_port') {
      const port = positiveInteger(ctx, node, value, path, 'connection.remote_port', 65535, 'SchemaError');
      if (port !== undefined) plan.connection.port = port;
    } else if (key === 'host_key') {
      if (HOST_KEY.test(value)) plan.hostKeyPin = value;
      // A literal key was checked by the schema; only a rendered one is checked here.
      else if (isValueScalar(node) && String(node.value).includes('${') && !hasUnresolvedInput(value)) {
        ctx.diag.error(node.at, path, `${HOST_KEY_EXPECTED}, found '${value}'`, 'SchemaError');
      }
    } else if (!IGNORED_CONNECTION_KEYS.has(key)) ctx.diag.warn(node.at, path, `unknown connection key '${key}' ignored`);
  }
}
