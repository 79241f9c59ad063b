import type { BenchContext } from './figures';
import { LIVE_POLL_MS, measureConsole } from './console';

/**
 * The web console's own time scale: its figures are page serving and event
 * delivery, not orchestration, so the followed create runs on the sandbox's
 * default short scale whatever the orchestration benchmarks use.
 */
export const CONSOLE_TIME_SCALE = 0.001;

/** The console figures: page times, page weight, event-to-page latency. */
export async function consoleFigures(ctx: BenchContext): Promise<void> {
  const c = await measureConsole(CONSOLE_TIME_SCALE);
  ctx.emit({ name: `console.list_page_cold_ms.${c.listed}provisions`, value: c.listPageColdMs, unit: 'ms' });
  ctx.emit({ name: `console.list_page_ms.${c.listed}provisions`, value: c.listPageMs, unit: 'ms', target: '<= 300' });
  ctx.emit({ name: 'console.provision_page_ms.2hosts', value: c.provisionPageMs, unit: 'ms', target: '<= 200' });
  ctx.emit({
    name: 'console.page_weight_bytes',
    value: c.pageBytes,
    unit: 'bytes (page + css + js, uncompressed)',
    target: '<= 80000',
  });
  ctx.emit({
    name: 'console.event_to_page_ms.median',
    value: c.eventLatencyMedianMs,
    unit: 'ms',
    target: `<= ${LIVE_POLL_MS + 200}`,
  });
  ctx.emit({ name: 'console.event_to_page_ms.max', value: c.eventLatencyMaxMs, unit: 'ms' });
}
