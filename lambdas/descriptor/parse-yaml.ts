import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { positionIn, type LEntry, type LMap, type LNode, type Position, type SourceFile } from './located';
import { MAX_NESTING_DEPTH } from '../shared/limits';

/** Upper bound of nodes a document may expand to through aliases (guards "billion laughs"). */
const MAX_NODES = 200_000;

/** Result of parsing one YAML text. */
export type ParsedYaml =
  | { ok: true; root: LNode; source: SourceFile; warnings: Array<{ at: Position; message: string }> }
  | { ok: false; at: Position; message: string };

class TooLargeError extends Error {}

const TOO_DEEP = `the document nests deeper than ${MAX_NESTING_DEPTH} levels; a descriptor needs far fewer`;

/**
 * Parses YAML keeping every value's position. Reports the first syntax error
 * only: later ones are usually consequences of it.
 */
export function parseYaml(text: string, name: string): ParsedYaml {
  const lines = new LineCounter();
  const source: SourceFile = { name, text, lines };
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    // The parser's own recursion gives out on absurd nesting; say what is wrong with the document.
    const message = /call stack/i.test(first.message) ? TOO_DEEP : `invalid YAML: ${firstLine(first.message)}`;
    return { ok: false, at: positionIn(source, first.pos[0]), message };
  }
  const warnings = doc.warnings.map((w) => ({ at: positionIn(source, w.pos[0]), message: firstLine(w.message) }));
  const builder = new NodeBuilder(doc, source);
  try {
    const root: LNode = doc.contents
      ? builder.build(doc.contents as YamlNode, [])
      : { kind: 'map', entries: new Map(), at: positionIn(source, 0) };
    return { ok: true, root, source, warnings };
  } catch (err) {
    if (err instanceof TooLargeError) return { ok: false, at: positionIn(source, 0), message: err.message };
    throw err;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}

class NodeBuilder {
  private count = 0;

  constructor(
    private readonly doc: Document,
    private readonly source: SourceFile,
  ) {}

  build(node: YamlNode, resolving: YamlNode[], depth = 0): LNode {
    if (++this.count > MAX_NODES) {
      throw new TooLargeError(`document expands to more than ${MAX_NODES} values (aliases)`);
    }
    if (depth > MAX_NESTING_DEPTH) throw new TooLargeError(TOO_DEEP);
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      // A recursive alias cannot be represented as a plain tree.
      if (!target || resolving.includes(target)) return this.scalar(node, null);
      return this.build(target, [...resolving, target], depth);
    }
    if (isScalar(node)) {
      const v = node.value;
      // The core schema only yields strings, numbers, booleans and null; bigints are off.
      const value = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? Number(v) : null;
      return this.scalar(node, value);
    }
    if (isSeq(node)) {
      const items = node.items.map((item) => (item ? this.build(item as YamlNode, resolving, depth + 1) : this.scalar(node, null)));
      return { kind: 'seq', items, ...this.where(node) };
    }
    if (isMap(node)) return this.map(node, resolving, depth);
    return this.scalar(node, null);
  }

  private map(node: YamlNode & { items: Array<{ key: unknown; value: unknown }> }, resolving: YamlNode[], depth: number): LMap {
    const entries = new Map<string, LEntry>();
    const merged: LMap[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const isMergeKey = keyNode !== null && isScalar(keyNode) && typeof keyNode.value === 'symbol';
      const key = isMergeKey ? '<<' : keyNode && isScalar(keyNode) ? String(keyNode.value) : keyNode ? String(keyNode) : '';
      const keyAt = keyNode?.range ? positionIn(this.source, keyNode.range[0]) : this.where(node).at;
      const valueNode = pair.value as YamlNode | null;
      const value: LNode = valueNode ? this.build(valueNode, resolving, depth + 1) : { kind: 'scalar', value: null, at: keyAt };
      if (isMergeKey) {
        // YAML merge keys: explicit keys win over merged ones, whatever their order.
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const s of sources) if (s.kind === 'map') merged.push(s);
        continue;
      }
      entries.set(key, { key, keyAt, value });
    }
    for (const m of merged) {
      for (const [key, entry] of m.entries) if (!entries.has(key)) entries.set(key, entry);
    }
    return { kind: 'map', entries, ...this.where(node) };
  }

  private scalar(node: YamlNode, value: string | number | boolean | null): LNode {
    return { kind: 'scalar', value, ...this.where(node) };
  }

  private where(node: YamlNode): { at: Position; span?: { source: SourceFile; start: number; end: number } } {
    const range = node.range;
    if (!range) return { at: positionIn(this.source, 0) };
    return { at: positionIn(this.source, range[0]), span: { source: this.source, start: range[0], end: range[1] } };
  }
}
