import type { DeferredRef } from '../provisioning/plan';
import type { Diagnostics } from './diagnostics';
import type { InputValues } from './inputs';
import { positionIn, scalarText, type LScalar, type Path, type Position } from './located';

/** Kept verbatim in the plan when the provision id is not known yet. */
import { PROVISION_ID_PLACEHOLDER } from '../provisioning/provision-id';

export { PROVISION_ID_PLACEHOLDER };

/** Values placeholders resolve to while one object is rendered. */
export interface RenderScope {
  /** The rendered provision name; undefined while the name itself is rendered. */
  provisionName?: string;
  provisionId?: string;
  /** The host's position in the provision; only hosts have one. */
  index?: number;
  inputs: InputValues;
}

/** A reference resolved after registration or configuration, with where it was written. */
export interface PendingDeferred extends DeferredRef {
  /** `cluster`, `datastore`, `network`, `vntemplate` or `host` for object references. */
  object?: string;
  /** Index or name of the referenced object. */
  selector?: string;
  at: Position;
  srcPath: Path;
}

/** Object kinds a `${OBJECT.ID.ATTR}` reference may name, and the plan kind they map to. */
const OBJECT_KINDS: Record<string, DeferredRef['kind']> = {
  cluster: 'cluster',
  datastore: 'datastore',
  network: 'network',
  vntemplate: 'network',
  host: 'host',
};

/** oneprovision objects edge-provisioner does not create. */
const UNSUPPORTED_OBJECTS = new Set(['image', 'template', 'flowtemplate', 'marketplaceapp']);

const NAME_PART = /^[A-Za-z0-9_-]+$/;
const TOKEN = /\$\{([^}]*)\}|<%=\s*([^%]*?)\s*%>/g;

const KNOWN_FORMS = '${provision}, ${provision_id}, ${index}, ${input.NAME}, ${updates.NAME} or ${OBJECT.INDEX_OR_NAME.ATTRIBUTE}';

/** Where a rendered value goes: the plan path for deferred references, the source path for errors. */
export interface RenderTarget {
  srcPath: Path;
  planPath: string;
}

/** Everything a render call reports into. */
export interface RenderSink {
  diag: Diagnostics;
  deferred: PendingDeferred[];
}

/**
 * True when a rendered text still holds an input placeholder: the input had
 * no valid value and was reported, so checks of this text would only repeat it.
 */
export function hasUnresolvedInput(text: string | undefined): boolean {
  return text !== undefined && /\$\{input\./i.test(text);
}

/** True when a rendered text still holds a reference resolved later. */
export function hasDeferred(text: string): boolean {
  return /\$\{(?!provision_id\})[^}]*\}/.test(text);
}

/**
 * Renders one scalar: `${...}` placeholders (6.x) and `<%= @name %>` (5.12).
 * References resolved later are kept verbatim and recorded; unknown ones are
 * reported at their own column.
 */
export function renderScalar(node: LScalar, target: RenderTarget, scope: RenderScope, sink: RenderSink): string {
  const text = scalarText(node);
  if (typeof node.value !== 'string') return text;
  return text.replace(TOKEN, (token: string, ref: string | undefined, erb: string | undefined) => {
    const at = tokenPosition(node, token);
    if (erb !== undefined) return renderErb(token, erb, at, target, scope, sink);
    return renderRef(token, (ref ?? '').trim(), at, target, scope, sink);
  });
}

/**
 * An `array` input used as a whole value (`hostname: "${input.hosts}"`)
 * yields its list; anything else yields undefined.
 */
export function wholeArrayInput(node: LScalar, scope: RenderScope): string[] | undefined {
  if (typeof node.value !== 'string') return undefined;
  const m = /^\$\{input\.([A-Za-z0-9_-]+)\}$/.exec(node.value.trim());
  const value = m?.[1] ? scope.inputs.values.get(m[1])?.value : undefined;
  return Array.isArray(value) ? value : undefined;
}

function renderErb(token: string, expr: string, at: Position, target: RenderTarget, scope: RenderScope, sink: RenderSink): string {
  if (expr === '@name' && scope.provisionName !== undefined) return scope.provisionName;
  const why = expr === '@name' ? 'the provision name cannot refer to itself' : 'only <%= @name %> (the provision name) is known';
  sink.diag.error(at, target.srcPath, `unknown placeholder ${token}: ${why}`, 'UnknownPlaceholderError');
  return token;
}

function renderRef(token: string, ref: string, at: Position, target: RenderTarget, scope: RenderScope, sink: RenderSink): string {
  const unknown = (why: string): string => {
    sink.diag.error(at, target.srcPath, `unknown placeholder ${token}: ${why}`, 'UnknownPlaceholderError');
    return token;
  };
  const parts = ref.split('.');
  const [head, second, third] = parts;
  if (parts.length === 1) {
    if (head === 'provision') return scope.provisionName ?? unknown('the provision name cannot refer to itself');
    if (head === 'provision_id') return scope.provisionId ?? PROVISION_ID_PLACEHOLDER;
    if (head === 'index') return scope.index !== undefined ? String(scope.index) : unknown('${index} is only defined inside hosts');
    return unknown(`expected ${KNOWN_FORMS}`);
  }
  if (parts.some((p) => !NAME_PART.test(p))) return unknown('each part may only hold letters, digits, _ and -');
  if (parts.length === 2 && head === 'input' && second !== undefined) {
    const value = scope.inputs.values.get(second);
    if (value) return Array.isArray(value.value) ? value.value.join(',') : value.value;
    // A declared input without a value was reported where it is declared.
    if (scope.inputs.declared.has(second)) return token;
    const declared = [...scope.inputs.declared];
    return unknown(
      declared.length
        ? `no input '${second}' is declared (declared: ${declared.join(', ')})`
        : `no input '${second}' is declared (the descriptor has no inputs)`,
    );
  }
  if (parts.length === 2 && head === 'updates' && second !== undefined) {
    sink.deferred.push({ path: target.planPath, ref, kind: 'updates', at, srcPath: target.srcPath });
    return token;
  }
  if (parts.length === 3 && head !== undefined && second !== undefined && third !== undefined) {
    const kind = OBJECT_KINDS[head];
    if (kind) {
      sink.deferred.push({ path: target.planPath, ref, kind, object: head, selector: second, at, srcPath: target.srcPath });
      return token;
    }
    if (UNSUPPORTED_OBJECTS.has(head)) return unknown(`${head}s are not created by edge-provisioner, so they cannot be referenced`);
  }
  return unknown(`expected ${KNOWN_FORMS}`);
}

/** Position of a token inside a scalar: exact when the token appears verbatim in the source. */
function tokenPosition(node: LScalar, token: string): Position {
  if (!node.span) return node.at;
  const offset = node.span.source.text.indexOf(token, node.span.start);
  if (offset < 0 || offset >= node.span.end) return node.at;
  return positionIn(node.span.source, offset);
}
