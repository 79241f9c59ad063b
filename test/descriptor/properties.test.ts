import fc from 'fast-check';
import type { DescriptorErrorCode } from '../../lambdas/descriptor';
import { loadText, planOf } from './helpers';

/** A random valid native descriptor, as data. */
interface Model {
  name: string;
  hosts: Array<{ count: number; plan: string }>;
  datastores: Array<{ type: 'image_ds' | 'system_ds' | 'file_ds' }>;
  networks: Array<{ kind: 'public'; ips: number } | { kind: 'private'; sizes: number[] }>;
  ttlHours: number | null;
  tags: Record<string, string>;
  maxConcurrency: number | null;
}

type FieldKind = 'hostname' | 'count' | 'dstype' | 'vnmad' | 'netcount' | 'ip' | 'size' | 'ttl' | 'maxc';

/** Where a value was written: 0-based line index and the text before the value. */
interface Field {
  kind: FieldKind;
  line: number;
  prefix: string;
}

const modelArb: fc.Arbitrary<Model> = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
  hosts: fc.array(fc.record({ count: fc.integer({ min: 1, max: 3 }), plan: fc.constantFrom('small', 'large', 'metal.xl') }), {
    minLength: 1,
    maxLength: 3,
  }),
  datastores: fc.array(fc.record({ type: fc.constantFrom('image_ds' as const, 'system_ds' as const, 'file_ds' as const) }), {
    maxLength: 3,
  }),
  networks: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('public' as const), ips: fc.integer({ min: 1, max: 4 }) }),
      fc.record({
        kind: fc.constant('private' as const),
        sizes: fc.array(fc.integer({ min: 1, max: 256 }), { minLength: 1, maxLength: 3 }),
      }),
    ),
    { maxLength: 3 },
  ),
  ttlHours: fc.option(fc.integer({ min: 1, max: 48 }), { nil: null }),
  tags: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{0,8}$/), { maxKeys: 3 }),
  maxConcurrency: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
});

/** Writes the model as YAML by hand, recording the line of every mutable value. */
function emit(model: Model): { text: string; fields: Field[] } {
  const out: string[] = [];
  const fields: Field[] = [];
  const put = (prefix: string, value: string, kind?: FieldKind) => {
    if (kind) fields.push({ kind, line: out.length, prefix });
    out.push(`${prefix}${value}`);
  };
  put('name: ', `'${model.name}'`);
  out.push('defaults:', '  provision:', "    provider_name: 'sim'", 'hosts:');
  model.hosts.forEach((h, e) => {
    out.push("  - im_mad: 'kvm'", "    vm_mad: 'kvm'", '    provision:');
    put('      hostname: ', `'e${e}-h\${index}'`, 'hostname');
    put('      count: ', String(h.count), 'count');
    put('      plan: ', `'${h.plan}'`);
  });
  if (model.datastores.length) out.push('datastores:');
  model.datastores.forEach((d, i) => {
    put('  - name: ', `'ds${i}'`);
    put('    type: ', `'${d.type}'`, 'dstype');
    out.push("    tm_mad: 'ssh'");
    // oned refuses an image or file datastore without a datastore driver.
    if (d.type !== 'system_ds') out.push("    ds_mad: 'fs'");
  });
  if (model.networks.length) out.push('networks:');
  model.networks.forEach((n, i) => {
    put('  - name: ', `'net${i}'`);
    if (n.kind === 'public') {
      put('    vn_mad: ', "'elastic'", 'vnmad');
      out.push("    netrole: 'public'", '    provision:');
      put('      count: ', String(n.ips), 'netcount');
      out.push('    ar:', "      - ipam_mad: 'sim'", '        size: 1');
    } else {
      put('    vn_mad: ', "'bridge'", 'vnmad');
      out.push("    netrole: 'private'", '    ar:');
      n.sizes.forEach((size, j) => {
        put('      - ip: ', `'10.${i}.${j}.0'`, 'ip');
        put('        size: ', String(size), 'size');
      });
    }
  });
  if (model.ttlHours !== null) put('ttl: ', `'${model.ttlHours}h'`, 'ttl');
  if (Object.keys(model.tags).length) {
    out.push('tags:');
    for (const [k, v] of Object.entries(model.tags)) out.push(`  ${k}: '${v}'`);
  }
  if (model.maxConcurrency !== null) put('max_concurrency: ', String(model.maxConcurrency), 'maxc');
  return { text: `${out.join('\n')}\n`, fields };
}

