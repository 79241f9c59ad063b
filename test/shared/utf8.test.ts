import { decodeUtf8 } from '../../lambdas/shared/utf8';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('decodeUtf8', () => {
  it('decodes well-formed UTF-8 of every length, up to U+10FFFF', () => {
    expect(decodeUtf8(Buffer.from('a é € 𝄞 \u{10ffff}'))).toEqual({ ok: true, text: 'a é € 𝄞 \u{10ffff}' });
  });

  it.each<[string, Buffer, number]>([
    ['a lone continuation byte', bytes('ab', [0x80]), 2],
    ['a byte that never starts a sequence (0xF5)', bytes('x', [0xf5, 0x80, 0x80, 0x80]), 1],
    ['an overlong two-byte form of "/"', bytes([0xc0, 0xaf]), 0],
    ['an overlong three-byte form', bytes('ok', [0xe0, 0x80, 0xaf]), 2],
    ['an encoded surrogate', bytes([0xed, 0xa0, 0x80]), 0],
    ['a code point above U+10FFFF', bytes([0xf4, 0x90, 0x80, 0x80]), 0],
    ['a sequence cut off by the end', bytes('€', [0xe2, 0x82]), 3],
    ['a lead byte followed by ASCII', bytes([0xc3, 0x28]), 0],
  ])('reports %s at its first byte', (_what, input, offset) => {
    const decoded = decodeUtf8(input);
    expect(decoded).toMatchObject({ ok: false, fault: { offset } });
  });

  it('counts line and column in characters before the bad byte', () => {
    expect(decodeUtf8(bytes('one\ntwo é', [0xff]))).toEqual({ ok: false, fault: { offset: 10, line: 2, column: 6 } });
  });
});
