import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The layering of `lambdas/` (docs/architecture.md): the kernel at the bottom,
 * the domain with its ports above it, adapters implementing the ports, the
 * composition root and the entry points on top. Checked on every relative
 * import, type-only ones included.
 */
const ROOT = join(__dirname, '..', '..');
const LAMBDAS = join(ROOT, 'lambdas');

const ADAPTERS = ['drivers', 'store', 'opennebula', 'hostconfig', 'events', 'scheduling', 'secrets', 'workflows'];
const ABOVE_DOMAIN = [...ADAPTERS, 'wiring', 'handlers', 'api', 'descriptor'];

/** Folders (first segment under `lambdas/`, or outside it) a folder may not import. */
const FORBIDDEN: Record<string, string[]> = {
  shared: ['provisioning', ...ABOVE_DOMAIN],
  provisioning: [...ABOVE_DOMAIN, '../sandbox', '../infra', '../cli'],
  descriptor: [...ADAPTERS, 'wiring', 'handlers', 'api'],
  drivers: ['store', 'opennebula', 'hostconfig', 'events', 'scheduling', 'secrets', 'workflows', 'wiring', 'handlers', 'api'],
  store: ['drivers', 'opennebula', 'hostconfig', 'events', 'scheduling', 'secrets', 'workflows', 'wiring', 'handlers', 'api'],
  opennebula: ['drivers', 'store', 'hostconfig', 'events', 'scheduling', 'secrets', 'workflows', 'wiring', 'handlers', 'api'],
  hostconfig: ['drivers', 'store', 'opennebula', 'events', 'scheduling', 'secrets', 'workflows', 'wiring', 'handlers', 'api'],
  events: ['drivers', 'store', 'opennebula', 'hostconfig', 'scheduling', 'secrets', 'workflows', 'wiring', 'handlers', 'api'],
  scheduling: ['drivers', 'store', 'opennebula', 'hostconfig', 'events', 'secrets', 'workflows', 'wiring', 'handlers', 'api'],
  secrets: ['drivers', 'store', 'opennebula', 'hostconfig', 'events', 'scheduling', 'workflows', 'wiring', 'handlers', 'api'],
  workflows: ['drivers', 'store', 'opennebula', 'hostconfig', 'events', 'scheduling', 'secrets', 'wiring', 'handlers', 'api'],
  api: ['wiring', 'handlers'],
  wiring: ['handlers', 'api'],
};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return walk(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** `provisioning`, `drivers`, … for a path under lambdas/; `../sandbox` etc. outside it. */
function layerOf(file: string): string {
  const rel = relative(LAMBDAS, file);
  return rel.startsWith('..') ? `../${relative(ROOT, file).split(sep)[0]}` : (rel.split(sep)[0] ?? '');
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import\(|require\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] ?? '');
  return specs.map((spec) => normalize(join(dirname(file), spec)));
}

describe('lambdas/ layering', () => {
  const files = walk(LAMBDAS);

  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it.each(Object.keys(FORBIDDEN))('keeps %s/ from importing the layers above it or its sibling adapters', (layer) => {
    const violations = files
      .filter((f) => layerOf(f) === layer)
      .flatMap((f) =>
        importsOf(f)
          .filter((target) => FORBIDDEN[layer]?.includes(layerOf(target)))
          .map((target) => `${relative(ROOT, f)} -> ${relative(ROOT, target)}`),
      );
    expect(violations).toEqual([]);
  });
});
