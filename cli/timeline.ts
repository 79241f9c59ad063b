import type { ProvisionView } from '../lambdas/api/views';

/** The host pipeline's steps, in order, as recorded in each host's timings. */
export const TIMELINE_STEPS = ['allocate', 'boot', 'assignIps', 'configure', 'register'] as const;

const COLOURS: Record<(typeof TIMELINE_STEPS)[number], string> = {
  allocate: '#8d6e63',
  boot: '#90a4ae',
  assignIps: '#4db6ac',
  configure: '#5c6bc0',
  register: '#66bb6a',
};

/** Letter of each step in the text chart. */
const LETTERS: Record<(typeof TIMELINE_STEPS)[number], string> = {
  allocate: 'A',
  boot: 'B',
  assignIps: 'I',
  configure: 'C',
  register: 'R',
};

/** One bar of the timeline: a host's step, in ms from the provision's creation. */
export interface TimelineBar {
  host: string;
  step: (typeof TIMELINE_STEPS)[number];
  startMs: number;
  endMs: number;
}

/** Bars of every finished step of every host, relative to the provision's creation. */
export function timelineBars(p: ProvisionView): TimelineBar[] {
  const origin = Date.parse(p.createdAt);
  const bars: TimelineBar[] = [];
  for (const h of p.hosts) {
    for (const step of TIMELINE_STEPS) {
      const t = (h.timings as Record<string, { start: string; end?: string } | undefined>)[step];
      if (!t?.end) continue;
      bars.push({ host: h.name, step, startMs: Date.parse(t.start) - origin, endMs: Date.parse(t.end) - origin });
    }
  }
  return bars;
}

/** A per-host Gantt chart as text: one line per host, one letter per step. */
export function renderTimelineText(p: ProvisionView, width = 60): string {
  const bars = timelineBars(p);
  if (bars.length === 0) return `${p.id}: no finished host steps yet`;
  const span = Math.max(...bars.map((b) => b.endMs), 1);
  const nameWidth = Math.max(...p.hosts.map((h) => h.name.length));
  const lines = p.hosts.map((h) => {
    const row = Array.from({ length: width }, () => '.');
    for (const b of bars.filter((x) => x.host === h.name)) {
      const from = Math.floor((b.startMs / span) * (width - 1));
      const to = Math.max(from, Math.ceil((b.endMs / span) * (width - 1)));
      for (let i = from; i <= to; i += 1) row[i] = LETTERS[b.step];
    }
    return `${h.name.padEnd(nameWidth)} |${row.join('')}|`;
  });
  const legend = TIMELINE_STEPS.map((s) => `${LETTERS[s]}=${s}`).join(' ');
  return [...lines, `${' '.repeat(nameWidth)}  0 … ${(span / 1000).toFixed(2)} s   ${legend}`].join('\n');
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The same chart as a standalone SVG document. */
export function renderTimelineSvg(p: ProvisionView): string {
  const bars = timelineBars(p);
  const span = Math.max(...bars.map((b) => b.endMs), 1);
  const label = 140;
  const chart = 600;
  const row = 22;
  const height = p.hosts.length * row + 50;
  const x = (ms: number) => label + (ms / span) * chart;
  const rects = bars.map((b) => {
    const y = 10 + p.hosts.findIndex((h) => h.name === b.host) * row;
    const w = Math.max(1, x(b.endMs) - x(b.startMs));
    return `<rect x="${x(b.startMs).toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${row - 6}" fill="${COLOURS[b.step]}"><title>${escapeXml(`${b.host} ${b.step}: ${((b.endMs - b.startMs) / 1000).toFixed(2)} s`)}</title></rect>`;
  });
  const names = p.hosts.map((h, i) => `<text x="4" y="${10 + i * row + 12}" font-size="12">${escapeXml(h.name)}</text>`);
  const legend = TIMELINE_STEPS.map(
    (s, i) =>
      `<rect x="${label + i * 110}" y="${height - 30}" width="10" height="10" fill="${COLOURS[s]}"/><text x="${label + i * 110 + 14}" y="${height - 21}" font-size="11">${s}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${label + chart + 20}" height="${height}" font-family="sans-serif">`,
    `<title>${escapeXml(`${p.name} (${p.id}): host pipelines, 0 to ${(span / 1000).toFixed(2)} s`)}</title>`,
    ...names,
    ...rects,
    ...legend,
    '</svg>',
  ].join('\n');
}
