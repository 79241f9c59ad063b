import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { EDGECTL_ENTRY } from '../../cli/connect';
import { stopDaemon } from '../../sandbox/daemon';
import { hasChromium, launchChromium, CHROMIUM } from './browser';

/** The browser globals the functions run in the page use (the project compiles without the DOM library). */
interface PageElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelectorAll(selector: string): Iterable<PageElement> & { forEach(f: (e: PageElement) => void): void };
  querySelector(selector: string): PageElement | null;
  getElementById(id: string): PageElement | null;
  activeElement: PageElement | null;
  documentElement: { scrollWidth: number };
};
declare const window: { innerWidth: number; scrollTo(x: number, y: number): void };
declare const MutationObserver: new (f: () => void) => {
  observe(target: PageElement, options: { childList: boolean; subtree: boolean }): void;
};

const ROOT = resolve(__dirname, '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'sim-edge.yml');
/** Set (e.g. to `docs`) to write the README's screenshots. */
const SHOTS = process.env['CONSOLE_SCREENSHOTS_DIR'];

if (!hasChromium) process.stderr.write(`console browser tier skipped: no chromium at ${CHROMIUM} (apt-get install chromium)\n`);

/** Starts `edgectl console` as a user would; resolves with the URL it prints last. */
async function startConsole(home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [EDGECTL_ENTRY, 'console'], {
    cwd: home,
    // A slower clock than the default keeps each host step on screen long enough to be seen changing.
    env: { ...process.env, EDGE_HOME: join(home, '.edge'), EDGE_TIME_SCALE: '0.004' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`edgectl console printed no URL: ${out} ${err}`)), 45_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const last = out.trimEnd().split('\n').pop() ?? '';
      if (out.endsWith('\n') && /^http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(last)) {
        clearTimeout(timer);
        resolveUrl(last);
      }
    });
    child.once('exit', (code) => reject(new Error(`edgectl console exited with ${code}: ${err}`)));
  });
  return { child, url };
}

/** States each host row showed, collected in the page by a MutationObserver (so nothing between two polls is missed). */
async function watchHostStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { seenStates: string[]; loadMark: string };
    w.seenStates = [];
    w.loadMark = 'first-load';
    const record = () =>
      document.querySelectorAll('#hosts [data-state]').forEach((e) => w.seenStates.push(e.getAttribute('data-state') ?? ''));
    record();
    new MutationObserver(record).observe(document.getElementById('hosts') as PageElement, { childList: true, subtree: true });
  });
}

/** Clicks a submit button and waits for the page it leads to (the old page may look alike). */
async function submit(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function hostStates(page: Page): Promise<string[]> {
  return page.locator('#hosts tbody tr .host-state [data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state') ?? ''));
}

