import type { Provision } from '../../lambdas/provisioning/model';
import { criticalPath, projectMakespan, upliftWithin, upliftsOf, type Uplift } from '../../bench/projection';
import type { ProvisionRun } from '../../bench/bench-sandbox';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

/** A provision whose hosts ran their pipelines over the given [start, end] ms after creation. */
function provisionWith(chains: Array<[number, number]>): Provision {
  return {
    id: 'p-1',
    createdAt: iso(0),
    hosts: chains.map(([start, end], index) => ({
      index,
      name: `h${index}`,
      timings: { allocate: { start: iso(start), end: iso(start + 1) }, register: { start: iso(end - 1), end: iso(end) } },
    })),
  } as unknown as Provision;
}

const runOf = (p: Provision, runningMs: number) => ({ provision: p, runningAt: T0 + runningMs }) as unknown as ProvisionRun;

describe('criticalPath', () => {
  it('is setup plus the slowest host pipeline plus the tail when hosts overlap', () => {
    const cp = criticalPath(
      provisionWith([
        [100, 900],
        [150, 1100],
      ]),
      T0 + 1200,
    );
    expect(cp).toMatchObject({ makespanMs: 1200, setupMs: 100, tailMs: 100, criticalPathMs: 100 + 950 + 100 });
  });
});

describe('upliftWithin', () => {
  const uplifts: Uplift[] = [
    { at: T0 + 10, ms: 1000 },
    { at: T0 + 20, index: 0, ms: 500 },
    { at: T0 + 30, index: 0, ms: 500 },
    { at: T0 + 40, index: 1, ms: 700 },
    { at: T0 + 500, index: 1, ms: 9999 },
  ];

  it('adds up one host’s waits inside the window', () => {
    expect(upliftWithin(uplifts, T0, T0 + 100, 0)).toBe(1000);
    expect(upliftWithin(uplifts, T0, T0 + 100, 1)).toBe(700);
  });

  it('adds the provision’s own waits to the slowest host’s when the hosts run in parallel', () => {
    expect(upliftWithin(uplifts, T0, T0 + 100, 'provision')).toBe(1000 + 1000);
  });
});

describe('upliftsOf', () => {
  it('keeps the provision’s and its hosts’ waits and counts each Wait state at the ASL poll length', () => {
    const p = provisionWith([[0, 10]]);
    const ledger = [
      { kind: 'api' as const, key: 'p-1', modelledMs: 200, realMs: 4, at: T0 + 1 },
      { kind: 'role' as const, key: 'h0', modelledMs: 1000, realMs: 20, at: T0 + 2 },
      { kind: 'role' as const, key: 'someone-else', modelledMs: 1000, realMs: 20, at: T0 + 3 },
    ];
    const waits = [
      { executionId: 'e', state: 'WaitHostReady', at: T0 + 4, provisionId: 'p-1', index: 0 },
      { executionId: 'e', state: 'WaitHostReady', at: T0 + 5, provisionId: 'p-2', index: 0 },
    ];
    expect(upliftsOf(p, ledger, waits, { modelledMs: 30_000, realMs: 600 })).toEqual([
      { at: T0 + 1, ms: 196 },
      { at: T0 + 2, index: 0, ms: 980 },
      { at: T0 + 4, index: 0, ms: 29_400 },
    ]);
  });
});

describe('projectMakespan', () => {
  it('projects each segment of the critical path with the modelled waits inside it', () => {
    const p = provisionWith([
      [100, 900],
      [150, 1100],
    ]);
    const uplifts: Uplift[] = [
      { at: T0 + 50, ms: 10_000 },
      { at: T0 + 200, index: 0, ms: 60_000 },
      { at: T0 + 200, index: 1, ms: 20_000 },
      { at: T0 + 1150, index: 1, ms: 3_000 },
    ];
    // Host 0: 800 + 60 000; host 1: 950 + 20 000 → host 0 is the slowest at time scale 1. The measured
    // slack between makespan (1200) and critical path (100 + 950 + 100) stays as it was: 50.
    expect(projectMakespan(runOf(p, 1200), uplifts).projectedMs).toBe(100 + 10_000 + 800 + 60_000 + 100 + 3_000 + 50);
  });
});
