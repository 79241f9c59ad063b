import * as nodePath from 'node:path';
import type { Diagnostics } from './diagnostics';
import { describeFound } from './describe-value';
import { mergeDescriptor } from './merge';
import { parseYaml } from './parse-yaml';
import type { LMap, LNode, Path, Position } from './located';
import type { DescriptorFs } from './types';
import { Utf8DecodeError } from '../shared/utf8';

/** Largest descriptor file read: descriptors are small; anything bigger is a mistake. */
const MAX_FILE_CHARS = 2_000_000;

/** A file as shown to the user and as read from disk. */
export interface FileRef {
  display: string;
  absolute: string;
  /** Directory `extends` paths are shown relative to; defaults to the display name's. */
  displayDir?: string;
  /** When set, `extends` may only name files inside this directory (descriptors sent as text). */
  confineTo?: string;
}

interface TreeContext {
  fs: DescriptorFs;
  diag: Diagnostics;
}

/** Where a file was asked for: the `extends` entry that named it. */
interface IncludedFrom {
  at: Position;
  path: Path;
}

/** Readable reason of a file system error, without the machine path. */
export function readFailure(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return err instanceof Error ? (err.message.split('\n')[0] ?? 'unreadable') : 'unreadable';
  }
}

/** Reads and parses one YAML file; reports a missing file or bad YAML at `from` (or the file's start). */
export async function readYamlFile(
  file: FileRef,
  ctx: TreeContext,
  from: IncludedFrom | undefined,
  what: string,
): Promise<LNode | undefined> {
  let text: string;
  try {
    text = await ctx.fs.readFile(file.absolute);
  } catch (err) {
    const at =
      err instanceof Utf8DecodeError
        ? { file: file.display, line: err.fault.line, column: err.fault.column }
        : (from?.at ?? { file: file.display, line: 1, column: 1 });
    ctx.diag.error(at, from?.path ?? '', `cannot read ${what} '${file.display}': ${readFailure(err)}`, 'FileReadError');
    return undefined;
  }
  if (text.length > MAX_FILE_CHARS) {
    const at = from?.at ?? { file: file.display, line: 1, column: 1 };
    ctx.diag.error(
      at,
      from?.path ?? '',
      `cannot read ${what} '${file.display}': larger than ${MAX_FILE_CHARS} characters`,
      'FileReadError',
    );
    return undefined;
  }
  return parseText(text, file.display, ctx.diag);
}

/** Parses YAML text, reporting syntax errors and YAML warnings. */
export function parseText(text: string, display: string, diag: Diagnostics): LNode | undefined {
  const parsed = parseYaml(text, display);
  if (!parsed.ok) {
    diag.error(parsed.at, '', parsed.message, 'YamlSyntaxError');
    return undefined;
  }
  for (const w of parsed.warnings) diag.warn(w.at, '', w.message);
  return parsed.root;
}

/**
 * Loads a descriptor and everything it `extends`, depth first, merged in
 * order with the including file last (so it wins). Paths in `extends` are
 * relative to the including file. Cycles and unreadable files are reported
 * at the `extends` entry that caused them; loading goes on with the rest.
 */
export async function loadTree(
  file: FileRef,
  root: LNode | undefined,
  ctx: TreeContext,
  stack: FileRef[] = [],
  from?: IncludedFrom,
): Promise<LMap | undefined> {
  const read = root ?? (await readYamlFile(file, ctx, from, stack.length === 0 ? 'descriptor' : 'extended file'));
  if (!read) return undefined;
  // A file of comments only (common.d/resources.yml) is an empty mapping.
  const node: LNode = read.kind === 'scalar' && read.value === null ? { kind: 'map', entries: new Map(), at: read.at } : read;
  if (node.kind !== 'map') {
    ctx.diag.error(node.at, '', `expected a mapping at the top of the file, found ${describeFound(node, [])}`, 'SchemaError');
    return undefined;
  }
  const chain = [...stack, file];
  let merged: LMap | undefined;
  for (const ext of extendsEntries(node, ctx.diag)) {
    const target: FileRef = {
      display: nodePath.isAbsolute(ext.value) ? ext.value : nodePath.join(file.displayDir ?? nodePath.dirname(file.display), ext.value),
      absolute: nodePath.resolve(nodePath.dirname(file.absolute), ext.value),
      ...(file.confineTo !== undefined ? { confineTo: file.confineTo } : {}),
    };
    if (target.confineTo !== undefined && !isInside(target.confineTo, target.absolute)) {
      ctx.diag.error(
        ext.at,
        ext.path,
        `extends may only name files inside the descriptor's directory, found '${ext.value}'`,
        'FileReadError',
      );
      continue;
    }
    const cycleStart = chain.findIndex((f) => f.absolute === target.absolute);
    if (cycleStart >= 0) {
      const loop = [...chain.slice(cycleStart), target].map((f) => f.display).join(' → ');
      ctx.diag.error(ext.at, ext.path, `extends cycle: ${loop}`, 'ExtendsCycleError');
      continue;
    }
    const base = await loadTree(target, undefined, ctx, chain, { at: ext.at, path: ext.path });
    if (base) merged = merged ? mergeDescriptor(merged, base) : base;
  }
  return merged ? mergeDescriptor(merged, node) : withoutExtends(node);
}

function isInside(dir: string, file: string): boolean {
  const rel = nodePath.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !nodePath.isAbsolute(rel);
}

function withoutExtends(node: LMap): LMap {
  if (!node.entries.has('extends')) return node;
  const entries = new Map(node.entries);
  entries.delete('extends');
  return { ...node, entries };
}

function extendsEntries(node: LMap, diag: Diagnostics): Array<{ value: string; at: Position; path: Path }> {
  const entry = node.entries.get('extends');
  if (!entry) return [];
  const value = entry.value;
  if (value.kind === 'scalar' && typeof value.value === 'string') return [{ value: value.value, at: value.at, path: ['extends'] }];
  if (value.kind === 'scalar' && value.value === null) return [];
  if (value.kind === 'seq') {
    const out: Array<{ value: string; at: Position; path: Path }> = [];
    value.items.forEach((item, i) => {
      if (item.kind === 'scalar' && typeof item.value === 'string') out.push({ value: item.value, at: item.at, path: ['extends', i] });
      else diag.error(item.at, ['extends', i], `expected a file path, found ${describeFound(item, [])}`, 'SchemaError');
    });
    return out;
  }
  diag.error(value.at, ['extends'], `expected a file path or a list of file paths, found ${describeFound(value, [])}`, 'SchemaError');
  return [];
}
