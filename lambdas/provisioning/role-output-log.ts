import type { RoleOutputLine } from './ports/host-configurator';
import type { Lifecycle } from './lifecycle';

/**
 * Streams role output into the provision log in small batches: one log entry
 * per role and flush interval instead of one write per line, so a chatty
 * package install does not queue hundreds of writes ahead of the state
 * changes. Order is kept; a failed write is dropped, never fatal to the role.
 */
export class RoleOutputLog {
  private pending: RoleOutputLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly provisionId: string,
    private readonly host: string,
    private readonly flushMs = 250,
    private readonly maxLines = 100,
  ) {}

  add(line: RoleOutputLine): void {
    const last = this.pending[this.pending.length - 1];
    if (last && last.role !== line.role) this.flushNow();
    this.pending.push(line);
    if (this.pending.length >= this.maxLines) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), this.flushMs);
  }

  /** Writes what is buffered and waits for every earlier write. */
  async flush(): Promise<void> {
    this.flushNow();
    await this.chain;
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const detail = { host: this.host, role: batch[0]?.role ?? '', lines: batch.map((l) => ({ stream: l.stream, text: l.text })) };
    this.chain = this.chain.then(() => this.lifecycle.note(this.provisionId, 'Role Output', detail)).catch(() => undefined);
  }
}
