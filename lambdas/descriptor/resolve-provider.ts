import type { Diagnostics } from './diagnostics';
import { readYamlFile, type FileRef } from './extends-tree';
import type { InputDefinitionNode } from './inputs';
import { isValueScalar, itemsOf, scalarText, toPlain, valueOf, type LMap, type LNode, type LScalar, type Path } from './located';
import type { ConnectionValues } from './map-context';
import { lookupProvider } from './providers';
import { ProviderFileSchema } from './raw-schema';
import { isSecretKey } from './secret-keys';
import type { DescriptorFs } from './types';
import { checkWithSchema } from './zod-issues';

/** The provider a descriptor uses, and what its provider file contributes. */
export interface ResolvedProvider {
  /** Registry name (`sim`, `aws`, `onprem`); undefined when retired, unknown or missing. */
  name?: string;
  retired: boolean;
  /** Inputs declared by the provider file; they replace same-named descriptor inputs. */
  inputs: InputDefinitionNode[];
  connection: ConnectionValues;
}

/** The node naming the provider in a provision section: `provider_name` (6.x) or `driver` (5.12). */
function providerNode(section: LNode | undefined): { node: LScalar; key: string } | undefined {
  for (const key of ['provider_name', 'driver']) {
    const node = valueOf(section, key);
    if (isValueScalar(node)) return { node, key };
  }
  return undefined;
}

/**
 * Resolves the provider: a provider file's `provider` wins over the
 * descriptor's `defaults.provision.provider_name` (or 5.12 `driver`).
 * Retired and unknown names get their own errors; hosts may not name another provider.
 */
export async function resolveProvider(
  root: LMap,
  providerFile: FileRef | undefined,
  fs: DescriptorFs,
  diag: Diagnostics,
): Promise<ResolvedProvider> {
  const out: ResolvedProvider = { retired: false, inputs: [], connection: { secrets: {}, settings: {} } };
  const defaultsPath: Path = ['defaults', 'provision'];
  const defaultsProvision = valueOf(valueOf(root, 'defaults'), 'provision');
  const named = providerNode(defaultsProvision);
  let decided = false;

  if (providerFile) {
    const file = await readYamlFile(providerFile, { fs, diag }, undefined, 'provider file');
    if (file?.kind === 'map' && checkWithSchema(ProviderFileSchema, file, toPlain(file), diag)) {
      const node = valueOf(file, 'provider');
      if (isValueScalar(node)) decide(out, scalarText(node), node, ['provider'], diag);
      readConnection(file, out.connection);
      itemsOf(valueOf(file, 'inputs')).forEach((item, i) => out.inputs.push({ node: item, path: ['inputs', i] }));
      if (named && out.name && lookupProvider(scalarText(named.node)).status !== 'supported') {
        diag.warn(
          named.node.at,
          [...defaultsPath, named.key],
          `provider '${scalarText(named.node)}' is replaced by the provider file's '${out.name}'`,
        );
      }
    } else if (file && file.kind !== 'map') {
      diag.error(file.at, '', 'expected a provider file (a mapping with provider and connection)', 'SchemaError');
    }
    decided = true;
  } else if (named) {
    decide(out, scalarText(named.node), named.node, [...defaultsPath, named.key], diag);
    decided = true;
  }
  if (!decided) {
    diag.error(
      defaultsProvision?.at ?? root.at,
      [...defaultsPath, 'provider_name'],
      'required: expected a provider (defaults.provision.provider_name, or a provider file), found nothing',
      'RequiredFieldError',
    );
  }
  if (out.name) checkHostProviders(root, out.name, diag);
  return out;
}

function decide(out: ResolvedProvider, raw: string, node: LNode, path: Path, diag: Diagnostics): void {
  const found = lookupProvider(raw);
  if (found.status === 'supported') out.name = found.name;
  else if (found.status === 'retired') {
    out.retired = true;
    diag.error(node.at, path, found.message, 'RetiredProviderError');
  } else diag.error(node.at, path, found.message, 'UnknownProviderError');
}

function readConnection(file: LMap, connection: ConnectionValues): void {
  const section = valueOf(file, 'connection');
  if (section?.kind !== 'map') return;
  for (const [key, entry] of section.entries) {
    if (!isValueScalar(entry.value)) continue;
    if (isSecretKey(key)) connection.secrets[key] = scalarText(entry.value);
    else connection.settings[key] = scalarText(entry.value);
  }
}

function checkHostProviders(root: LMap, provider: string, diag: Diagnostics): void {
  itemsOf(valueOf(root, 'hosts')).forEach((host, i) => {
    const named = providerNode(valueOf(host, 'provision'));
    if (!named) return;
    const found = lookupProvider(scalarText(named.node));
    if (found.status === 'supported' && found.name === provider) return;
    diag.error(
      named.node.at,
      ['hosts', i, 'provision', named.key],
      `every host of a provision uses its provider '${provider}', found '${scalarText(named.node)}'`,
      'ProviderMismatchError',
    );
  });
}
