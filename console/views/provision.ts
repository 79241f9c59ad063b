import type { ProvisionView } from '../../lambdas/api/views';
import type { ProvisionLogEntry } from '../../lambdas/provisioning/model';
import { TIMELINE_STEPS } from '../../cli/timeline';
import { html, raw, type Html } from '../html';
import { eventItems } from './events';
import { day2Section } from './day2';
import { ageTime, stateBadge } from './format';
import { page, type ConsoleContext } from './layout';
import { problemBox } from './problem';
import type { Problem } from '../../lambdas/api/problem';

type HostView = ProvisionView['hosts'][number];

const STEP_WORDS: Record<string, string> = {
  allocate: 'allocating',
  boot: 'booting',
  assignIps: 'assigning public IPs',
  configure: 'configuring',
  register: 'registering in OpenNebula',
};

const STATE_WORDS: Record<string, string> = {
  PENDING: 'waiting',
  RUNNING: 'ready',
  POWERING_OFF: 'powering off',
  OFF: 'powered off',
  REBOOTING: 'rebooting',
  DRAINING: 'draining',
  RELEASING: 'releasing',
  RELEASED: 'released',
};

/** The role each host is running now, from the event log (cleared once the host is configured or failed). */
export function currentRoles(entries: readonly ProvisionLogEntry[], into = new Map<string, string>()): Map<string, string> {
  for (const e of entries) {
    const host = e.detail['host'];
    if (typeof host !== 'string') continue;
    if (e.type === 'Role Output' && typeof e.detail['role'] === 'string') into.set(host, e.detail['role']);
    else if (e.type === 'Host Configured' || e.type === 'Host Failed') into.delete(host);
  }
  return into;
}

/** What a host is doing: the step it failed in, the pipeline step under way (with its role), or what its state means. */
export function hostStep(h: HostView, roles: ReadonlyMap<string, string>): string {
  if (h.failedStep) return `failed in ${h.failedStep}`;
  const timings = h.timings as Record<string, { start: string; end?: string } | undefined>;
  if (!['RUNNING', 'OFF', 'RELEASED', 'RELEASING', 'DRAINING', 'POWERING_OFF', 'REBOOTING'].includes(h.state)) {
    const open = [...TIMELINE_STEPS].reverse().find((s) => timings[s] && !timings[s]?.end);
    if (open) {
      const role = open === 'configure' ? roles.get(h.name) : undefined;
      return `${STEP_WORDS[open] ?? open}${role ? `: ${role}` : ''}`;
    }
  }
  return STATE_WORDS[h.state] ?? h.state.toLowerCase();
}

function failureText(e: { step?: string; errorName?: string; message?: string; attempt?: number; at?: string } | undefined, step: string) {
  return html`<span class="fail-step">failed in <strong>${step}</strong></span
    >${e?.errorName ? html`: <code>${e.errorName}</code>` : ''}${e?.message ? html` — ${e.message}` : ''}${e?.attempt !== undefined
      ? html` <span class="muted">(attempt ${e.attempt}${e.at ? `, ${e.at}` : ''})</span>`
      : ''}`;
}

/** Summary list: id, provider, cluster, times, TTL, execution. */
export function summarySection(p: ProvisionView, ctx: ConsoleContext): Html {
  const running = p.hosts.filter((h) => h.state === 'RUNNING').length;
  return html`<dl class="facts">
    <div>
      <dt>State</dt>
      <dd>${stateBadge(p.state)}</dd>
    </div>
    <div>
      <dt>ID</dt>
      <dd><code>${p.id}</code></dd>
    </div>
    <div>
      <dt>Provider</dt>
      <dd>${p.provider}</dd>
    </div>
    <div>
      <dt>Hosts running</dt>
      <dd>${running}/${p.hosts.length}</dd>
    </div>
    <div>
      <dt>Cluster</dt>
      <dd>${p.cluster ? html`${p.cluster.name} <span class="muted">(OpenNebula id ${p.cluster.oneId})</span>` : '-'}</dd>
    </div>
    <div>
      <dt>Created</dt>
      <dd>${ageTime(p.createdAt, ctx.now)} ago</dd>
    </div>
    <div>
      <dt>Updated</dt>
      <dd>${ageTime(p.updatedAt, ctx.now)} ago</dd>
    </div>
    <div>
      <dt>TTL</dt>
      <dd>${p.ttlSeconds ? `${p.ttlSeconds} s after RUNNING` : 'none'}</dd>
    </div>
    ${Object.keys(p.tags ?? {}).length
      ? html`<div>
          <dt>Tags</dt>
          <dd>${Object.entries(p.tags).map(([k, v]) => html`<code>${k}=${v}</code> `)}</dd>
        </div>`
      : ''}
    <div>
      <dt>Execution</dt>
      <dd>${p.executionId ? html`<code class="wrap">${p.executionId}</code>` : '-'}</dd>
    </div>
  </dl>`;
}

