import { cpSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync, type BuildOptions } from 'esbuild';

/** Modules left out of every bundle: ssh2's optional native add-ons (it falls back to pure JS). */
export const BUNDLE_EXTERNALS = ['cpu-features', '*.node'] as const;

/** Package entry points esbuild prefers: ESM (`module`), which it tree-shakes, before CommonJS. */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'] as const;

/** The file Lambda loads: an ES module, so `handler` is `index.handler`. */
export const BUNDLE_ENTRY_FILE = 'index.mjs';

/** Where the chunks a function imports only on demand go, beside the entry file. */
export const BUNDLE_CHUNK_DIR = 'chunks';

/*
 * CommonJS dependencies bundled into an ES module still call `require` for
 * Node's built-ins, and the role-script directory is found from `__dirname`;
 * an ES module has neither, so every file defines both. A chunk sits one
 * folder down, and `__dirname` is the entry file's folder, where `roles/` is.
 */
const BANNER = [
  "import { createRequire as __edgeCreateRequire } from 'node:module';",
  "import { dirname as __edgeDirname } from 'node:path';",
  "import { fileURLToPath as __edgeFileUrlToPath } from 'node:url';",
  'const require = __edgeCreateRequire(import.meta.url);',
  `const __dirname = ((d) => (d.endsWith('/${BUNDLE_CHUNK_DIR}') ? __edgeDirname(d) : d))(__edgeDirname(__edgeFileUrlToPath(import.meta.url)));`,
].join('\n');

/**
 * esbuild options of one function's bundle: an ES module with code
 * splitting, so what a function imports only on demand (a provider's SDK
 * client, the IPAM driver, the SSH runner) is a separate chunk that Node
 * neither parses nor runs until a step asks for it. A CommonJS bundle holds
 * the same code in one file that Node parses whole on every cold start.
 */
export function bundleOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: entry },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    chunkNames: `${BUNDLE_CHUNK_DIR}/[name]-[hash]`,
    platform: 'node',
    target: 'node24',
    minify: true,
    // Retry/Catch match errors by class name (EdgeError sets name from
    // new.target.name); minified names would never match.
    keepNames: true,
    sourcemap: true,
    sourcesContent: false,
    // The pinned AWS SDK is bundled, not taken from the runtime: the drivers
    // rely on request fields (EC2 CpuOptions.NestedVirtualization) that an
    // older preinstalled SDK would silently drop.
    external: [...BUNDLE_EXTERNALS],
    // ESM builds first: esbuild drops what a function does not use from them
    // (most of each AWS SDK client), which it cannot from CommonJS.
    mainFields: [...BUNDLE_MAIN_FIELDS],
    banner: { js: BANNER },
    logLevel: 'warning',
  };
}

/** A static `import … from "./x.mjs"` (or a bare `import "./x.mjs"`) of a minified module; `import("…")` is not one. */
const STATIC_IMPORT = /(?:^|[;\n}])\s*import\s*(?:[\w${},\s*]+from\s*)?"(\.{1,2}\/[^"]+)"/g;

/**
 * The files of a bundle directory a cold start loads: the entry and every
 * chunk reached from it by static imports (paths relative to `dir`). Chunks
 * reached only through `import()` are left out: they load when a step asks.
 */
export function coldStartFiles(dir: string, entry: string = BUNDLE_ENTRY_FILE): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(path.join(dir, file), 'utf8').matchAll(STATIC_IMPORT)) {
      visit(path.normalize(path.join(path.dirname(file), m[1] as string)));
    }
  };
  visit(entry);
  return seen;
}

/** Bundles one function with the esbuild that ships with the project: offline, without Docker. */
class LocalEsbuild implements ILocalBundling {
  constructor(
    private readonly entry: string,
    private readonly copyDirs: ReadonlyArray<{ from: string; to: string }>,
  ) {}

  tryBundle(outputDir: string): boolean {
    buildSync(bundleOptions(this.entry, outputDir));
    for (const dir of this.copyDirs) cpSync(dir.from, path.join(outputDir, dir.to), { recursive: true });
    return true;
  }
}

/** Properties of {@link bundledCode}. */
export interface BundledCodeProps {
  /** The handler's source file. */
  readonly entry: string;
  /** The project root: the asset's source (its hash is the bundle's, not the source tree's). */
  readonly projectRoot: string;
  /** Directories copied beside the entry file (`{ from, to }`, `to` relative to it). */
  readonly copyDirs?: ReadonlyArray<{ from: string; to: string }>;
}

/**
 * A function's code: its handler bundled by {@link bundleOptions}, hashed by
 * the bundle's bytes so an unchanged bundle is not uploaded again.
 */
export function bundledCode(props: BundledCodeProps): Code {
  return Code.fromAsset(props.projectRoot, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never run: local bundling always succeeds or throws.
      image: DockerImage.fromRegistry('local-esbuild-only'),
      local: new LocalEsbuild(props.entry, props.copyDirs ?? []),
    },
  });
}
