import type { Diagnostics } from './diagnostics';
import { describeFound } from './describe-value';
import { formatPath } from './format';
import { isValueScalar, scalarText, type LMap, type LNode, type Path, type Position } from './located';
import { hasUnresolvedInput, renderScalar, type PendingDeferred, type RenderScope } from './placeholders';
import { LEGACY_CONNECTION_KEYS, isSecretKey } from './secret-keys';

/** Provider connection values found while mapping: secrets go to the store, settings to the plan. */
export interface ConnectionValues {
  secrets: Record<string, string>;
  settings: Record<string, string>;
}

/** State shared by the mappers of one descriptor. */
export interface MapContext {
  diag: Diagnostics;
  deferred: PendingDeferred[];
  root: LMap;
  scope: RenderScope;
  connection: ConnectionValues;
  /** Where each rendered plan field was written, by plan path (field rules report there). */
  origins?: Map<string, { at: Position; srcPath: Path }>;
}

/** A value of a merged section, with the path it was written at. */
export interface SectionValue {
  node: LNode;
  path: Path;
}

/** Largest `count` accepted: bigger values are almost always a typo and would flood the plan. */
export const MAX_COUNT = 1000;

/** Merges mapping sections (later wins), remembering where each value came from. */
export function mergeSections(parts: Array<{ node: LNode | undefined; path: Path }>): Map<string, SectionValue> {
  const out = new Map<string, SectionValue>();
  for (const { node, path } of parts) {
    if (node?.kind !== 'map') continue;
    for (const [key, entry] of node.entries) out.set(key, { node: entry.value, path: [...path, key] });
  }
  return out;
}

/** Renders a scalar value; undefined for an empty value or a non-scalar (the schema reported those). */
export function renderText(
  ctx: MapContext,
  node: LNode | undefined,
  srcPath: Path,
  planPath: string,
  scope: RenderScope = ctx.scope,
): string | undefined {
  if (!isValueScalar(node)) return undefined;
  if (planPath !== '') ctx.origins?.set(planPath, { at: node.at, srcPath });
  return renderScalar(node, { srcPath, planPath }, scope, ctx);
}

/** Renders nested data (configuration values) into plain data with rendered strings. */
export function renderDeep(ctx: MapContext, node: LNode, srcPath: Path, planPath: string, scope: RenderScope): unknown {
  switch (node.kind) {
    case 'scalar':
      ctx.origins?.set(planPath, { at: node.at, srcPath });
      return typeof node.value === 'string' ? renderScalar(node, { srcPath, planPath }, scope, ctx) : node.value;
    case 'seq':
      return node.items.map((item, i) => renderDeep(ctx, item, [...srcPath, i], `${planPath}[${i}]`, scope));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of node.entries) out[key] = renderDeep(ctx, entry.value, [...srcPath, key], `${planPath}.${key}`, scope);
      return out;
    }
  }
}

/** OpenNebula template attribute name of a descriptor key. */
export function attributeName(key: string): string {
  return key.toUpperCase();
}

/** Plan path of an attribute, e.g. `networks[1].attributes.PHYDEV`. */
export function attributePath(base: string, key: string): string {
  return `${base}.${formatPath([key])}`;
}

/**
 * Parses a rendered count or size: a positive integer up to {@link MAX_COUNT}.
 * Reports at the value's position and returns undefined when it is not one.
 */
export function positiveInteger(
  ctx: MapContext,
  node: LNode,
  rendered: string | undefined,
  srcPath: Path,
  what: string,
  max = MAX_COUNT,
  code: 'InvalidCountError' | 'SchemaError' = 'InvalidCountError',
): number | undefined {
  if (hasUnresolvedInput(rendered)) return undefined;
  const text = rendered?.trim();
  const n = text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= max) return n;
  const fromInput =
    isValueScalar(node) && typeof node.value === 'string' && /\$\{input\./.test(node.value) ? ` (rendered from ${scalarText(node)})` : '';
  const found = text !== undefined ? `'${text}'${fromInput}` : describeFound(node, srcPath);
  const expected = Number.isInteger(n) && n > max ? `a positive integer up to ${max}` : 'a positive integer';
  ctx.diag.error(node.at, srcPath, `${what} must be ${expected}, found ${found}`, code);
  return undefined;
}

/**
 * Moves a provider connection key found in a provision section (5.12 inline
 * credentials) out of the plan. Returns true when the key was consumed.
 */
export function takeConnectionKey(ctx: MapContext, key: string, value: string | undefined): boolean {
  const normalised = LEGACY_CONNECTION_KEYS[key];
  const secret = isSecretKey(key);
  if (normalised === undefined && !secret) return false;
  if (value === undefined) return true;
  const name = normalised ?? key;
  if (secret || isSecretKey(name)) ctx.connection.secrets[name] = value;
  else ctx.connection.settings[name] = value;
  return true;
}

/**
 * Reports a required value that is missing or empty. A value of the wrong
 * type is not reported again: the schema already did.
 */
export function requireValue(
  ctx: MapContext,
  value: string | undefined,
  node: LNode | undefined,
  at: Position,
  srcPath: Path,
  expected: string,
): value is string {
  if (value !== undefined && value.trim() !== '') return true;
  const absent = !node || (node.kind === 'scalar' && node.value === null);
  if (!absent && value === undefined) return false;
  const found = absent ? 'nothing' : 'an empty value';
  ctx.diag.error(node?.at ?? at, srcPath, `required: expected ${expected}, found ${found}`, 'RequiredFieldError');
  return false;
}
