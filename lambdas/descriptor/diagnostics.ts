import { formatPath } from './format';
import type { Path, Position } from './located';
import type { DescriptorError, DescriptorErrorCode } from './types';

/**
 * Collects errors and warnings while a descriptor is loaded. Count expansion
 * renders one template several times, so identical reports are kept once.
 */
export class Diagnostics {
  readonly errors: DescriptorError[] = [];
  readonly warnings: DescriptorError[] = [];
  private readonly seen = new Set<string>();

  error(at: Position, path: Path | string, message: string, code: DescriptorErrorCode): void {
    this.add(this.errors, at, path, message, code);
  }

  warn(at: Position, path: Path | string, message: string): void {
    this.add(this.warnings, at, path, message, 'Warning');
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  private add(list: DescriptorError[], at: Position, path: Path | string, message: string, code: DescriptorErrorCode): void {
    const key = `${code}|${at.file}|${at.line}|${at.column}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    list.push({
      file: at.file,
      line: at.line,
      column: at.column,
      path: typeof path === 'string' ? path : formatPath(path),
      message,
      code,
    });
  }
}
