import type { LineCounter } from 'yaml';

/** Where a value was written: 1-based line and column in a named file. */
export interface Position {
  file: string;
  line: number;
  column: number;
}

/** A parsed source file, kept so columns inside a scalar can be computed later. */
export interface SourceFile {
  name: string;
  text: string;
  lines: LineCounter;
}

/** The characters a node spans in its source file. */
export interface Span {
  source: SourceFile;
  start: number;
  end: number;
}

interface NodeBase {
  at: Position;
  span?: Span;
}

/** A scalar value with its position. */
export interface LScalar extends NodeBase {
  kind: 'scalar';
  value: string | number | boolean | null;
}

/** One key of a mapping: where the key was written and its value. */
export interface LEntry {
  key: string;
  keyAt: Position;
  value: LNode;
}

/** A mapping whose entries keep their positions (insertion order preserved). */
export interface LMap extends NodeBase {
  kind: 'map';
  entries: Map<string, LEntry>;
}

/** A sequence whose items keep their positions. */
export interface LSeq extends NodeBase {
  kind: 'seq';
  items: LNode[];
}

/**
 * A YAML value that remembers where each part was written, so that values
 * merged from several files (`extends`) still point at their own file.
 */
export type LNode = LScalar | LMap | LSeq;

/** A path into a descriptor: keys and list indexes. */
export type Path = ReadonlyArray<string | number>;

/** Position of a character offset in a source file. */
export function positionIn(source: SourceFile, offset: number): Position {
  const { line, col } = source.lines.linePos(Math.max(0, Math.min(offset, source.text.length)));
  return { file: source.name, line, column: col };
}

/** Converts a located value into plain data (the shape zod validates). */
export function toPlain(node: LNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of node.entries) out[key] = toPlain(entry.value);
      return out;
    }
  }
}

/** The entry of a mapping node, if the node is a mapping and has the key. */
export function entryOf(node: LNode | undefined, key: string): LEntry | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

/** The value under a key of a mapping node. */
export function valueOf(node: LNode | undefined, key: string): LNode | undefined {
  return entryOf(node, key)?.value;
}

/** Items of a sequence node; empty for anything else (shape errors are reported by the schema). */
export function itemsOf(node: LNode | undefined): LNode[] {
  return node?.kind === 'seq' ? node.items : [];
}

/** True for a scalar that carries a value (not null). */
export function isValueScalar(node: LNode | undefined): node is LScalar & { value: string | number | boolean } {
  return node?.kind === 'scalar' && node.value !== null;
}

/**
 * The text of a scalar as written: numbers keep their source spelling
 * (`2.10` stays `2.10`), booleans become `true`/`false`.
 */
export function scalarText(node: LScalar): string {
  if (node.value === null) return '';
  if (typeof node.value === 'number' && node.span) {
    const raw = node.span.source.text.slice(node.span.start, node.span.end).trim();
    if (raw !== '' && Number(raw.replace(/_/g, '')) === node.value) return raw;
  }
  return String(node.value);
}

/**
 * Finds the node a path names, or the deepest existing ancestor when the path
 * goes further than the data (a missing key is reported where its parent is).
 */
export function locate(root: LNode, path: Path): { node: LNode; exact: boolean; keyAt?: Position } {
  let node: LNode = root;
  let keyAt: Position | undefined;
  for (const segment of path) {
    let next: LNode | undefined;
    let nextKeyAt: Position | undefined;
    if (node.kind === 'map') {
      const entry = node.entries.get(String(segment));
      next = entry?.value;
      nextKeyAt = entry?.keyAt;
    } else if (node.kind === 'seq' && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (!next) return { node, exact: false, keyAt };
    node = next;
    keyAt = nextKeyAt;
  }
  return { node, exact: true, keyAt };
}

/** A scalar node that does not come from a file (command-line values). */
export function syntheticScalar(value: string, at: Position): LScalar {
  return { kind: 'scalar', value, at };
}

/**
 * A located value built from plain data (a descriptor sent as a JSON object):
 * every node is placed at `at`, so errors name the path within it.
 */
export function fromPlain(value: unknown, at: Position): LNode {
  if (Array.isArray(value)) return { kind: 'seq', items: value.map((v) => fromPlain(v, at)), at };
  if (value !== null && typeof value === 'object') {
    const entries = new Map<string, LEntry>();
    for (const [key, v] of Object.entries(value)) entries.set(key, { key, keyAt: at, value: fromPlain(v, at) });
    return { kind: 'map', entries, at };
  }
  if (value === null || value === undefined) return { kind: 'scalar', value: null, at };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { kind: 'scalar', value, at };
  return { kind: 'scalar', value: String(value), at };
}