/** The failure record of the provision and of each failed host. */
export function failureSection(p: ProvisionView): Html {
  const hosts = p.hosts.filter((h) => h.failedStep);
  if (!p.failedStep && hosts.length === 0) return html``;
  return html`<div class="failure" role="alert">
    <h2>Failure record</h2>
    ${p.failedStep ? html`<p>Provision ${failureText(p.error, p.failedStep)}</p>` : ''}
    ${hosts.length
      ? html`<ul>
          ${hosts.map((h) => html`<li>${h.name} ${failureText(h.error, h.failedStep ?? '')}</li>`)}
        </ul>`
      : ''}
    ${p.state === 'ERROR' ? html`<p>Retry resumes each host at the step it failed in; delete with cleanup releases everything.</p>` : ''}
  </div>`;
}

/** The actions the provision's state allows. */
export function actionsSection(p: ProvisionView): Html {
  const id = encodeURIComponent(p.id);
  const deletable = !['DELETED', 'DELETING'].includes(p.state);
  return html`<div class="actions">
    ${p.state === 'ERROR' ? html`<form method="post" action="/provisions/${id}/retry"><button type="submit">Retry</button></form>` : ''}
    ${deletable ? html`<a class="button danger" href="/provisions/${id}/delete">Delete…</a>` : ''}
    <a class="button secondary" href="/provisions/${id}/timeline.svg" download="${p.id}-timeline.svg">Timeline SVG</a>
  </div>`;
}

