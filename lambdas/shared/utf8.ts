import { isUtf8 } from 'node:buffer';

/** Where the first invalid UTF-8 sequence of some bytes starts: byte offset, and 1-based line and column of the text before it. */
export interface Utf8Fault {
  offset: number;
  line: number;
  column: number;
}

/**
 * Decodes bytes that must be UTF-8 (JSON, YAML, descriptors). Invalid
 * sequences are reported, not replaced with U+FFFD as `toString('utf8')`
 * would: a replaced byte would silently change a name or a value.
 */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; fault: Utf8Fault } {
  if (isUtf8(bytes)) return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
  const offset = firstInvalidOffset(bytes);
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, offset).toString('utf8');
  const lines = before.split('\n');
  return { ok: false, fault: { offset, line: lines.length, column: [...(lines[lines.length - 1] ?? '')].length + 1 } };
}

/** How a {@link Utf8Fault} reads in a message. */
export function describeUtf8Fault(fault: Utf8Fault): string {
  return `not valid UTF-8: byte ${fault.offset} (line ${fault.line}, column ${fault.column}) starts an invalid byte sequence`;
}

/* The UTF-8 well-formedness rules of Unicode's table 3-7: shortest form, no surrogates, nothing above U+10FFFF. */
function firstInvalidOffset(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const lead = b[i] as number;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const trail = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    // A byte that cannot lead a sequence, or a sequence cut off by the end.
    if (trail === 0 || i + trail > b.length - 1) return i;
    let cp = lead & (0x3f >> trail);
    for (let k = 1; k <= trail; k += 1) {
      const next = b[i + k] as number;
      if ((next & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (next & 0x3f);
    }
    const shortest = trail === 1 ? 0x80 : trail === 2 ? 0x800 : 0x10000;
    if (cp < shortest || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += trail + 1;
  }
  return b.length;
}

/** Bytes that had to be UTF-8 and are not; `fault` says where. */
export class Utf8DecodeError extends Error {
  constructor(readonly fault: Utf8Fault) {
    super(describeUtf8Fault(fault));
    this.name = 'Utf8DecodeError';
  }
}
