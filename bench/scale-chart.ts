/** One point of the scale curve, as the chart draws it. */
export interface ScalePoint {
  hosts: number;
  makespanMs: number;
  cpuMsPerHost: number;
  transitionsPerHost: number;
  invocationsPerHost: number;
}

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The scale curve as a standalone SVG: hosts on a log2 axis; one panel per
 * quantity (makespan, CPU per host, transitions and invocations per host), so
 * a flat line in the per-host panels means cost grows linearly in hosts.
 */
export function renderScaleSvg(points: readonly ScalePoint[], title: string): string {
  const panels: Array<{ label: string; unit: string; value: (p: ScalePoint) => number; colour: string }> = [
    { label: 'makespan', unit: 's', value: (p) => p.makespanMs / 1000, colour: '#5c6bc0' },
    { label: 'sandbox CPU per host', unit: 'ms', value: (p) => p.cpuMsPerHost, colour: '#ef6c00' },
    { label: 'state transitions per host', unit: '', value: (p) => p.transitionsPerHost, colour: '#66bb6a' },
    { label: 'Lambda invocations per host', unit: '', value: (p) => p.invocationsPerHost, colour: '#8d6e63' },
  ];
  const w = 260;
  const h = 160;
  const pad = { left: 48, top: 36, bottom: 34 };
  const hosts = points.map((p) => p.hosts);
  const lx = (n: number) => Math.log2(n);
  const x0 = Math.min(...hosts.map(lx));
  const x1 = Math.max(...hosts.map(lx));
  const out: string[] = [];
  panels.forEach((panel, i) => {
    const ox = 10 + i * (w + 20);
    const values = points.map(panel.value);
    const top = Math.max(...values) * 1.15 || 1;
    const px = (n: number) => ox + pad.left + ((lx(n) - x0) / Math.max(1e-9, x1 - x0)) * (w - pad.left - 10);
    const py = (v: number) => pad.top + (1 - v / top) * (h - pad.top - pad.bottom);
    out.push(
      `<text x="${ox + pad.left}" y="20" font-size="12" font-weight="bold">${escapeXml(panel.label)}${panel.unit ? ` (${panel.unit})` : ''}</text>`,
    );
    out.push(`<line x1="${ox + pad.left}" y1="${py(0)}" x2="${ox + w - 10}" y2="${py(0)}" stroke="#999"/>`);
    out.push(`<line x1="${ox + pad.left}" y1="${pad.top}" x2="${ox + pad.left}" y2="${py(0)}" stroke="#999"/>`);
    for (const frac of [0, 0.5, 1]) {
      const v = (top / 1.15) * frac;
      out.push(
        `<text x="${ox + pad.left - 4}" y="${py(v) + 4}" font-size="10" text-anchor="end">${v >= 100 ? v.toFixed(0) : v.toFixed(1)}</text>`,
      );
    }
    for (const n of hosts) out.push(`<text x="${px(n)}" y="${h - pad.bottom + 14}" font-size="10" text-anchor="middle">${n}</text>`);
    out.push(`<text x="${ox + pad.left + (w - pad.left) / 2}" y="${h - 4}" font-size="10" text-anchor="middle">hosts</text>`);
    const path = points.map((p, j) => `${j === 0 ? 'M' : 'L'}${px(p.hosts).toFixed(1)},${py(panel.value(p)).toFixed(1)}`).join(' ');
    out.push(`<path d="${path}" fill="none" stroke="${panel.colour}" stroke-width="2"/>`);
    for (const p of points) {
      const v = panel.value(p);
      out.push(
        `<circle cx="${px(p.hosts).toFixed(1)}" cy="${py(v).toFixed(1)}" r="3" fill="${panel.colour}"><title>${p.hosts} hosts: ${v.toFixed(1)}</title></circle>`,
      );
    }
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${panels.length * (w + 20) + 10}" height="${h + 10}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    ...out,
    '</svg>',
  ].join('\n');
}
