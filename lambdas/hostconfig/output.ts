import { StringDecoder } from 'node:string_decoder';

/** Splits a byte stream into lines, keeping multi-byte characters whole. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let at = this.pending.indexOf('\n');
    while (at >= 0) {
      this.onLine(this.pending.slice(0, at).replace(/\r$/, ''));
      this.pending = this.pending.slice(at + 1);
      at = this.pending.indexOf('\n');
    }
  }

  /** Emits what is left after the stream ended without a final newline. */
  end(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) this.onLine(this.pending.replace(/\r$/, ''));
    this.pending = '';
  }
}

/** Keeps the last `size` lines. */
export class TailBuffer {
  private readonly lines: string[] = [];

  constructor(private readonly size = 20) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  get(): string[] {
    return [...this.lines];
  }
}

/** What a role reported through the output protocol of `roles/lib.sh`. */
export interface RoleReport {
  /** `undefined` when the role printed no result line (it did not finish). */
  changed?: boolean;
  facts: Record<string, string>;
}

const RESULT = /^EDGE_RESULT (changed|unchanged)$/;
const FACT = /^EDGE_FACT ([a-z][a-z0-9_]{0,63})=(.*)$/;

/** Reads result and facts from a role's stdout lines; the last result line wins. */
export class ReportParser {
  private readonly report: RoleReport = { facts: {} };

  line(text: string): void {
    const result = RESULT.exec(text);
    if (result) {
      this.report.changed = result[1] === 'changed';
      return;
    }
    const fact = FACT.exec(text);
    if (fact?.[1] !== undefined) this.report.facts[fact[1]] = fact[2] ?? '';
  }

  get(): RoleReport {
    return { changed: this.report.changed, facts: { ...this.report.facts } };
  }
}
