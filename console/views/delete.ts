import type { Problem } from '../../lambdas/api/problem';
import type { ProvisionView } from '../../lambdas/api/views';
import { html } from '../html';
import { stateBadge } from './format';
import { page, type ConsoleContext } from './layout';
import { problemBox } from './problem';

/** Confirmation before a delete: what goes away, and whether VMs may be terminated. */
export function deletePage(ctx: ConsoleContext, p: ProvisionView, problem?: Partial<Problem>): string {
  const id = encodeURIComponent(p.id);
  const ips = p.hosts.flatMap((h) => h.publicIps);
  const live = p.hosts.filter((h) => h.state !== 'RELEASED');
  const body = html`<div class="page-head">
      <h1>Delete ${p.name}?</h1>
      <p class="crumbs"><a href="/">Provisions</a> / <a href="/provisions/${id}">${p.name}</a> / delete</p>
    </div>
    ${problem ? problemBox(problem) : ''}
    <p>${stateBadge(p.state)} <code>${p.id}</code> on provider ${p.provider}.</p>
    <p>Deleting deregisters the hosts, networks, datastores and cluster from OpenNebula, then releases at the provider:</p>
    <ul>
      <li>${live.length} host${live.length === 1 ? '' : 's'}${live.length ? `: ${live.map((h) => h.name).join(', ')}` : ''}</li>
      <li>${ips.length} public IP${ips.length === 1 ? '' : 's'}${ips.length ? `: ${ips.join(', ')}` : ''}</li>
    </ul>
    <form method="post" action="/provisions/${id}/delete" class="confirm">
      <div class="check">
        <input type="checkbox" id="cleanup" name="cleanup" value="true" aria-describedby="cleanup-hint" />
        <label for="cleanup">Clean up: terminate the VMs running on these hosts</label>
      </div>
      <p class="hint" id="cleanup-hint">Without it the API refuses the delete while VMs run.</p>
      <div class="actions">
        <button type="submit" class="danger">Delete ${p.name}</button>
        <a class="button secondary" href="/provisions/${id}">Cancel</a>
      </div>
    </form>`;
  return page(ctx, { title: `Delete ${p.name}`, nav: 'none', body });
}
