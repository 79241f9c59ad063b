/** One benchmark figure, printed as a JSON line by `npm run bench`. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The target it must meet, e.g. `<= 1.05`; absent for plain measurements. */
  target?: string;
}

/** What every benchmark gets from the runner. */
export interface BenchContext {
  /** Real time per simulated time of every sandbox run. */
  timeScale: number;
  /** Seed of the latency model: per-host jitter. */
  seed: number;
  /** Where pictures are written (the repository's `docs/`). */
  docsDir: string;
  /** Prints a figure at once (a long run shows its progress). */
  emit(figure: Figure): void;
  /** Notes for the reader of the run (stderr), e.g. why a figure was skipped. */
  note(message: string): void;
  /** Runs `make` once per key in this bench run and shares its result between benchmarks. */
  memo<T>(key: string, make: () => Promise<T>): Promise<T>;
}

/** One benchmark: measures and emits its figures. */
export type Benchmark = (ctx: BenchContext) => Promise<void>;

/** The JSON line of a figure, its value rounded to 3 decimals. */
export function figureLine(f: Figure): string {
  return JSON.stringify({ ...f, value: Math.round(f.value * 1000) / 1000 });
}

/** Whether a value meets a target of the form `<= X` or `>= X` (no target: met). */
export function meetsTarget(f: Figure): boolean {
  const m = /^(<=|>=)\s*(-?[\d.]+)$/.exec(f.target ?? '');
  if (!m) return true;
  const limit = Number(m[2]);
  return m[1] === '<=' ? f.value <= limit : f.value >= limit;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
