import type { Diagnostics } from './diagnostics';
import { readYamlFile, type FileRef } from './extends-tree';
import { describeFound } from './describe-value';
import { syntheticScalar, toPlain } from './located';
import { InputValuesFileSchema } from './raw-schema';
import type { SuppliedInput } from './inputs';
import type { DescriptorFs } from './types';
import { checkWithSchema } from './zod-issues';

/** The pseudo file name of values given as `--input NAME=VALUE`. */
export const COMMAND_LINE_INPUTS = '--input';

/**
 * Values given as `--input NAME=VALUE`. They have no file: errors about them
 * name `--input`, with the pair's ordinal as line and the value's offset in
 * `NAME=VALUE` as column.
 */
export function commandLineInputs(inputs: Readonly<Record<string, string>> | undefined): Map<string, SuppliedInput> {
  const out = new Map<string, SuppliedInput>();
  Object.entries(inputs ?? {}).forEach(([name, value], i) => {
    const at = { file: COMMAND_LINE_INPUTS, line: i + 1, column: name.length + 2 };
    out.set(name, { node: syntheticScalar(value, at), source: COMMAND_LINE_INPUTS });
  });
  return out;
}

/** Values from a YAML or JSON file mapping input names to values. */
export async function fileInputs(file: FileRef, fs: DescriptorFs, diag: Diagnostics): Promise<Map<string, SuppliedInput>> {
  const out = new Map<string, SuppliedInput>();
  const root = await readYamlFile(file, { fs, diag }, undefined, 'inputs file');
  if (!root) return out;
  if (root.kind !== 'map') {
    diag.error(root.at, '', `expected a mapping of input names to values, found ${describeFound(root, [])}`, 'SchemaError');
    return out;
  }
  if (!checkWithSchema(InputValuesFileSchema, root, toPlain(root), diag)) return out;
  for (const [name, entry] of root.entries) out.set(name, { node: entry.value, source: 'inputs file' });
  return out;
}
