import type { ProvisionLogEntry } from '../../lambdas/provisioning/model';
import { escapeHtml, html, raw, type Html } from '../html';

const BAD = new Set(['Provision Failed', 'Host Failed', 'Delete Refused', 'Host Failure Not Recorded']);
const GOOD = new Set(['Provision Running', 'Host Registered', 'Provision Deleted']);

/** What an entry is about, in a few words (the fields `edgectl events` prints, and a few more). */
export function eventSummary(e: ProvisionLogEntry): string {
  const d = e.detail;
  const parts = [
    d['host'],
    d['address'],
    d['step'],
    d['errorName'],
    d['message'],
    d['role'],
    d['text'],
    d['oneId'] !== undefined ? `OpenNebula id ${String(d['oneId'])}` : undefined,
    d['providerId'],
    d['healthyHosts'] !== undefined ? `${String(d['healthyHosts'])}/${String(d['hosts'])} hosts healthy` : undefined,
    d['trigger'],
  ];
  return parts
    .filter((x) => x !== undefined && x !== '' && x !== null)
    .map(String)
    .join(' · ');
}

function clock(iso: string): string {
  return iso.length >= 23 ? iso.slice(11, 23) : iso;
}

/** Role output lines in a <pre>, built as a plain string: its whitespace is content. */
function outputBlock(lines: Array<{ stream?: string; text?: string }>): Html {
  const body = lines
    .map(
      (l) =>
        `<span class="${l.stream === 'stderr' ? 'stderr' : 'stdout'}">${l.stream === 'stderr' ? '! ' : ''}${escapeHtml(l.text ?? '')}</span>`,
    )
    .join('\n');
  return raw(`<pre>${body}</pre>`);
}

/** One entry of the event stream; role output is a collapsed block the reader opens on demand. */
export function eventItem(e: ProvisionLogEntry): Html {
  const d = e.detail;
  const time = html`<time datetime="${e.at}" title="${e.at}">${clock(e.at)}</time>`;
  if (e.type === 'Role Output' && Array.isArray(d['lines'])) {
    const lines = d['lines'] as Array<{ stream?: string; text?: string }>;
    return html`<li class="ev ev-output" data-seq="${e.seq}">
      ${time}
      <details>
        <summary>
          ${String(d['host'] ?? '')} · ${String(d['role'] ?? '')} output (${lines.length} line${lines.length === 1 ? '' : 's'})
        </summary>
        ${outputBlock(lines)}
      </details>
    </li>`;
  }
  const tone = BAD.has(e.type) ? ' ev-bad' : GOOD.has(e.type) ? ' ev-good' : '';
  return html`<li class="ev${tone}" data-seq="${e.seq}" data-type="${e.type}">
    ${time} <strong>${e.type}</strong> <span class="what">${eventSummary(e)}</span>
  </li>`;
}

/** Entries in log order. */
export function eventItems(entries: ProvisionLogEntry[]): Html {
  return html`${entries.map(eventItem)}`;
}
