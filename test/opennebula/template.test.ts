import fc from 'fast-check';
import { renderTemplate, type TemplateEntry } from '../../lambdas/opennebula/template';
import { ValidationError } from '../../lambdas/shared/errors';
import { parseTemplate, type SimTemplate } from '../../sandbox/oned/template';

function parsed(text: string): SimTemplate {
  const result = parseTemplate(text);
  if (!result.ok) throw new Error(result.error);
  return result.template;
}

describe('renderTemplate', () => {
  it('writes the native syntax with quoted values and vector attributes', () => {
    const text = renderTemplate([
      ['NAME', 'edge-public'],
      ['VN_MAD', 'bridge'],
      ['AR', { TYPE: 'IP4', IP: '203.0.113.10', SIZE: '1' }],
    ]);
    expect(text).toBe('NAME = "edge-public"\nVN_MAD = "bridge"\nAR = [\n  TYPE = "IP4",\n  IP = "203.0.113.10",\n  SIZE = "1" ]');
    expect(parsed(text)).toEqual([
      ['NAME', 'edge-public'],
      ['VN_MAD', 'bridge'],
      [
        'AR',
        [
          ['TYPE', 'IP4'],
          ['IP', '203.0.113.10'],
          ['SIZE', '1'],
        ],
      ],
    ]);
  });

  it('escapes quotes so a hostile value cannot add attributes', () => {
    const text = renderTemplate([
      ['DESCRIPTION', 'x"\nNAME = "evil'],
      ['B', '\\"'],
    ]);
    expect(parsed(text)).toEqual([
      ['DESCRIPTION', 'x"\nNAME = "evil'],
      ['B', '\\"'],
    ]);
  });

  it('switches to the XML form when a value ends in a backslash, which the native syntax cannot carry', () => {
    const text = renderTemplate([
      ['PATH', 'C:\\'],
      ['AR', { NOTE: '<&>' }],
    ]);
    expect(text).toBe('<TEMPLATE><PATH>C:\\</PATH><AR><NOTE>&lt;&amp;&gt;</NOTE></AR></TEMPLATE>');
    expect(parsed(text)).toEqual([
      ['PATH', 'C:\\'],
      ['AR', [['NOTE', '<&>']]],
    ]);
    // The same value in the native syntax: its closing quote reads as escaped and the string runs on.
    expect(parseTemplate('PATH = "C:\\"\nX = "y"')).toMatchObject({ ok: false, error: expect.stringMatching(/^Parse error/) });
  });

  it('refuses attribute names oned would not parse and values with ]]> or control characters', () => {
    expect(() => renderTemplate([['BAD NAME', 'x']])).toThrow(ValidationError);
    expect(() => renderTemplate([['AR', { 'K-1': 'x' }]])).toThrow(ValidationError);
    expect(() => renderTemplate([['A', 'x]]>y']])).toThrow(/contains "\]\]>"/);
    expect(() => renderTemplate([['A', 'bell\u0007']])).toThrow(/control character/);
  });

  it('round-trips any printable value through the template parser of the simulated oned, trimmed as oned trims values', () => {
    const value = fc
      .string({ unit: fc.constantFrom('a', ' ', '"', '\\', '\n', '=', '[', ']', ',', '#', '<', '&', 'é') })
      .filter((v) => !v.includes(']]>'));
    fc.assert(
      fc.property(value, value, (single, inner) => {
        const entries: TemplateEntry[] = [
          ['A', single],
          ['V', { K: inner }],
        ];
        const text = renderTemplate(entries);
        // The XML form drops elements with no text, as oned does; oned trims what it keeps.
        const dropsEmpty = text.startsWith('<');
        const want = [
          ...(dropsEmpty && single === '' ? [] : [['A', single.trim()]]),
          ['V', dropsEmpty && inner === '' ? [] : [['K', inner.trim()]]],
        ];
        expect(parsed(text)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
