import type { Problem } from '../../lambdas/api/problem';
import { html } from '../html';
import { page, type ConsoleContext } from './layout';
import { problemBox } from './problem';

/** A page that only reports a problem (unknown provision, API unreachable, …). */
export function problemPage(ctx: ConsoleContext, problem: Partial<Problem>): string {
  const body = html`<div class="page-head"><h1>${problem.title ?? 'Request failed'}</h1></div>
    ${problemBox({ ...problem, title: problem.status ? `HTTP ${problem.status}` : 'Details' })}
    <p><a href="/">Back to the provisions</a></p>`;
  return page(ctx, { title: problem.title ?? 'Problem', nav: 'none', body });
}
