import { PROVISION_STATES } from '../../lambdas/provisioning/model';
import { html, type Html } from '../html';
import { ageTime, stateBadge } from './format';
import { page, type ConsoleContext } from './layout';

/** One line of the provision list. */
export interface ListRow {
  id: string;
  name: string;
  state: string;
  /** Unknown when the provision could not be read (it is listed all the same). */
  provider?: string;
  running?: number;
  total: number;
  createdAt: string;
}

/** What the list page shows. */
export interface ListModel {
  rows: ListRow[];
  state?: string;
  /** Cursor of the next page, if there is one. */
  next?: string;
  /** The cursor this page was read with (so "first page" can be offered). */
  cursor?: string;
}

function queryOf(state: string | undefined, cursor?: string): string {
  const q = new URLSearchParams();
  if (state) q.set('state', state);
  if (cursor) q.set('cursor', cursor);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The table (what the page refreshes in place). */
export function listTable(ctx: ConsoleContext, m: ListModel): Html {
  if (m.rows.length === 0) {
    return html`<p class="empty">
      ${m.state ? html`No provisions in state ${m.state}.` : 'No provisions yet.'} <a href="/provisions/new">Create one</a>.
    </p>`;
  }
  return html`<div class="table-wrap">
      <table class="provisions cards">
        <caption class="visually-hidden">
          Provisions${m.state ? ` in state ${m.state}` : ''}, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">State</th>
            <th scope="col">Provider</th>
            <th scope="col">Hosts running</th>
            <th scope="col">Age</th>
            <th scope="col">ID</th>
          </tr>
        </thead>
        <tbody>
          ${m.rows.map(
            (r) =>
              html`<tr data-id="${r.id}">
                <th scope="row" data-label="Name"><a href="/provisions/${encodeURIComponent(r.id)}">${r.name}</a></th>
                <td data-label="State">${stateBadge(r.state)}</td>
                <td data-label="Provider">${r.provider ?? '-'}</td>
                <td data-label="Hosts running" class="hosts">${r.running ?? '?'}/${r.total}</td>
                <td data-label="Age">${ageTime(r.createdAt, ctx.now)}</td>
                <td data-label="ID"><code>${r.id}</code></td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <nav class="pager" aria-label="Pages">
      ${m.cursor ? html`<a href="/${queryOf(m.state)}">First page</a>` : ''}
      ${m.next ? html`<a href="/${queryOf(m.state, m.next)}" rel="next">Next page</a>` : ''}
    </nav>`;
}

/** The provision list: filter by state, the table, paging. */
export function listPage(ctx: ConsoleContext, m: ListModel): string {
  const body = html`<div class="page-head">
      <h1>Provisions</h1>
      <a class="button" href="/provisions/new">New provision</a>
    </div>
    <form class="filter" method="get" action="/" role="search">
      <label for="state">State</label>
      <select id="state" name="state" data-autosubmit>
        <option value="">All states</option>
        ${PROVISION_STATES.map((s) => html`<option value="${s}" ${m.state === s ? html` selected` : ''}>${s}</option>`)}
      </select>
      <button type="submit">Filter</button>
    </form>
    <div id="list" data-refresh="/fragments/list${queryOf(m.state, m.cursor)}">${listTable(ctx, m)}</div>`;
  return page(ctx, { title: m.state ? `Provisions (${m.state})` : 'Provisions', nav: 'list', body });
}