async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the console's CSP (rightly) refuses injected script tags.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }
    ).axe;
    return (await axe.run(document)).violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.count})`);
}

async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

(hasChromium ? describe : describe.skip)('web console in headless chromium', () => {
  const home = mkdtempSync(join(tmpdir(), 'edge-console-'));
  let consoleProcess: ChildProcess | undefined;
  let base = '';
  let page: Page;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let provisionId = '';
  let navigations = 0;

  beforeAll(async () => {
    const started = await startConsole(home);
    consoleProcess = started.child;
    base = started.url.replace(/\/\?token=.*$/, '');
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    await page.goto(started.url);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    consoleProcess?.kill('SIGTERM');
    await stopDaemon(join(home, '.edge'));
  });

  it('opens on the provision list of the sandbox, with the token traded for a cookie', async () => {
    expect(page.url()).toBe(`${base}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Provisions');
    await expect(page.locator('.empty').textContent()).resolves.toContain('No provisions yet');
    expect(await page.locator('.target').textContent()).toContain('local sandbox');
  });

  it('shows the located error of a malformed descriptor next to its line, and creates nothing', async () => {
    await page.click('text=New provision >> nth=0');
    const malformed = readFileSync(EXAMPLE, 'utf8').replace(/count: 2\n(\s+)hostname/, 'count: two\n$1hostname');
    const line = malformed.split('\n').findIndex((l) => l.includes('count: two')) + 1;
    await page.fill('#descriptor', malformed);
    await submit(page, 'button[value=validate]');
    await expect(page.locator('.problem h2').textContent()).resolves.toContain('The descriptor is not valid');
    const atLine = page.locator(`#L${line} .line-error`);
    await expect(atLine.textContent()).resolves.toContain('hosts[0].provision.count');
    await expect(atLine.textContent()).resolves.toContain(`line ${line}, column 14`);
    expect(await page.locator('#descriptor').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#descriptor').inputValue()).toBe(malformed);

    await submit(page, 'button[value=create]');
    await expect(page.locator(`#L${line} .line-error`).textContent()).resolves.toContain('must be a positive integer');
    const list = (await (await page.request.get(`${base}/api/provisions`)).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });

  it('validates, plans and creates the example descriptor loaded from a file', async () => {
    await page.goto(`${base}/provisions/new`);
    await page.setInputFiles('#file', EXAMPLE);
    await page.waitForSelector('body[data-loaded-file="sim-edge.yml"]');
    expect(await page.locator('#descriptor').inputValue()).toBe(readFileSync(EXAMPLE, 'utf8'));

    await submit(page, 'button[value=validate]');
    const summary = ((await page.locator('.result').textContent()) ?? '').replace(/\s+/g, ' ');
    expect(summary).toContain(
      'Provision sim-edge on provider sim: 2 hosts (edge-host0, edge-host1), 2 datastores, 3 networks, 2 public IPs.',
    );
    await submit(page, 'button[value=plan]');
    await expect(page.locator('.result h2').textContent()).resolves.toBe('Plan');
    expect(await page.locator('.plan-steps li').count()).toBeGreaterThan(4);

    await submit(page, 'button[value=create]');
    await page.waitForURL(/\/provisions\/p-[0-9a-f]{12}$/);
    provisionId = page.url().split('/').pop() ?? '';
    await watchHostStates(page);
  });

  it('shows both hosts reaching RUNNING without a reload, with their IPs and OpenNebula ids', async () => {
    const before = navigations;
    await page.waitForFunction(
      () => {
        const states = [...document.querySelectorAll('#hosts tbody .host-state [data-state]')].map((e) => e.getAttribute('data-state'));
        return states.length === 2 && states.every((s) => s === 'RUNNING') && document.querySelector('#head-state [data-state="RUNNING"]');
      },
      undefined,
      { timeout: 60_000 },
    );
    expect(navigations).toBe(before);
    const marks = await page.evaluate(() => {
      const w = window as unknown as { seenStates: string[]; loadMark: string };
      return { seenStates: w.seenStates, loadMark: w.loadMark };
    });
    expect(marks.loadMark).toBe('first-load');
    // The page showed the hosts on their way, not only the end state.
    expect(marks.seenStates.some((s) => ['PENDING', 'ALLOCATING', 'BOOTING', 'CONFIGURING', 'REGISTERING'].includes(s))).toBe(true);
    expect(await hostStates(page)).toEqual(['RUNNING', 'RUNNING']);
    for (const host of ['edge-host0', 'edge-host1']) {
      const row = page.locator(`#hosts tr[data-host="${host}"]`);
      await expect(row.locator('.ips').textContent()).resolves.toMatch(/\d+\.\d+\.\d+\.\d+/);
      await expect(row.locator('.one-id').textContent()).resolves.toMatch(/^\d+$/);
    }
    expect(await page.locator('#summary').textContent()).toContain('2/2');
  });

  it('shows the timeline of both pipelines and the event stream, with role output on demand', async () => {
    for (const host of ['edge-host0', 'edge-host1'])
      expect(
        await page.locator(`#timeline rect[data-host="${host}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-step'))),
      ).toEqual(['allocate', 'boot', 'assignIps', 'configure', 'register']);
    const timelineSvg = await page.request.get(`${base}/provisions/${provisionId}/timeline.svg`);
    expect(timelineSvg.headers()['content-type']).toContain('image/svg+xml');

    await page.waitForSelector('#events .ev[data-type="Provision Running"]');
    const types = await page.locator('#events .ev[data-type]').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types[0]).toBe('Provision Requested');
    expect(types.filter((t) => t === 'Host Registered')).toHaveLength(2);
    expect(types).toContain('Provision Running');
    const output = page.locator('#events .ev-output').first();
    expect(await output.isVisible()).toBe(false);
    await page.click('#toggle-output');
    expect(await page.locator('#toggle-output').getAttribute('aria-pressed')).toBe('true');
    await output.locator('summary').click();
    await expect(output.locator('pre').textContent()).resolves.toContain('os: ubuntu');

    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.click('#toggle-output');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, 'console-provision.png'), fullPage: true });
    }
  });

  it('lists the provision with its state, provider, running hosts and age, filtered by state', async () => {
    await page.goto(`${base}/`);
    const row = page.locator(`tr[data-id="${provisionId}"]`);
    await expect(row.locator('[data-state]').textContent()).resolves.toBe('RUNNING');
    await expect(row.locator('td[data-label="Provider"]').textContent()).resolves.toBe('sim');
    await expect(row.locator('.hosts').textContent()).resolves.toBe('2/2');
    await expect(row.locator('time').textContent()).resolves.toMatch(/^\d+ (s|min)$/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'console-list.png') });

    await page.selectOption('#state', 'DELETED');
    await page.waitForURL(/state=DELETED/);
    expect(await page.locator(`tr[data-id="${provisionId}"]`).count()).toBe(0);
    await page.selectOption('#state', 'RUNNING');
    await page.waitForURL(/state=RUNNING/);
    expect(await page.locator(`tr[data-id="${provisionId}"]`).count()).toBe(1);
  });

  it('is readable at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const path of ['/', `/provisions/${provisionId}`, '/provisions/new']) {
        await page.goto(`${base}${path}`);
        expect({ path, fits: await fitsWidth(page) }).toEqual({ path, fits: true });
        if (path.startsWith('/provisions/p-'))
          expect(await page.locator(`#hosts tr[data-host="edge-host0"] td[data-label="Public IPs"]`).isVisible()).toBe(true);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('deletes with cleanup from the keyboard and shows DELETED without a reload', async () => {
    await page.goto(`${base}/provisions/${provisionId}`);
    await page.click('text=Delete…');
    await page.waitForURL(/\/delete$/);
    expect(await page.locator('main').textContent()).toContain('2 public IPs');
    for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement?.id)) !== 'cleanup'; i += 1)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.locator('#cleanup').isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Delete sim-edge');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/provisions/${provisionId}\\?notice=deleting-cleanup$`));
    await expect(page.locator('.notice[role=status]').textContent()).resolves.toContain('Delete with cleanup started');
    await watchHostStates(page);
    const before = navigations;
    await page.waitForSelector('#head-state [data-state="DELETED"]', { timeout: 60_000 });
    expect(navigations).toBe(before);
    expect(await page.evaluate(() => (window as unknown as { loadMark: string }).loadMark)).toBe('first-load');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#hosts tbody .host-state [data-state]')].every((e) => e.getAttribute('data-state') === 'RELEASED'),
    );
    await page.waitForSelector('#events .ev[data-type="Provision Deleted"]');
    expect(await page.locator('#actions').textContent()).not.toContain('Delete…');
  });
});
