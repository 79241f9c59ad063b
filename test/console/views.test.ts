import type { ProvisionView } from '../../lambdas/api/views';
import { timelineBars } from '../../cli/timeline';
import { html, raw } from '../../console/html';
import { annotatedSource } from '../../console/views/create';
import { eventItem } from '../../console/views/events';
import { day2Section } from '../../console/views/day2';
import { stateBadge, toneOf } from '../../console/views/format';
import { listTable } from '../../console/views/list';
import { currentRoles, hostStep, hostsSection } from '../../console/views/provision';
import { chartBars, timelineChart } from '../../console/views/timeline';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function view(hosts: Array<Partial<ProvisionView['hosts'][number]>>): ProvisionView {
  return {
    id: 'p-0123456789ab',
    name: 'edge',
    state: 'PROVISIONING',
    owner: 'local',
    provider: 'sim',
    createdAt: at(0),
    updatedAt: at(0),
    cluster: null,
    hosts: hosts.map((h, index) => ({
      index,
      name: `h${index}`,
      state: 'PENDING',
      providerId: null,
      oneId: null,
      privateIp: null,
      publicIps: [],
      timings: {},
      ...h,
    })),
    datastores: [],
    networks: [],
    ttlSeconds: null,
    tags: {},
    executionId: null,
    operation: null,
    operations: [],
  } as ProvisionView;
}

describe('console views', () => {
  it('offers the day-2 forms only on a live provision with no operation running, with its live hosts and public IPs', () => {
    const live = {
      ...view([{ state: 'RUNNING', publicIps: ['203.0.113.10'] }, { state: 'OFF' }, { state: 'RELEASED', publicIps: [] }]),
      state: 'RUNNING',
    } as ProvisionView;
    const forms = day2Section(live).value;
    expect(forms.match(/<form /g)).toHaveLength(6);
    expect(forms).toContain('<option value="h1">h1 (OFF)</option>');
    expect(forms).not.toContain('value="h2"');
    expect(forms).toContain('<option value="203.0.113.10">203.0.113.10</option>');
    // No public IP: nothing to remove.
    expect(day2Section({ ...live, hosts: live.hosts.slice(1) }).value.match(/<form /g)).toHaveLength(5);
    const running = { id: 'o-1', kind: 'scale-out', summary: 'add 1 host(s)', startedAt: at(0), executionId: null };
    expect(day2Section({ ...live, operation: running } as ProvisionView).value).toBe('');
    for (const state of ['PROVISIONING', 'ERROR', 'SCALING', 'DELETED'] as const) {
      expect(day2Section({ ...live, state } as ProvisionView).value).toBe('');
    }
  });

  it('escapes every value taken from the API, so names and role output never become markup', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const out = [
      listTable({ target: 't', now: T0 }, { rows: [{ id: 'p-1', name: evil, state: 'RUNNING', total: 1, createdAt: at(0) }] }).value,
      hostsSection(view([{ name: evil, publicIps: [evil] }]), new Map()).value,
      eventItem({ at: at(0), seq: 1, type: 'Role Output', detail: { host: evil, role: 'r', lines: [{ stream: 'stdout', text: evil }] } })
        .value,
      eventItem({ at: at(0), seq: 2, type: evil, detail: { message: evil } }).value,
    ];
    for (const markup of out) {
      expect(markup).not.toContain('<img');
      expect(markup).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    }
    expect(html`<p>${raw('<b>kept</b>')}${[1, '<2>']}${undefined}${false}</p>`.value).toBe('<p><b>kept</b>1&lt;2&gt;</p>');
  });

  it('writes every state out next to its colour', () => {
    for (const state of ['RUNNING', 'ERROR', 'DELETED', 'CONFIGURING', 'DEGRADED', 'SOMETHING_NEW']) {
      expect(stateBadge(state).value).toMatch(new RegExp(`class="state tone-${toneOf(state)}" data-state="${state}">${state}</span>`));
    }
    expect(new Set(['RUNNING', 'ERROR', 'DELETED', 'CONFIGURING', 'DEGRADED', 'PENDING'].map(toneOf)).size).toBe(6);
  });

  it('shows a located problem under the line it names, with a caret at its column, and the lines around it', () => {
    const text = ['a: 1', 'b: 2', 'c: 3', 'd: 4', 'e: 5', 'f: 6', 'g: 7', 'h: 8', 'i: 9'].join('\n');
    const markup = annotatedSource(text, { errors: [{ path: 'h', message: 'bad h', line: 8, column: 4 }] }).value;
    expect(markup).toMatch(
      /<li id="L8" value="8"\s+class="has-error">\s*<code>h: 8<\/code><div class="line-error" role="note">\s*<span class="caret" aria-hidden="true"> {3}\^<\/span\s*><span class="msg">line 8, column 4: <code>h<\/code> — bad h<\/span>/,
    );
    expect(markup).toContain('id="L6"');
    expect(markup).toContain('id="L9"');
    expect(markup).not.toContain('id="L5"');
    expect(markup.match(/class="gap"/g)).toHaveLength(1);
    expect(annotatedSource(text, { errors: [{ path: 'e', message: 'bad e', line: 5 }] }).value.match(/class="gap"/g)).toHaveLength(2);
    expect(annotatedSource(text, { errors: [{ path: '(body)', message: 'no line' }] }).value).toBe('');
  });

  it('tells what each host is doing: the step under way with its role, a failure, or what its state means', () => {
    const p = view([
      { state: 'CONFIGURING', timings: { allocate: { start: at(0), end: at(5) }, configure: { start: at(6) } } },
      { state: 'FAILED', failedStep: 'allocate', timings: { allocate: { start: at(0) } } },
      { state: 'RUNNING', timings: { register: { start: at(1), end: at(2) } } },
    ]);
    const roles = currentRoles([
      { at: at(7), seq: 1, type: 'Role Output', detail: { host: 'h0', role: 'os-check', lines: [] } },
      { at: at(8), seq: 2, type: 'Role Output', detail: { host: 'h0', role: 'bridge', lines: [] } },
      { at: at(8), seq: 3, type: 'Role Output', detail: { host: 'h2', role: 'facts', lines: [] } },
      { at: at(9), seq: 4, type: 'Host Configured', detail: { host: 'h2' } },
    ]);
    expect(p.hosts.map((h) => hostStep(h, roles))).toEqual(['configuring: bridge', 'failed in allocate', 'ready']);
  });

  it('draws the bars of edgectl timeline, plus the steps still running up to now', () => {
    const p = view([
      {
        timings: {
          allocate: { start: at(10), end: at(20) },
          boot: { start: at(20), end: at(400) },
          assignIps: { start: at(400) },
        },
      },
      { timings: { allocate: { start: at(12), end: at(30) } } },
    ]);
    const bars = chartBars(p, T0 + 500);
    expect(bars.filter((b) => !b.running).map(({ running: _r, ...b }) => b)).toEqual(timelineBars(p));
    expect(bars.filter((b) => b.running)).toEqual([{ host: 'h0', step: 'assignIps', startMs: 400, endMs: 500, running: true }]);
    const markup = timelineChart(p, T0 + 500).value;
    expect(markup.match(/<rect\b/g)).toHaveLength(4);
    expect(markup).toContain('x="80.000%"');
    expect(markup).toContain('aria-label="h0: allocate 0.01 s to 0.02 s; boot 0.02 s to 0.40 s; public IPs 0.40 s to 0.50 s (running)"');
    expect(timelineChart(view([{}]), T0).value).toContain('No host step has started yet');
  });
});
