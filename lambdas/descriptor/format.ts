import type { DescriptorError } from './types';
import type { Path } from './located';

/** Renders a path as `hosts[1].provision.instancetype`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** One line per error: `FILE:LINE:COL: PATH: message` (the path is left out when empty). */
export function formatDescriptorError(error: DescriptorError): string {
  const where = `${error.file}:${error.line}:${error.column}`;
  return error.path === '' ? `${where}: ${error.message}` : `${where}: ${error.path}: ${error.message}`;
}
