import type { Problem } from '../../lambdas/api/problem';
import type { PlanEstimate } from '../../lambdas/descriptor';
import type { ProvisionPlan } from '../../lambdas/provisioning/plan';
import { html, type Html } from '../html';
import { page, type ConsoleContext } from './layout';
import { locationOf, problemBox } from './problem';

/** The outcome of the last button pressed on the create page. */
export type CreateOutcome =
  | { kind: 'valid'; plan: ProvisionPlan }
  | { kind: 'plan'; plan: ProvisionPlan; estimate: PlanEstimate }
  | { kind: 'problem'; problem: Partial<Problem> };

/** What the create page shows. */
export interface CreateModel {
  descriptor: string;
  inputs: string;
  /** Idempotency key of the create this form may send: a double submit creates one provision. */
  nonce: string;
  outcome?: CreateOutcome;
  /** Examples the page offers to start from (file names). */
  examples: string[];
}

function summaryOf(plan: ProvisionPlan): Html {
  const publicIps = plan.networks.reduce((n, x) => n + x.publicIps, 0);
  return html`<p>
    Provision <strong>${plan.name}</strong> on provider <strong>${plan.provider.name}</strong>: ${plan.hosts.length}
    host${plan.hosts.length === 1 ? '' : 's'}${plan.hosts.length ? ` (${plan.hosts.map((h) => h.name).join(', ')})` : ''},
    ${plan.datastores.length} datastore${plan.datastores.length === 1 ? '' : 's'}, ${plan.networks.length}
    network${plan.networks.length === 1 ? '' : 's'}, ${publicIps} public IP${publicIps === 1 ? '' : 's'}.
  </p>`;
}

function estimateOf(e: PlanEstimate): Html {
  return html`<ol class="plan-steps">
      ${e.steps.map(
        (s) =>
          html`<li>
            <strong>${s.object}</strong>
            ${s.providerCalls.length ? html`<div>provider: ${s.providerCalls.join(', ')}</div>` : ''}
            ${s.opennebulaCalls.length ? html`<div>OpenNebula: ${s.opennebulaCalls.join(', ')}</div>` : ''}
            ${s.publicIps ? html`<div>public IPs: ${s.publicIps}</div>` : ''}
          </li>`,
      )}
    </ol>
    <p>Public IPs requested: ${e.publicIps}. Provider API calls: ${e.providerCallCount}.</p>
    ${e.quotas.length === 0
      ? html`<p>Quotas: none needed.</p>`
      : html`<div class="table-wrap">
          <table>
            <caption>
              Provider quotas
            </caption>
            <thead>
              <tr>
                <th scope="col">Quota</th>
                <th scope="col">Scope</th>
                <th scope="col">Needed</th>
                <th scope="col">Default limit</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              ${e.quotas.map(
                (q) =>
                  html`<tr${q.exceedsDefault ? html` class="over"` : ''}><td>${q.quota}</td><td>${q.scope}</td><td>${q.needed}${q.exceedsDefault ? html` <strong>exceeds the default</strong>` : ''}</td><td>${q.defaultLimit ?? '-'}</td><td>${q.note}</td></tr>`,
              )}
            </tbody>
          </table>
        </div>`}`;
}

/** Lines shown around each located problem. */
const CONTEXT_LINES = 2;

/**
 * The descriptor's lines around each located problem, numbered as in the
 * file, with the problem right under the line it names (a caret under its
 * column); `…` marks the lines left out.
 */
