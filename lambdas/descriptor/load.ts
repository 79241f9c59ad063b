import { promises as nodeFs } from 'node:fs';
import * as nodePath from 'node:path';
import { ProvisionPlanSchema, type ProvisionPlan } from '../provisioning/plan';
import { checkPlanFields } from '../provisioning/plan-fields';
import { ownSecretName, pendingSecretName } from '../provisioning/credentials';
import { describeError } from '../shared/errors';
import { decodeUtf8, Utf8DecodeError } from '../shared/utf8';
import { Diagnostics } from './diagnostics';
import { loadTree, parseText, type FileRef } from './extends-tree';
import { commandLineInputs, fileInputs } from './input-sources';
import { resolveInputs, type InputDefinitionNode, type SuppliedInput } from './inputs';
import { fromPlain, itemsOf, toPlain, valueOf, type LMap, type LNode, type Position } from './located';
import { mapCluster } from './map-cluster';
import { renderText, type MapContext } from './map-context';
import { mapDatastores } from './map-datastores';
import { mapHosts, takeDefaultsConnection } from './map-hosts';
import { mapNative } from './map-native';
import { mapNetworks } from './map-networks';
import { checkHostKeyPins, checkUniqueNames, resolveDeferred } from './plan-checks';
import { checkOpenNebulaRules } from './opennebula-checks';
import { DescriptorSchema } from './raw-schema';
import { resolveProvider } from './resolve-provider';
import type { DescriptorFs, LoadOptions, LoadResult, LoadTextOptions } from './types';
import { checkWithSchema } from './zod-issues';

const defaultFs: DescriptorFs = {
  // Strictly UTF-8: a replaced byte would silently change a name or a value.
  readFile: async (path) => {
    const decoded = decodeUtf8(await nodeFs.readFile(path));
    if (!decoded.ok) throw new Utf8DecodeError(decoded.fault);
    return decoded.text;
  },
};

/** Top-level keys the loader reads. */
const READ_KEYS = new Set([
  'name',
  'description',
  'extends',
  'inputs',
  'defaults',
  'cluster',
  'hosts',
  'datastores',
  'networks',
  'vntemplates',
  'ttl',
  'tags',
  'failure_policy',
  'max_concurrency',
  'overlay',
  'teardown_on',
]);
/** Keys oneprovision keeps as extra provision data; accepted silently. */
const KNOWN_EXTRAS = new Set(['playbook', 'ansible', 'image', 'provider', 'aws_configuration', 'ceph_vars', 'fireedge']);
/** oneprovision virtual objects edge-provisioner does not create. */
const NOT_CREATED = new Set(['images', 'marketplaceapps', 'templates', 'flowtemplates']);

/**
 * Loads a descriptor file (and what it `extends`) into a provision plan.
 * Never throws for bad input: every problem comes back as a located error.
 */
export async function loadDescriptorFile(path: string, options: LoadOptions): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  return guarded(path, () => load({ display: path, absolute: nodePath.resolve(cwd, path) }, undefined, options));
}

/**
 * Loads descriptor text (an API body, say) into a provision plan; `extends`
 * paths resolve against `baseDir` and may not leave it.
 */
export async function loadDescriptorText(text: string, options: LoadTextOptions): Promise<LoadResult> {
  return loadSource(options, (name, diag) => parseText(text, name, diag));
}

/**
 * Loads a descriptor already parsed into plain data (a JSON request body's
 * `descriptor` object) without writing it out as YAML and parsing it again;
 * errors name the path within the object.
 */
export async function loadDescriptorValue(value: unknown, options: LoadTextOptions): Promise<LoadResult> {
  return loadSource(options, (name) => fromPlain(value, { file: name, line: 1, column: 1 }));
}

async function loadSource(options: LoadTextOptions, parse: (name: string, diag: Diagnostics) => LNode | undefined): Promise<LoadResult> {
  const name = options.sourceName ?? '<descriptor>';
  const cwd = options.cwd ?? process.cwd();
  const displayDir = options.baseDir ?? nodePath.dirname(name);
  const absoluteDir = nodePath.resolve(cwd, displayDir);
  // Text comes from a caller (an API body, say): its extends must not reach outside baseDir.
  const file: FileRef = {
    display: name,
    absolute: nodePath.join(absoluteDir, nodePath.basename(name)),
    displayDir,
    confineTo: absoluteDir,
  };
  return guarded(name, async () => {
    const diag = new Diagnostics();
    const root = parse(name, diag);
    if (!root) return { ok: false, errors: diag.errors, warnings: diag.warnings };
    return load(file, root, options, diag);
  });
}

/** A defect in the loader must still come back as one readable error, not a stack trace. */
async function guarded(file: string, run: () => Promise<LoadResult>): Promise<LoadResult> {
  try {
    return await run();
  } catch (err) {
    const { message } = describeError(err);
    return {
      ok: false,
      errors: [
        { file, line: 1, column: 1, path: '', message: `internal error while loading the descriptor: ${message}`, code: 'SchemaError' },
      ],
      warnings: [],
    };
  }
}

