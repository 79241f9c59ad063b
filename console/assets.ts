import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Reply } from './http';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The folder the console's stylesheet, script and icon are served from
 * (part of the package: no CDN). A compiled copy under `dist/` serves the
 * source folder's files.
 */
export const ASSETS_DIR =
  [join(__dirname, 'assets'), join(__dirname, '..', '..', 'console', 'assets')].find((d) => existsSync(d)) ?? join(__dirname, 'assets');

/** Static files, read once: name → reply. Revalidated by ETag, so an upgraded console is picked up at once. */
export function loadAssets(dir = ASSETS_DIR): Map<string, Reply> {
  const assets = new Map<string, Reply>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    assets.set(name, { status: 200, headers: { 'content-type': type, etag, 'cache-control': 'no-cache' }, body });
  }
  return assets;
}
