import { join } from 'node:path';
import { errorsOf, lines, loadText, planOf, SIM_BASE, tempTree } from './helpers';

/** SIM_BASE with one provision value taken from an input, plus input declarations. */
const withInput = (value: string, ...declaration: string[]) => lines(...SIM_BASE, `      value: "${value}"`, 'inputs:', ...declaration);

async function rendered(text: string, inputs?: Record<string, string>): Promise<string | undefined> {
  return planOf((await loadText(text, inputs ? { inputs } : {})).result).hosts[0]?.provision.value;
}

describe('descriptor inputs', () => {
  it('normalises booleans to YES/NO', async () => {
    const text = withInput('${input.b}', '  - { name: b, type: boolean, default: "NO" }');
    expect(await rendered(text)).toBe('NO');
    expect(await rendered(text, { b: 'true' })).toBe('YES');
    expect(errorsOf((await loadText(text, { inputs: { b: 'maybe' } })).result)[0]?.message).toBe(
      "input 'b' (boolean) expected YES or NO, found 'maybe' (from --input)",
    );
  });

  it('checks number-float and range-float values against their bounds', async () => {
    const text = withInput('${input.f}', '  - { name: f, type: range-float, min_value: 0.5, max_value: 1.5, default: 1 }');
    expect(await rendered(text, { f: '1.25' })).toBe('1.25');
    expect(errorsOf((await loadText(text, { inputs: { f: '2.5' } })).result)[0]?.message).toBe(
      "input 'f' must be at most 1.5 (range 0.5..1.5), found '2.5' (from --input)",
    );
    const float = withInput('${input.g}', '  - { name: g, type: number-float, default: x }');
    expect(errorsOf((await loadText(float)).result)[0]?.message).toBe(
      "input 'g' (number-float) expected a number, found 'x' (from default)",
    );
  });

  it('joins an array inline with commas and expands it as a hostname list', async () => {
    expect(await rendered(withInput('dns=${input.a}', '  - { name: a, type: array, default: "1.1.1.1;8.8.8.8" }'))).toBe(
      'dns=1.1.1.1,8.8.8.8',
    );
    const hosts = lines(
      "name: 'edge'",
      'defaults: { provision: { provider_name: sim } }',
      'inputs:',
      '  - { name: names, type: array, default: [n1, n2, n3] }',
      'hosts:',
      '  - { im_mad: kvm, vm_mad: kvm, provision: { hostname: "${input.names}" } }',
    );
    expect(planOf((await loadText(hosts)).result).hosts.map((h) => h.name)).toEqual(['n1', 'n2', 'n3']);
  });

  it('renders a map input as KEY=VALUE pairs', async () => {
    expect(await rendered(withInput('${input.m}', '  - { name: m, type: map, default: { a: 1, b: two } }'))).toBe('a=1,b=two');
  });

  it('refuses to change a fixed input', async () => {
    const text = withInput('${input.x}', '  - { name: x, type: fixed, default: locked }');
    expect(await rendered(text)).toBe('locked');
    expect(errorsOf((await loadText(text, { inputs: { x: 'open' } })).result)).toEqual([
      expect.objectContaining({
        file: '--input',
        line: 1,
        column: 3,
        path: 'inputs.x',
        message: "input 'x' is fixed and cannot be changed",
      }),
    ]);
  });

  it('takes --input over the inputs file over the default, and warns about undeclared values', async () => {
    const tree = tempTree({ 'values.json': '{"v": "from-file", "w": "file-only", "stray": 1}' });
    try {
      const text = lines(
        ...SIM_BASE,
        '      v: "${input.v}"',
        '      w: "${input.w}"',
        'inputs:',
        '  - { name: v, type: text, default: d }',
        '  - { name: w, type: text, default: d }',
      );
      const { result } = await loadText(text, { inputs: { v: 'from-flag' }, inputsFile: join(tree.dir, 'values.json') });
      expect(planOf(result).hosts[0]?.provision).toMatchObject({ v: 'from-flag', w: 'file-only' });
      expect(result.warnings).toEqual([
        expect.objectContaining({ line: 1, path: 'stray', message: "input 'stray' is not declared by the descriptor; ignored" }),
      ]);
    } finally {
      tree.cleanup();
    }
  });

  it('requires options for a list input and bounds for a range', async () => {
    const text = lines(...SIM_BASE, 'inputs:', '  - { name: l, type: list, default: a }', '  - { name: r, type: range, default: 1 }');
    expect(errorsOf((await loadText(text)).result).map((e) => [e.line, e.path, e.message])).toEqual([
      [11, 'inputs[0]', 'required: input type list needs a non-empty options list'],
      [12, 'inputs[1]', 'required: input type range needs min_value and max_value'],
    ]);
  });

  it('reports an unknown input type with the accepted ones', async () => {
    const { result } = await loadText(lines(...SIM_BASE, 'inputs:', '  - { name: l, type: colour }'));
    expect(errorsOf(result)[0]).toMatchObject({ line: 11, column: 22, path: 'inputs[0].type' });
    expect(errorsOf(result)[0]?.message).toMatch(/^expected one of 'text', 'text64', 'password', .*'fixed', found the string 'colour'$/);
  });
});
