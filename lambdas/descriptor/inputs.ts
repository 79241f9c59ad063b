import type { Diagnostics } from './diagnostics';
import { quote } from './describe-value';
import { checkInputValue, type InputDefinition, type InputValue } from './input-check';
import { isValueScalar, itemsOf, scalarText, toPlain, valueOf, type LNode, type Path, type Position } from './located';
import { InputDefinitionSchema } from './raw-schema';

/** An input definition as written, with where it sits. */
export interface InputDefinitionNode {
  node: LNode;
  path: Path;
}

/** A value given for an input, with where it was given. */
export interface SuppliedInput {
  node: LNode;
  /** `--input` or `inputs file`, for messages. */
  source: string;
}

/** An input with its final value. */
export interface ResolvedInput {
  name: string;
  value: InputValue;
  secret: boolean;
  at: Position;
  source: string;
}

/** Every declared input name, and the values of those that resolved. */
export interface InputValues {
  declared: Set<string>;
  values: Map<string, ResolvedInput>;
}

/**
 * Resolves inputs: a supplied value wins over the inputs file, which wins
 * over the default. Later definitions of the same name (a provider file's)
 * replace earlier ones. Every problem is reported where the value was written.
 */
export function resolveInputs(definitions: InputDefinitionNode[], supplied: Map<string, SuppliedInput>, diag: Diagnostics): InputValues {
  const byName = new Map<string, { def: InputDefinition; usable: boolean; node: LNode; path: Path }>();
  for (const { node, path } of definitions) {
    const read = readDefinition(node, path, diag);
    if (read) byName.set(read.def.name, { ...read, node, path });
  }
  const values = new Map<string, ResolvedInput>();
  for (const [name, { def, usable, node, path }] of byName) {
    if (!usable) continue;
    const given = supplied.get(name);
    const valueNode = given?.node ?? def.defaultNode;
    const source = given?.source ?? 'default';
    if (!valueNode) {
      const at = valueOf(node, 'name')?.at ?? node.at;
      diag.error(
        at,
        path,
        `input '${name}' (${def.type}) has no value: no default is declared and none was given (pass --input ${name}=VALUE or an inputs file)`,
        'InputMissingError',
      );
      continue;
    }
    if (def.type === 'fixed' && given && def.defaultNode && !sameText(given.node, def.defaultNode)) {
      diag.error(
        given.node.at,
        given.source === '--input' ? `inputs.${name}` : [name],
        `input '${name}' is fixed and cannot be changed`,
        'InputValueError',
      );
      continue;
    }
    const checked = checkInputValue(def, valueNode);
    if (!checked.ok) {
      const valuePath: Path | string = given ? (given.source === '--input' ? `inputs.${name}` : [name]) : [...path, 'default'];
      diag.error(valueNode.at, valuePath, `${checked.message} (from ${source})`, 'InputValueError');
      continue;
    }
    values.set(name, { name, value: checked.value, secret: def.type === 'password', at: valueNode.at, source });
  }
  for (const [name, given] of supplied) {
    if (!byName.has(name)) {
      diag.warn(
        given.node.at,
        given.source === '--input' ? `inputs.${name}` : [name],
        `input '${name}' is not declared by the descriptor; ignored`,
      );
    }
  }
  return { declared: new Set(byName.keys()), values };
}

function sameText(a: LNode, b: LNode): boolean {
  return isValueScalar(a) && isValueScalar(b) && scalarText(a) === scalarText(b);
}

function readDefinition(node: LNode, path: Path, diag: Diagnostics): { def: InputDefinition; usable: boolean } | undefined {
  // Shape errors were reported by the descriptor schema; only usable definitions go on.
  const parsed = InputDefinitionSchema.safeParse(toPlain(node));
  if (!parsed.success) return undefined;
  const raw = parsed.data;
  const def: InputDefinition = { name: raw.name, type: raw.type };
  const defaultNode = valueOf(node, 'default');
  if (defaultNode && !(defaultNode.kind === 'scalar' && defaultNode.value === null)) def.defaultNode = defaultNode;
  const optionsNode = valueOf(node, 'options');
  if (optionsNode?.kind === 'seq') def.options = itemsOf(optionsNode).filter(isValueScalar).map(scalarText);
  let usable = true;
  for (const bound of ['min_value', 'max_value'] as const) {
    const boundNode = valueOf(node, bound);
    if (!isValueScalar(boundNode)) continue;
    const n = Number(scalarText(boundNode));
    if (!Number.isFinite(n)) {
      diag.error(boundNode.at, [...path, bound], `expected a number, found ${quote(scalarText(boundNode))}`, 'SchemaError');
      usable = false;
    } else if (bound === 'min_value') def.min = n;
    else def.max = n;
  }
  if ((raw.type === 'range' || raw.type === 'range-float') && (def.min === undefined || def.max === undefined) && usable) {
    diag.error(node.at, path, `required: input type ${raw.type} needs min_value and max_value`, 'RequiredFieldError');
    usable = false;
  }
  if (raw.type === 'list' && (!def.options || def.options.length === 0)) {
    diag.error(node.at, path, 'required: input type list needs a non-empty options list', 'RequiredFieldError');
    usable = false;
  }
  if (raw.type === 'fixed' && !def.defaultNode) {
    diag.error(node.at, path, 'required: input type fixed needs a default (its only value)', 'RequiredFieldError');
    usable = false;
  }
  if (def.min !== undefined && def.max !== undefined && def.min > def.max) {
    diag.error(node.at, path, `min_value ${def.min} is greater than max_value ${def.max}`, 'SchemaError');
    usable = false;
  }
  return { def, usable };
}
