import { html, type Html } from '../html';

/** What every page shows about where the console points. */
export interface ConsoleContext {
  /** `Local sandbox` or the endpoint's URL. */
  target: string;
  /** Time of rendering (ms since the epoch); ages are relative to it. */
  now: number;
}

/** Which navigation entry a page belongs to. */
export type NavEntry = 'list' | 'create' | 'none';

/** A whole page: skip link, header with navigation, the page's main content, footer. */
export function page(ctx: ConsoleContext, options: { title: string; nav: NavEntry; body: Html; live?: string }): string {
  const item = (entry: NavEntry, href: string, label: string) =>
    html`<li><a href="${href}" ${options.nav === entry ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · edge-provisioner</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/console.js" defer></script>
</head>
<body${options.live ? html` data-live="${options.live}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">edge-provisioner</a>
  <nav aria-label="Main">
    <ul>${item('list', '/', 'Provisions')}${item('create', '/provisions/new', 'New provision')}</ul>
  </nav>
  <p class="target">API: <span>${ctx.target}</span></p>
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
<footer>
  <p>The console forwards <code>/api/*</code> to the API with edgectl's credentials (<a href="/api/openapi.json">OpenAPI</a>).</p>
</footer>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
</body>
</html>
`.value;
}
