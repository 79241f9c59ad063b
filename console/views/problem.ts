import type { FieldProblem, Problem } from '../../lambdas/api/problem';
import { html, type Html } from '../html';

/** Where a field problem points: `line 12, column 5` of the descriptor, or nothing. */
export function locationOf(e: FieldProblem): string {
  if (e.line === undefined) return '';
  return `line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''}`;
}

/**
 * Problem details (RFC 9457) as the API answered them: title, detail, and
 * each field problem with its path and location. With `lineLinks`, located
 * problems link to the descriptor line they are shown next to.
 */
export function problemBox(p: Partial<Problem>, options: { lineLinks?: boolean; id?: string } = {}): Html {
  const errors = p.errors ?? [];
  return html`<section
    class="problem"
    role="alert"
    aria-labelledby="${options.id ?? 'problem'}-title"
    id="${options.id ?? 'problem'}"
    tabindex="-1"
  >
    <h2 id="${options.id ?? 'problem'}-title">
      ${p.title ?? 'Request failed'}${p.status ? html` <span class="status">(${p.status})</span>` : ''}
    </h2>
    ${p.detail ? html`<p>${p.detail}</p>` : ''}
    ${errors.length
      ? html`<ul class="field-problems">
          ${errors.map(
            (e) =>
              html`<li>
                ${options.lineLinks && e.line !== undefined
                  ? html`<a href="#L${e.line}">${locationOf(e)}</a>: `
                  : e.line !== undefined
                    ? html`<span class="where">${locationOf(e)}</span>: `
                    : ''}<code>${e.path}</code> — ${e.message}
              </li>`,
          )}
        </ul>`
      : ''}
    ${p.type ? html`<p class="problem-type">Problem type: <code>${p.type}</code></p>` : ''}
  </section>`;
}
