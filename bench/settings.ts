/**
 * Real time per simulated time of the benchmarks: a 2.3-minute bare-metal
 * deploy takes 14 s, a 30 s poll 3 s. Chosen so the modelled waits dominate
 * the sandbox's own CPU work on a 2-core machine even when 34 hosts run at
 * once (see docs/performance.md); `EDGE_TIME_SCALE` overrides it.
 */
export const DEFAULT_BENCH_TIME_SCALE = 0.1;

/** Seed of the latency model's per-host jitter; `BENCH_SEED` overrides it. */
export const DEFAULT_BENCH_SEED = 7;