/** The hosts table: live state, step, addresses, ids, failures. */
export function hostsSection(p: ProvisionView, roles: ReadonlyMap<string, string>): Html {
  if (p.hosts.length === 0) return html`<p class="empty">No hosts.</p>`;
  return html`<div class="table-wrap">
    <table class="hosts cards">
      <caption class="visually-hidden">
        Hosts of ${p.name}
      </caption>
      <thead>
        <tr>
          <th scope="col">Host</th>
          <th scope="col">State</th>
          <th scope="col">Step</th>
          <th scope="col">Public IPs</th>
          <th scope="col">Private IP</th>
          <th scope="col">OpenNebula id</th>
          <th scope="col">Provider id</th>
        </tr>
      </thead>
      <tbody>
        ${p.hosts.map(
          (h) =>
            html`<tr data-host="${h.name}">
              <th scope="row" data-label="Host">${h.name}</th>
              <td data-label="State" class="host-state">${stateBadge(h.state)}</td>
              <td data-label="Step" class="host-step">
                ${hostStep(h, roles)}${h.failedStep ? html`<div class="host-failure">${failureText(h.error, h.failedStep)}</div>` : ''}
              </td>
              <td data-label="Public IPs" class="ips">${h.publicIps.length ? h.publicIps.map((ip) => html`<code>${ip}</code> `) : '-'}</td>
              <td data-label="Private IP">${h.privateIp ? html`<code>${h.privateIp}</code>` : '-'}</td>
              <td data-label="OpenNebula id" class="one-id">${h.oneId ?? '-'}</td>
              <td data-label="Provider id">${h.providerId ? html`<code>${h.providerId}</code>` : '-'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Cluster, datastores and networks with their OpenNebula ids. */
export function objectsSection(p: ProvisionView): Html {
  return html`<div class="table-wrap">
    <table class="objects cards">
      <caption class="visually-hidden">
        OpenNebula objects of ${p.name}
      </caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">OpenNebula id</th>
        </tr>
      </thead>
      <tbody>
        ${p.cluster
          ? html`<tr>
              <td data-label="Kind">cluster</td>
              <td data-label="Name">${p.cluster.name}</td>
              <td data-label="Type">-</td>
              <td data-label="OpenNebula id">${p.cluster.oneId}</td>
            </tr>`
          : ''}
        ${p.datastores.map(
          (d) =>
            html`<tr>
              <td data-label="Kind">datastore</td>
              <td data-label="Name">${d.name}</td>
              <td data-label="Type">${d.type}</td>
              <td data-label="OpenNebula id">${d.oneId ?? '-'}</td>
            </tr>`,
        )}
        ${p.networks.map(
          (n) =>
            html`<tr>
              <td data-label="Kind">network</td>
              <td data-label="Name">${n.name}</td>
              <td data-label="Type">${n.role} · ${n.vnMad}${n.publicIps ? ` · ${n.publicIps} public IPs` : ''}</td>
              <td data-label="OpenNebula id">${n.oneId ?? '-'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The last finished operations (create, delete, retry, day-2), newest first, with their outcome. */
export function operationsSection(p: ProvisionView, ctx: ConsoleContext): Html {
  if (p.operations.length === 0) return html`<p class="empty">No finished operation yet.</p>`;
  return html`<div class="table-wrap">
    <table class="operations cards">
      <caption class="visually-hidden">
        Recent operations on ${p.name}, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Operation</th>
          <th scope="col">Outcome</th>
          <th scope="col">Started</th>
          <th scope="col">Took</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        ${p.operations.map(
          (o) =>
            html`<tr>
              <th scope="row" data-label="Operation">${o.summary} <span class="muted">(${o.kind})</span></th>
              <td data-label="Outcome">${stateBadge(o.outcome)}</td>
              <td data-label="Started">${ageTime(o.startedAt, ctx.now)} ago</td>
              <td data-label="Took">${((Date.parse(o.endedAt) - Date.parse(o.startedAt)) / 1000).toFixed(1)} s</td>
              <td data-label="Error">${o.error ? html`${o.error.step}: <code>${o.error.errorName}</code> — ${o.error.message}` : '-'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The parts of the provision page that change while it moves, by element id. */
export function liveSections(
  p: ProvisionView,
  roles: ReadonlyMap<string, string>,
  ctx: ConsoleContext,
  timeline: Html,
): Record<string, string> {
  return {
    'head-state': stateBadge(p.state).value,
    summary: summarySection(p, ctx).value,
    failure: failureSection(p).value,
    actions: actionsSection(p).value,
    hosts: hostsSection(p, roles).value,
    timeline: timeline.value,
    objects: objectsSection(p).value,
    operations: operationsSection(p, ctx).value,
  };
}

/** What the provision page shows. */
export interface ProvisionModel {
  view: ProvisionView;
  events: ProvisionLogEntry[];
  timeline: Html;
  /** A message about what was just started (delete, retry). */
  notice?: string;
  /** A refused action, as the API answered it. */
  problem?: Partial<Problem>;
  /** Role output unfolded (the no-script way to see it). */
  showOutput?: boolean;
}

/** The provision page; `data-live` tells the script where to follow it. */
export function provisionPage(ctx: ConsoleContext, m: ProvisionModel): string {
  const p = m.view;
  const roles = currentRoles(m.events);
  const s = liveSections(p, roles, ctx, m.timeline);
  const last = m.events[m.events.length - 1]?.seq ?? 0;
  const sec = (id: string) => html`<div id="${id}">${raw(s[id] ?? '')}</div>`;
  // Not live: a form the page rewrote while someone fills it in would lose what they typed.
  const day2 = day2Section(p);
  const body = html`<div class="page-head">
      <h1>${p.name} <span id="head-state">${raw(s['head-state'] ?? '')}</span></h1>
      <p class="crumbs"><a href="/">Provisions</a> / <code>${p.id}</code></p>
    </div>
    ${m.notice ? html`<p class="notice" role="status">${m.notice}</p>` : ''} ${m.problem ? problemBox(m.problem) : ''}
    <noscript><p class="notice">Without JavaScript this page does not update by itself: reload it to see progress.</p></noscript>
    <p id="live-status" class="live-status" aria-live="off"></p>
    <section aria-labelledby="summary-h">
      <h2 id="summary-h" class="visually-hidden">Summary</h2>
      ${sec('summary')}
    </section>
    ${sec('failure')}
    <section aria-labelledby="actions-h">
      <h2 id="actions-h" class="visually-hidden">Actions</h2>
      ${sec('actions')}
    </section>
    ${day2.value
      ? html`<section aria-labelledby="day2-h">
          <h2 id="day2-h">Day-2 operations</h2>
          ${day2}
        </section>`
      : ''}
    <section aria-labelledby="hosts-h">
      <h2 id="hosts-h">Hosts</h2>
      ${sec('hosts')}
    </section>
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">Timeline</h2>
      ${sec('timeline')}
    </section>
    <section aria-labelledby="objects-h">
      <h2 id="objects-h">OpenNebula objects</h2>
      ${sec('objects')}
    </section>
    <section aria-labelledby="operations-h">
      <h2 id="operations-h">Operations</h2>
      ${sec('operations')}
    </section>
    <section aria-labelledby="events-h" id="events-section">
      <div class="section-head">
        <h2 id="events-h">Events</h2>
        <button type="button" class="secondary" id="toggle-output" aria-pressed="false" aria-controls="events" hidden>
          Show role output
        </button>
        <noscript><a href="?output=1#events-section">Show role output</a></noscript>
      </div>
      <ol id="events" class="events${m.showOutput ? ' show-output' : ''}" data-after="${last}" tabindex="0" aria-labelledby="events-h">
        ${eventItems(m.events)}
      </ol>
    </section>`;
  return page(ctx, { title: p.name, nav: 'none', body, live: `/provisions/${encodeURIComponent(p.id)}/live` });
}
