import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  loadDescriptorFile,
  loadDescriptorText,
  MemorySecretStore,
  type DescriptorError,
  type LoadOptions,
  type LoadResult,
  type LoadTextOptions,
  type ProvisionPlan,
} from '../../lambdas/descriptor';

/** Joins lines so that line N of the text is `lines[N - 1]`. */
export function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

/** Loads descriptor text named `edge.yml` with an in-memory secret store. */
export async function loadText(
  text: string,
  options: Partial<LoadTextOptions> = {},
): Promise<{ result: LoadResult; store: MemorySecretStore }> {
  const store = new MemorySecretStore();
  const result = await loadDescriptorText(text, { secretStore: store, sourceName: 'edge.yml', ...options });
  return { result, store };
}

/** Loads a file with an in-memory secret store. */
export async function loadFile(
  path: string,
  options: Partial<LoadOptions> = {},
): Promise<{ result: LoadResult; store: MemorySecretStore }> {
  const store = new MemorySecretStore();
  const result = await loadDescriptorFile(path, { secretStore: store, ...options });
  return { result, store };
}

/** The plan of a result that must have loaded. */
export function planOf(result: LoadResult): ProvisionPlan {
  if (!result.ok)
    throw new Error(
      `expected a plan, got errors:\n${result.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.path}: ${e.message}`).join('\n')}`,
    );
  return result.plan;
}

/** The errors of a result that must have failed. */
export function errorsOf(result: LoadResult): DescriptorError[] {
  if (result.ok) throw new Error('expected errors, got a plan');
  return result.errors;
}

/** A temporary directory with the given files; returns its path and a cleanup. */
export function tempTree(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'descriptor-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A minimal valid native descriptor on the sim provider, as lines (line N = index N-1). */
export const SIM_BASE = [
  "name: 'edge'",
  'defaults:',
  '  provision:',
  "    provider_name: 'sim'",
  'hosts:',
  "  - im_mad: 'kvm'",
  "    vm_mad: 'kvm'",
  '    provision:',
  "      hostname: 'h${index}'",
];