async function load(file: FileRef, rootNode: LNode | undefined, options: LoadOptions, diag = new Diagnostics()): Promise<LoadResult> {
  const fs = options.fs ?? defaultFs;
  const cwd = options.cwd ?? process.cwd();
  const failed = (): LoadResult => ({ ok: false, errors: diag.errors, warnings: diag.warnings });
  const root = await loadTree(file, rootNode, { fs, diag });
  if (!root) return failed();
  checkWithSchema(DescriptorSchema, root, toPlain(root), diag);
  warnAboutExtras(root, diag);

  const ref = (path: string): FileRef => ({ display: path, absolute: nodePath.resolve(cwd, path) });
  const provider = await resolveProvider(root, options.providerFile ? ref(options.providerFile) : undefined, fs, diag);
  const supplied = new Map<string, SuppliedInput>([
    ...(options.inputsFile ? await fileInputs(ref(options.inputsFile), fs, diag) : []),
    ...commandLineInputs(options.inputs),
  ]);
  const definitions: InputDefinitionNode[] = [
    ...itemsOf(valueOf(root, 'inputs')).map((node, i) => ({ node, path: ['inputs', i] })),
    ...provider.inputs,
  ];
  const inputs = resolveInputs(definitions, supplied, diag);

  const ctx: MapContext = {
    diag,
    deferred: [],
    root,
    scope: { inputs, provisionId: options.provisionId },
    connection: provider.connection,
    origins: new Map(),
  };
  const name = renderText(ctx, valueOf(root, 'name'), ['name'], 'name') ?? '';
  ctx.scope.provisionName = name;
  const description = renderText(ctx, valueOf(root, 'description'), ['description'], 'description');
  const cluster = mapCluster(ctx, name);
  takeDefaultsConnection(ctx);
  const hosts = mapHosts(ctx);
  const datastores = mapDatastores(ctx);
  const networks = mapNetworks(ctx, !provider.retired);
  const native = mapNative(ctx, hosts.length, networks);

  const indexHint = ' (put ${index} in provision.hostname so each copy gets its own name)';
  checkUniqueNames(
    'host',
    hosts.map((h) => ({ ...h, name: h.plan.name, at: h.nameAt })),
    diag,
    indexHint,
  );
  checkUniqueNames(
    'datastore',
    datastores.map((d) => ({ ...d, name: d.plan.name, at: d.nameAt })),
    diag,
  );
  checkUniqueNames(
    'network',
    networks.map((n) => ({ ...n, name: n.plan.name, at: n.nameAt })),
    diag,
  );
  checkHostKeyPins(hosts, diag);
  // A retired provider's template is reported as such; what its objects would meet in oned no longer matters.
  if (!provider.retired) checkOpenNebulaRules(root, native, networks, datastores, diag);
  const deferred = resolveDeferred(ctx.deferred, { clusterName: cluster.name, hosts, datastores, networks }, diag);
  if (diag.failed || !provider.name) return failed();

  const unchecked: ProvisionPlan = {
    name,
    ...(description !== undefined ? { description } : {}),
    provider: { name: provider.name, settings: ctx.connection.settings },
    cluster,
    hosts: hosts.map((h) => h.plan),
    datastores: datastores.map((d) => d.plan),
    networks: networks.map((n) => n.plan),
    deferred,
    ...native,
  };
  // Before the credentials are stored: a refused descriptor leaves nothing behind.
  reportFieldIssues(unchecked, ctx, root.at);
  if (diag.failed) return failed();

  const secrets = ctx.connection.secrets;
  const connectionRef = Object.keys(secrets).length
    ? await options.secretStore.put(options.provisionId ? ownSecretName(options.provisionId) : pendingSecretName(), secrets)
    : undefined;
  const candidate: ProvisionPlan = {
    ...unchecked,
    provider: { ...unchecked.provider, ...(connectionRef ? { connectionRef } : {}) },
  };
  const parsed = ProvisionPlanSchema.safeParse(candidate);
  if (!parsed.success) {
    const at: Position = root.at;
    for (const issue of parsed.error.issues) {
      diag.error(at, issue.path.map(String).join('.'), `the rendered plan is invalid: ${issue.message}`, 'SchemaError');
    }
    return failed();
  }
  return { ok: true, plan: parsed.data, warnings: diag.warnings };
}

/** Field rules, reported where each field was written (or at the top of the file for a field a default supplied). */
function reportFieldIssues(plan: ProvisionPlan, ctx: MapContext, top: Position): void {
  const unlocated = new Set<string>();
  for (const issue of checkPlanFields(plan)) {
    const origin = ctx.origins?.get(issue.path);
    if (origin) ctx.diag.error(origin.at, origin.srcPath, issue.message, 'InvalidFieldError');
    else unlocated.add(JSON.stringify(issue));
  }
  const located = new Set(ctx.diag.errors.map((e) => e.message));
  for (const text of unlocated) {
    const issue = JSON.parse(text) as { path: string; message: string };
    // A derived field (a network's IPAM from its address range) was reported where it was written.
    if (!located.has(issue.message)) ctx.diag.error(top, issue.path, issue.message, 'InvalidFieldError');
  }
}

function warnAboutExtras(root: LMap, diag: Diagnostics): void {
  for (const [key, entry] of root.entries) {
    if (READ_KEYS.has(key) || KNOWN_EXTRAS.has(key)) continue;
    if (NOT_CREATED.has(key)) diag.warn(entry.keyAt, [key], `${key} are not created by edge-provisioner; ignored`);
    else diag.warn(entry.keyAt, [key], `unknown top-level key '${key}' kept as extra data; the plan does not use it`);
  }
}