export function annotatedSource(text: string, problem: Partial<Problem>): Html {
  const located = (problem.errors ?? []).filter((e) => e.line !== undefined);
  if (located.length === 0) return html``;
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const shown = new Set<number>();
  for (const e of located) {
    const at = Math.min(Math.max(e.line ?? 1, 1), lines.length);
    for (let n = at - CONTEXT_LINES; n <= at + CONTEXT_LINES; n += 1) if (n >= 1 && n <= lines.length) shown.add(n);
  }
  const numbers = [...shown].sort((a, b) => a - b);
  return html`<section class="source" aria-labelledby="source-h">
    <h2 id="source-h">Where the problems are</h2>
    <ol class="source-lines">
      ${numbers.map((n, i) => {
        const here = located.filter((e) => Math.min(Math.max(e.line ?? 1, 1), lines.length) === n);
        const gap = (i === 0 && n > 1) || (i > 0 && numbers[i - 1] !== n - 1);
        return html`${gap ? html`<li class="gap" aria-hidden="true">…</li>` : ''}
          <li id="L${n}" value="${n}" ${here.length ? html` class="has-error"` : ''}>
            <code>${lines[n - 1] || ' '}</code>${here.map(
              (e) =>
                html`<div class="line-error" role="note">
                  <span class="caret" aria-hidden="true">${' '.repeat(Math.max(0, (e.column ?? 1) - 1))}^</span
                  ><span class="msg">${locationOf(e)}: <code>${e.path}</code> — ${e.message}</span>
                </div>`,
            )}
          </li>`;
      })}
      ${(numbers[numbers.length - 1] ?? lines.length) < lines.length ? html`<li class="gap" aria-hidden="true">…</li>` : ''}
    </ol>
  </section>`;
}

/** The create page: descriptor (paste or file), inputs, validate / plan / create, and the last outcome. */
export function createPage(ctx: ConsoleContext, m: CreateModel): string {
  const o = m.outcome;
  const invalid = o?.kind === 'problem';
  const body = html`<div class="page-head"><h1>New provision</h1></div>
    ${invalid ? problemBox(o.problem, { lineLinks: true }) : ''} ${invalid ? annotatedSource(m.descriptor, o.problem) : ''}
    ${o?.kind === 'valid'
      ? html`<section class="result" role="status" aria-labelledby="result-h">
          <h2 id="result-h">Valid</h2>
          ${summaryOf(o.plan)}
        </section>`
      : ''}
    ${o?.kind === 'plan'
      ? html`<section class="result" role="status" aria-labelledby="result-h">
          <h2 id="result-h">Plan</h2>
          ${summaryOf(o.plan)}${estimateOf(o.estimate)}
        </section>`
      : ''}
    <p>
      Paste a descriptor — an OpenNebula <code>oneprovision</code> 5.12 or 6.x template, or the native form — or load a file.
      <strong>Validate</strong> and <strong>Plan</strong> check it without creating anything.
      ${m.examples.length
        ? html`Start from an example: ${m.examples.map((e) => html`<a href="/provisions/new?example=${encodeURIComponent(e)}">${e}</a> `)}`
        : ''}
    </p>
    <form class="create" method="post" action="/provisions/new" enctype="multipart/form-data">
      <input type="hidden" name="nonce" value="${m.nonce}" />
      <div class="field">
        <label for="file">Descriptor file</label>
        <input
          type="file"
          id="file"
          name="file"
          accept=".yml,.yaml,.json,application/yaml,text/yaml,application/json"
          aria-describedby="file-hint"
        />
        <p class="hint" id="file-hint">
          A chosen file replaces the text below. Files it <code>extends:</code> cannot come along: create those with
          <code>edgectl create FILE</code>.
        </p>
      </div>
      <div class="field">
        <label for="descriptor">Descriptor</label>
        <textarea
          id="descriptor"
          name="descriptor"
          rows="22"
          spellcheck="false"
          autocapitalize="off"
          autocomplete="off"
          ${invalid ? html` aria-invalid="true" aria-describedby="problem"` : ''}
        >
${m.descriptor}</textarea
        >
      </div>
      <div class="field">
        <label for="inputs">Inputs <span class="muted">(optional)</span></label>
        <textarea id="inputs" name="inputs" rows="3" spellcheck="false" aria-describedby="inputs-hint">${m.inputs}</textarea>
        <p class="hint" id="inputs-hint">Values of the descriptor's <code>inputs</code>, one <code>NAME=VALUE</code> per line.</p>
      </div>
      <div class="actions">
        <button type="submit" name="action" value="validate" class="secondary">Validate</button>
        <button type="submit" name="action" value="plan" class="secondary">Plan</button>
        <button type="submit" name="action" value="create">Create</button>
      </div>
    </form>`;
  return page(ctx, { title: 'New provision', nav: 'create', body });
}