/** An invalid replacement value per field kind, the error it must cause, and its column offset in the value. */
const MUTATIONS: Record<FieldKind, { value: string; code: DescriptorErrorCode; offset: number }> = {
  hostname: { value: "'${bogus}'", code: 'UnknownPlaceholderError', offset: 1 },
  count: { value: '0', code: 'InvalidCountError', offset: 0 },
  dstype: { value: "'tape_ds'", code: 'SchemaError', offset: 0 },
  vnmad: { value: '[a, b]', code: 'SchemaError', offset: 0 },
  netcount: { value: "'-2'", code: 'InvalidCountError', offset: 0 },
  ip: { value: "'10.0.0.999'", code: 'SchemaError', offset: 0 },
  size: { value: '0', code: 'SchemaError', offset: 0 },
  ttl: { value: "'forever'", code: 'SchemaError', offset: 0 },
  maxc: { value: '0', code: 'SchemaError', offset: 0 },
};

const RUNS = { numRuns: 120 };

describe('descriptor properties', () => {
  it('loads random valid descriptors into the plan they describe', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, async (model) => {
        const { text } = emit(model);
        const plan = planOf((await loadText(text, { sourceName: 'gen.yml' })).result);
        const expectedHosts = model.hosts.flatMap((h, e) => Array.from({ length: h.count }, () => ({ plan: h.plan, entry: e })));
        expect(plan.hosts.map((h) => [h.index, h.name, h.provision.plan])).toEqual(
          expectedHosts.map((h, i) => [i, `e${h.entry}-h${i}`, h.plan]),
        );
        expect(plan.datastores.map((d) => [d.name, d.type])).toEqual(model.datastores.map((d, i) => [`ds${i}`, d.type]));
        expect(plan.networks.map((n) => [n.name, n.role, n.publicIps, n.addressRanges.map((a) => [a.ip, a.size])])).toEqual(
          model.networks.map((n, i) =>
            n.kind === 'public'
              ? [`net${i}`, 'public', n.ips, []]
              : [`net${i}`, 'private', 0, n.sizes.map((s, j) => [`10.${i}.${j}.0`, s])],
          ),
        );
        expect(plan.ttlSeconds).toBe(model.ttlHours === null ? undefined : model.ttlHours * 3600);
        expect(plan.tags).toEqual(model.tags);
        expect(plan.maxConcurrency).toBe(model.maxConcurrency ?? 10);
      }),
      RUNS,
    );
  });

  it('reports a mutated value at its line and column with the right code', async () => {
    const caseArb = modelArb.chain((model) => {
      const { text, fields } = emit(model);
      return fc.constantFrom(...fields).map((field) => ({ text, field }));
    });
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ text, field }) => {
        const mutation = MUTATIONS[field.kind];
        const mutated = text.split('\n');
        mutated[field.line] = `${field.prefix}${mutation.value}`;
        const { result } = await loadText(mutated.join('\n'), { sourceName: 'gen.yml' });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.errors).toContainEqual(
          expect.objectContaining({
            file: 'gen.yml',
            line: field.line + 1,
            column: field.prefix.length + 1 + mutation.offset,
            code: mutation.code,
          }),
        );
      }),
      RUNS,
    );
  });

  it('never throws on random edits and keeps every error inside the file', async () => {
    const edit = fc.record({
      at: fc.nat(),
      op: fc.constantFrom('insert', 'delete', 'replace'),
      ch: fc.constantFrom(':', '-', ' ', '\n', '{', '[', ']', "'", '"', '$', '}', 'x', '0', '#', '&', '*', '!', '|', '\t'),
    });
    await fc.assert(
      fc.asyncProperty(modelArb, fc.array(edit, { minLength: 1, maxLength: 4 }), async (model, edits) => {
        let text = emit(model).text;
        for (const { at, op, ch } of edits) {
          const i = at % (text.length + 1);
          text =
            op === 'insert'
              ? text.slice(0, i) + ch + text.slice(i)
              : op === 'delete'
                ? text.slice(0, i) + text.slice(i + 1)
                : text.slice(0, i) + ch + text.slice(i + 1);
        }
        const lineCount = text.split('\n').length;
        const { result } = await loadText(text, { sourceName: 'gen.yml' });
        if (result.ok) return;
        for (const error of result.errors) {
          expect(error.message).not.toMatch(/internal error/);
          expect(error.file).toBe('gen.yml');
          expect(error.line).toBeGreaterThanOrEqual(1);
          expect(error.line).toBeLessThanOrEqual(lineCount);
          expect(error.column).toBeGreaterThanOrEqual(1);
        }
      }),
      RUNS,
    );
  });
});
