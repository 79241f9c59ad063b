import type { ProvisionView } from '../../lambdas/api/views';
import { html, type Html } from '../html';

/** Provision states a day-2 operation may start from. */
const OPERABLE = ['RUNNING', 'DEGRADED'];

/** Host names of the live hosts, as `<option>`s. */
function hostOptions(p: ProvisionView): Html {
  return html`${p.hosts.filter((h) => h.state !== 'RELEASED').map((h) => html`<option value="${h.name}">${h.name} (${h.state})</option>`)}`;
}

/**
 * Forms for the day-2 operations of a live provision: scale out and in,
 * host power actions, public IPs, reconfigure. Each posts to the console,
 * which calls the API and shows a refusal (409 naming the VMs, the running
 * operation…) as the API answered it. Nothing while an operation runs or the
 * provision is not live: the API would refuse.
 */
export function day2Section(p: ProvisionView): Html {
  if (!OPERABLE.includes(p.state) || p.operation) return html``;
  const action = `/provisions/${encodeURIComponent(p.id)}/operate`;
  const ips = p.hosts.flatMap((h) => h.publicIps);
  return html`<div class="day2">
    <form method="post" action="${action}" aria-labelledby="scale-out-h">
      <h3 id="scale-out-h">Scale out</h3>
      <input type="hidden" name="op" value="scale-out" />
      <label for="scale-out-count">Hosts to add</label>
      <input type="number" id="scale-out-count" name="count" min="1" max="40" value="1" required />
      <div class="actions"><button type="submit">Add hosts</button></div>
    </form>
    <form method="post" action="${action}" aria-labelledby="scale-in-h">
      <h3 id="scale-in-h">Scale in</h3>
      <input type="hidden" name="op" value="scale-in" />
      <label for="scale-in-host">Host to remove</label>
      <select id="scale-in-host" name="host" required>
        ${hostOptions(p)}
      </select>
      <div class="check">
        <input type="checkbox" id="scale-in-drain" name="drain" value="true" />
        <label for="scale-in-drain">Drain: disable it and wait for its VMs to leave</label>
      </div>
      <div class="check">
        <input type="checkbox" id="scale-in-force" name="force" value="true" />
        <label for="scale-in-force">With drain: terminate its VMs instead of waiting</label>
      </div>
      <div class="check">
        <input type="checkbox" id="scale-in-empty" name="allowEmpty" value="true" />
        <label for="scale-in-empty">Allow going below min_healthy_hosts, or to no host</label>
      </div>
      <div class="actions"><button type="submit" class="danger">Remove host</button></div>
    </form>
    <form method="post" action="${action}" aria-labelledby="host-action-h">
      <h3 id="host-action-h">Host power</h3>
      <input type="hidden" name="op" value="host-action" />
      <label for="host-action-host">Host</label>
      <select id="host-action-host" name="host" required>
        ${hostOptions(p)}
      </select>
      <label for="host-action-action">Action</label>
      <select id="host-action-action" name="action" required>
        <option value="poweroff">Power off</option>
        <option value="reboot">Reboot</option>
        <option value="resume">Resume</option>
      </select>
      <div class="check">
        <input type="checkbox" id="host-action-hard" name="hard" value="true" />
        <label for="host-action-hard">Reboot hard (stop, then start)</label>
      </div>
      <div class="check">
        <input type="checkbox" id="host-action-force" name="force" value="true" />
        <label for="host-action-force">Power its VMs off first (resumed when the host is back)</label>
      </div>
      <div class="actions"><button type="submit">Apply</button></div>
    </form>
    <form method="post" action="${action}" aria-labelledby="ip-add-h">
      <h3 id="ip-add-h">Add public IPs</h3>
      <input type="hidden" name="op" value="ip-add" />
      <label for="ip-add-count">Addresses</label>
      <input type="number" id="ip-add-count" name="count" min="1" max="40" value="1" required />
      <div class="actions"><button type="submit">Add IPs</button></div>
    </form>
    ${ips.length
      ? html`<form method="post" action="${action}" aria-labelledby="ip-remove-h">
          <h3 id="ip-remove-h">Remove a public IP</h3>
          <input type="hidden" name="op" value="ip-remove" />
          <label for="ip-remove-address">Address</label>
          <select id="ip-remove-address" name="address" required>
            ${ips.map((ip) => html`<option value="${ip}">${ip}</option>`)}
          </select>
          <div class="actions"><button type="submit" class="danger">Remove IP</button></div>
        </form>`
      : ''}
    <form method="post" action="${action}" aria-labelledby="configure-h">
      <h3 id="configure-h">Reconfigure</h3>
      <input type="hidden" name="op" value="configure" />
      <label for="configure-host">Hosts</label>
      <select id="configure-host" name="host">
        <option value="">All hosts</option>
        ${hostOptions(p)}
      </select>
      <div class="check">
        <input type="checkbox" id="configure-force" name="force" value="true" />
        <label for="configure-force">Force: run every role again</label>
      </div>
      <div class="actions"><button type="submit">Reconfigure</button></div>
    </form>
  </div>`;
}
