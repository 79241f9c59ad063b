import { LIVE_POLL_MS, measureConsole } from './console';
import { measurePipeline } from './pipelining';

/** One benchmark figure, printed as a JSON line. */
interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

function print(f: Figure): void {
  process.stdout.write(`${JSON.stringify({ ...f, value: Math.round(f.value * 1000) / 1000 })}\n`);
}

/**
 * `npm run bench`: provisions in the full sandbox (simulated oned, SSH hosts
 * running the real roles), measured from their own events. Prints one JSON
 * line per figure; docs/performance.md records results.
 */
async function main(): Promise<void> {
  const timeScale = Number(process.env['EDGE_TIME_SCALE'] ?? 0.001);
  for (const hosts of [2, 16]) {
    const m = await measurePipeline(hosts, timeScale);
    print({ name: `pipelining.ratio.${hosts}hosts`, value: m.ratio, unit: 'makespan/critical-path', target: '<= 1.05' });
    print({ name: `pipelining.makespan_ms.${hosts}hosts`, value: m.makespanMs, unit: 'ms' });
    print({ name: `orchestration.transitions.${hosts}hosts`, value: m.transitions, unit: 'state transitions' });
    print({ name: `orchestration.cpu_ms_per_transition.${hosts}hosts`, value: m.cpuMsPerTransition, unit: 'ms' });
  }
  const c = await measureConsole(timeScale);
  print({ name: `console.list_page_cold_ms.${c.listed}provisions`, value: c.listPageColdMs, unit: 'ms' });
  print({ name: `console.list_page_ms.${c.listed}provisions`, value: c.listPageMs, unit: 'ms', target: '<= 300' });
  print({ name: 'console.provision_page_ms.2hosts', value: c.provisionPageMs, unit: 'ms', target: '<= 200' });
  print({ name: 'console.page_weight_bytes', value: c.pageBytes, unit: 'bytes (page + css + js, uncompressed)', target: '<= 80000' });
  print({ name: 'console.event_to_page_ms.median', value: c.eventLatencyMedianMs, unit: 'ms', target: `<= ${LIVE_POLL_MS + 200}` });
  print({ name: 'console.event_to_page_ms.max', value: c.eventLatencyMaxMs, unit: 'ms' });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
