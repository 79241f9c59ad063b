import { figureLine, meetsTarget, median, type BenchContext, type Figure } from '../../bench/figures';
import { pipeliningFiguresFor } from '../../bench/pipelining';
import { sshVsAnsibleFigures } from '../../bench/ssh-vs-ansible';

/** A bench context that collects what a benchmark emits, at a small time scale. */
function collectingContext(timeScale: number): { ctx: BenchContext; figures: Figure[]; notes: string[] } {
  const figures: Figure[] = [];
  const notes: string[] = [];
  const memo = new Map<string, Promise<unknown>>();
  const ctx: BenchContext = {
    timeScale,
    seed: 7,
    docsDir: '/nonexistent',
    emit: (f) => figures.push(f),
    note: (m) => notes.push(m),
    memo: <T>(key: string, make: () => Promise<T>) => {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as Promise<T>;
    },
  };
  return { ctx, figures, notes };
}

describe('bench harness', () => {
  it('emits well-formed pipelining and projection figures when it runs one small provision', async () => {
    const { ctx, figures } = collectingContext(0.002);
    await pipeliningFiguresFor(ctx, [2]);
    expect(figures.map((f) => f.name)).toEqual([
      'pipelining.ratio.2hosts',
      'pipelining.makespan_ms.2hosts',
      'orchestration.transitions.2hosts',
      'orchestration.cpu_ms_per_transition.2hosts',
      'projection.minutes.2hosts',
    ]);
    for (const f of figures) {
      expect(Number.isFinite(f.value)).toBe(true);
      expect(f.value).toBeGreaterThan(0);
      expect(f.unit.length).toBeGreaterThan(0);
      expect(JSON.parse(figureLine(f))).toEqual({ ...f, value: expect.any(Number) });
    }
    const value = (name: string) => figures.find((f) => f.name === name)?.value ?? NaN;
    // The makespan can never be shorter than its own critical path.
    expect(value('pipelining.ratio.2hosts')).toBeGreaterThanOrEqual(0.99);
    // At time scale 1 the modelled boot (about 2.3 min) and roles (about 4.5 min) dominate.
    expect(value('projection.minutes.2hosts')).toBeGreaterThan(4);
    expect(value('projection.minutes.2hosts')).toBeLessThan(12);
    expect(value('orchestration.transitions.2hosts')).toBeGreaterThan(20);
  });

  it('skips the Ansible comparison with a message when ansible-playbook is not on PATH', async () => {
    const { ctx, figures, notes } = collectingContext(0.002);
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      await sshVsAnsibleFigures(ctx);
    } finally {
      process.env['PATH'] = path;
    }
    expect(figures).toEqual([]);
    expect(notes.join('\n')).toMatch(/ssh\.speedup_vs_ansible skipped: ansible-playbook is not installed; run `npm run bench:setup`/);
  });
});

describe('bench figures', () => {
  it('checks targets of both directions and passes figures without one', () => {
    expect(meetsTarget({ name: 'a', value: 1.05, unit: '', target: '<= 1.05' })).toBe(true);
    expect(meetsTarget({ name: 'a', value: 1.06, unit: '', target: '<= 1.05' })).toBe(false);
    expect(meetsTarget({ name: 'a', value: 4.9, unit: '', target: '>= 5' })).toBe(false);
    expect(meetsTarget({ name: 'a', value: 123, unit: 'ms' })).toBe(true);
  });

  it('takes the median of odd and even lists and rounds values to 3 decimals in the JSON line', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(figureLine({ name: 'x', value: 1.23456, unit: 'ms' })).toBe('{"name":"x","value":1.235,"unit":"ms"}');
  });
});
