import type { ProvisionView } from '../../lambdas/api/views';
import { TIMELINE_STEPS, timelineBars } from '../../cli/timeline';
import { html, type Html } from '../html';
import { seconds } from './format';

type Step = (typeof TIMELINE_STEPS)[number];

/** One bar of the console's chart: `edgectl timeline`'s finished bars, plus steps still running (up to now). */
export interface ChartBar {
  host: string;
  step: Step;
  startMs: number;
  endMs: number;
  running: boolean;
}

const LABELS: Record<Step, string> = {
  allocate: 'allocate',
  boot: 'boot',
  assignIps: 'public IPs',
  configure: 'configure',
  register: 'register',
};

/**
 * The bars of the chart: exactly {@link timelineBars} (what `edgectl
 * timeline` draws) for finished steps, and, while a provision moves, the
 * step each host is in, drawn up to `now`.
 */
export function chartBars(p: ProvisionView, now: number): ChartBar[] {
  const bars: ChartBar[] = timelineBars(p).map((b) => ({ ...b, running: false }));
  const origin = Date.parse(p.createdAt);
  for (const h of p.hosts) {
    for (const step of TIMELINE_STEPS) {
      const t = (h.timings as Record<string, { start: string; end?: string } | undefined>)[step];
      if (!t || t.end || h.failedStep) continue;
      const startMs = Date.parse(t.start) - origin;
      bars.push({ host: h.name, step, startMs, endMs: Math.max(startMs, now - origin), running: true });
    }
  }
  return bars;
}

const pct = (v: number) => `${(v * 100).toFixed(3)}%`;

/**
 * A per-host Gantt chart that fits any width: one row per host, bars
 * positioned in percent of the span, a legend, and the same data as a table.
 */
export function timelineChart(p: ProvisionView, now: number): Html {
  const bars = chartBars(p, now);
  if (bars.length === 0) return html`<p class="empty">No host step has started yet.</p>`;
  const span = Math.max(...bars.map((b) => b.endMs), 1);
  const rows = p.hosts.map((h) => {
    const mine = bars.filter((b) => b.host === h.name);
    const label = mine
      .map((b) => `${LABELS[b.step]} ${seconds(b.startMs)} to ${seconds(b.endMs)}${b.running ? ' (running)' : ''}`)
      .join('; ');
    return html`<div class="gantt-row">
      <span class="gantt-host">${h.name}</span>
      <svg class="gantt-bars" role="img" aria-label="${h.name}: ${label || 'no step yet'}">
        ${mine.map(
          (b) =>
            html`<rect
              class="bar step-${b.step}${b.running ? ' running' : ''}"
              data-host="${b.host}"
              data-step="${b.step}"
              x="${pct(b.startMs / span)}"
              y="3"
              width="${pct(Math.max(b.endMs - b.startMs, span / 400) / span)}"
              height="18"
              ><title>${h.name} ${LABELS[b.step]}: ${seconds(b.endMs - b.startMs)}${b.running ? ' so far' : ''}</title></rect
            >`,
        )}
      </svg>
    </div>`;
  });
  return html`<div class="gantt">
      ${rows}
      <div class="gantt-axis" aria-hidden="true"><span>0 s</span><span>${seconds(span)}</span></div>
    </div>
    <ul class="legend" aria-label="Steps">
      ${TIMELINE_STEPS.map((s) => html`<li><span class="swatch step-${s}" aria-hidden="true"></span>${LABELS[s]}</li>`)}
      <li><span class="swatch running" aria-hidden="true"></span>still running</li>
    </ul>
    <details class="as-table" id="timeline-table">
      <summary>Timeline as a table</summary>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">
            Host steps, in seconds from the provision's creation
          </caption>
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Step</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            ${bars.map(
              (b) =>
                html`<tr>
                  <td>${b.host}</td>
                  <td>${LABELS[b.step]}</td>
                  <td>${seconds(b.startMs)}</td>
                  <td>${b.running ? 'running' : seconds(b.endMs)}</td>
                  <td>${seconds(b.endMs - b.startMs)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>`;
}
