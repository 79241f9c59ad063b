import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from '../../cli/api-client';
import { sigV4Authorizer } from '../../cli/connect';
import { startConsole, type ConsoleServer } from '../../console/server';
import { Upstream } from '../../console/upstream';
import { startLocalApi, type LocalApiServer } from '../../sandbox/http-server';
import { startMemorySandbox } from '../support/memory-sandbox';
import { until } from '../support/until';
import { simEdgePlan, withPrefix } from '../support/plans';
import { createProvision, newProvisionId } from '../../lambdas/provisioning/commands';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

const FAST = { movingMs: 50, restingMs: 200, keepAliveMs: 60_000 };
const SIM_EDGE = [
  "name: 'edge'",
  'defaults: { provision: { provider_name: sim, plan: metal.small, location: sim-fra-1 } }',
  'hosts:',
  '  - { im_mad: kvm, vm_mad: kvm, provision: { count: 2, hostname: "edge-host${index}" } }',
  'networks:',
  '  - { name: pub, vn_mad: elastic, netrole: public, provision: { count: 2 }, ar: [ { provision_id: "${provision_id}", size: "1", ipam_mad: sim } ] }',
].join('\n');
/** The same cluster under other OpenNebula names, to run beside the first (names are reserved per live provision). */
const SIM_LIVE = SIM_EDGE.replace("name: 'edge'", "name: 'live'")
  .replace('edge-host${index}', 'live-host${index}')
  .replace('name: pub', 'name: live-pub');
const BAD_COUNT = SIM_EDGE.replace('count: 2, hostname', 'count: two, hostname');

/** A raw request, so tests can set Host and Origin as other clients would. */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A stand-in for a deployed API: records what reaches it and answers 201 with a Location. */
async function recordingApi(): Promise<{
  url: string;
  seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}> {
  const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(201, { 'content-type': 'application/json', location: '/provisions/p-0123456789ab', 'x-internal': 'no' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('console server', () => {
  let s: S;
  let api: LocalApiServer;
  let console_: ConsoleServer;
  let auth: Record<string, string>;

  beforeAll(async () => {
    s = await startMemorySandbox();
    api = await startLocalApi({ token: 'sandbox-token' });
    console_ = await startConsole({
      upstream: new Upstream(async () => ApiClient.withToken(api.url, 'sandbox-token'), 'local sandbox', true),
      live: FAST,
    });
    auth = { authorization: `Bearer ${console_.token}` };
  });
  afterAll(async () => {
    await console_.close();
    await api.close();
    await s.close();
  });

  it('refuses requests without its token, and trades the token in its URL for a strict cookie', async () => {
    const page = await request(`${console_.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    expect(page.body).toContain('open the URL `edgectl console` printed');
    const apiCall = await request(`${console_.url}/api/provisions`);
    expect(apiCall.status).toBe(401);
    expect(JSON.parse(apiCall.body)).toMatchObject({ status: 401, title: 'Not authenticated' });

    const login = await request(`${console_.loginUrl.replace('/?', '/provisions/new?')}`);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/provisions/new');
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^edge_console_${console_.port}=${console_.token}; Path=/; HttpOnly; SameSite=Strict$`));
    const after = await request(`${console_.url}/provisions/new`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(after.status).toBe(200);
    expect(after.body).toContain('<h1>New provision</h1>');
    expect((await request(`${console_.url}/?token=wrong`)).status).toBe(401);
  });

  it('answers only to its own loopback host name (no DNS rebinding)', async () => {
    const res = await request(`${console_.url}/api/provisions`, { headers: { ...auth, host: `attacker.example:${console_.port}` } });
    expect(res.status).toBe(421);
    expect((await request(`${console_.url}/api/provisions`, { headers: { ...auth, host: `localhost:${console_.port}` } })).status).toBe(
      200,
    );
  });

  it('refuses state-changing requests from another origin, even another port of 127.0.0.1', async () => {
    const foreign: Array<Record<string, string>> = [
      { origin: 'http://127.0.0.1:1' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of foreign) {
      const res = await request(`${console_.url}/api/provisions/p-000000000000/retry`, {
        method: 'POST',
        headers: { ...auth, ...headers },
      });
      expect(res.status).toBe(403);
    }
    const own = await request(`${console_.url}/api/provisions/p-000000000000/retry`, {
      method: 'POST',
      headers: { ...auth, origin: console_.url },
    });
    expect(own.status).toBe(404);
  });

  it("forwards /api/* with the sandbox token and returns the API's answer unchanged, problem details included", async () => {
    const body = JSON.stringify({ descriptor: BAD_COUNT });
    const headers = { 'content-type': 'application/json' };
    const direct = await request(`${api.url}/validate`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer sandbox-token' },
      body,
    });
    const proxied = await request(`${console_.url}/api/validate`, { method: 'POST', headers: { ...headers, ...auth }, body });
    expect(proxied.status).toBe(422);
    expect(proxied.status).toBe(direct.status);
    expect(proxied.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(proxied.body)).toEqual(JSON.parse(direct.body));
    expect(JSON.parse(proxied.body).errors[0]).toMatchObject({ path: 'hosts[0].provision.count', line: 4 });
  });

  it('signs what it forwards with SigV4 for a deployed API; the browser’s cookie and token never reach it', async () => {
    const deployed = await recordingApi();
    const signed = await startConsole({
      upstream: new Upstream(
        async () =>
          new ApiClient(
            deployed.url,
            sigV4Authorizer({ region: 'eu-central-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } }),
          ),
        deployed.url,
        false,
      ),
    });
    try {
      const res = await request(`${signed.url}/api/provisions?state=RUNNING`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${signed.token}`,
          cookie: 'other=1',
          'content-type': 'application/json',
          'idempotency-key': 'k-1',
          'x-forwarded-for': '10.0.0.1',
        },
        body: '{"descriptor":"name: x"}',
      });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe('/api/provisions/p-0123456789ab');
      expect(res.headers['x-internal']).toBeUndefined();
      const got = deployed.seen[0];
      expect(got?.url).toBe('/provisions?state=RUNNING');
      expect(got?.body).toBe('{"descriptor":"name: x"}');
      expect(got?.headers['authorization']).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-central-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*idempotency-key[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
      );
      expect(got?.headers['idempotency-key']).toBe('k-1');
      expect(got?.headers['cookie']).toBeUndefined();
      expect(got?.headers['x-forwarded-for']).toBeUndefined();
      expect(JSON.stringify(got?.headers)).not.toContain(signed.token);
    } finally {
      await signed.close();
      await deployed.close();
    }
  });

  it('keeps inline credentials away from a deployed API, as edgectl create does', async () => {
    const deployed = await recordingApi();
    const remote = await startConsole({
      upstream: new Upstream(async () => ApiClient.withToken(deployed.url, 't'), deployed.url, false),
    });
    const secret = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
    const descriptor = [
      "name: 'ec2'",
      'defaults:',
      '  provision:',
      '    driver: ec2',
      '    ec2_access: AKIAEXAMPLE',
      `    ec2_secret: ${secret}`,
      '    region_name: eu-west-1',
      '    instancetype: i3.metal',
      'hosts:',
      '  - { im_mad: kvm, vm_mad: kvm, provision: { hostname: h1 } }',
    ].join('\n');
    try {
      const res = await request(`${remote.url}/provisions/new`, {
        method: 'POST',
        headers: { authorization: `Bearer ${remote.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ action: 'create', descriptor }).toString(),
      });
      expect(res.status).toBe(422);
      expect(res.body).toContain('inline provider credentials are never sent to a deployed API');
      expect(deployed.seen).toEqual([]);
    } finally {
      await remote.close();
      await deployed.close();
    }
  });

  it('answers 502 problem details when the API cannot be reached, after trying to connect again', async () => {
    let connects = 0;
    const down = await startConsole({
      upstream: new Upstream(
        async () => {
          connects += 1;
          return ApiClient.withToken('http://127.0.0.1:9', 't');
        },
        'local sandbox',
        true,
      ),
    });
    try {
      const apiRes = await request(`${down.url}/api/providers`, { headers: { authorization: `Bearer ${down.token}` } });
      expect(apiRes.status).toBe(502);
      expect(JSON.parse(apiRes.body)).toMatchObject({ status: 502, title: 'The API cannot be reached' });
      expect(connects).toBe(2);
      const page = await request(`${down.url}/`, { headers: { authorization: `Bearer ${down.token}`, accept: 'text/html' } });
      expect(page.status).toBe(502);
      expect(page.body).toContain('The API cannot be reached');
    } finally {
      await down.close();
    }
  });

  it('serves its script, stylesheet and icon from the package, revalidated by ETag, under a strict CSP', async () => {
    const css = await request(`${console_.url}/assets/console.css`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await request(`${console_.url}/assets/console.css`, { headers: { 'if-none-match': String(css.headers.etag) } })).status).toBe(
      304,
    );
    expect((await request(`${console_.url}/assets/console.js`)).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await request(`${console_.url}/assets/favicon.svg`)).status).toBe(200);
    expect((await request(`${console_.url}/assets/../server.ts`, { headers: auth })).status).toBe(404);
    const page = await request(`${console_.url}/`, { headers: auth });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/<script>|style="|https?:\/\/(?!127\.0\.0\.1)[a-z]/);
  });

  it('renders unknown pages and provisions as problem pages with their status', async () => {
    const missing = await request(`${console_.url}/nowhere`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('no page at /nowhere');
    const unknown = await request(`${console_.url}/provisions/p-000000000000`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('https://edge-provisioner.dev/problems/not-found');
    expect((await request(`${console_.url}/provisions/new`, { method: 'PUT', headers: auth })).status).toBe(405);
  });

  it('creates once per form however often it is sent, and redirects to the provision page', async () => {
    const form = new URLSearchParams({ action: 'create', descriptor: SIM_EDGE, nonce: 'n0nce-0123456789abcdef' }).toString();
    const headers = { ...auth, 'content-type': 'application/x-www-form-urlencoded', origin: console_.url };
    const first = await request(`${console_.url}/provisions/new`, { method: 'POST', headers, body: form });
    const second = await request(`${console_.url}/provisions/new`, { method: 'POST', headers, body: form });
    expect(first.status).toBe(303);
    expect(first.headers.location).toMatch(/^\/provisions\/p-[0-9a-f]{12}$/);
    expect(second.headers.location).toBe(first.headers.location);
    const id = String(first.headers.location).split('/').pop() ?? '';
    const all = await s.deps.store.list({ owner: 'local' });
    expect(all.items.filter((p) => p.name === 'edge').map((p) => p.id)).toEqual([id]);
    await until(
      async () => (await s.deps.store.get(id))?.state,
      (st) => st === 'RUNNING',
    );
  });

  it('shows bad input lines as located problems and keeps what was typed', async () => {
    const res = await request(`${console_.url}/provisions/new`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'plan', descriptor: SIM_EDGE, inputs: 'GOOD=1\nnot a pair' }).toString(),
    });
    expect(res.status).toBe(422);
    expect(res.body).toContain('line 2: expected NAME=VALUE, found &#39;not a pair&#39;');
    expect(res.body).toContain('GOOD=1\nnot a pair</textarea');
  });

  it('streams a provision’s progress as server-sent events, resuming after the last event id', async () => {
    const form = new URLSearchParams({ action: 'create', descriptor: SIM_LIVE }).toString();
    const created = await request(`${console_.url}/provisions/new`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const id = String(created.headers.location).split('/').pop() ?? '';
    const read = async (headers: Record<string, string>, until: (text: string) => boolean): Promise<string> => {
      const ac = new AbortController();
      const res = await fetch(`${console_.url}/provisions/${id}/live?after=0`, { headers: { ...auth, ...headers }, signal: ac.signal });
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const deadline = Date.now() + 30_000;
      while (!until(text) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString();
      }
      ac.abort();
      return text;
    };
    const text = await read({}, (t) => t.includes('Provision Running') && /"state":"RUNNING"/.test(t));
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(text).toMatch(/event: update\ndata: \{"sections":\{[^\n]*"hosts"/);
    expect(text).toContain('live-host1 is RUNNING');

    const resumed = await read({ 'last-event-id': String(ids[0]) }, (t) => t.includes('Provision Running'));
    const resumedSeqs = [...resumed.matchAll(/data-seq=\\"(\d+)\\"/g)].map((m) => Number(m[1]));
    expect(Math.min(...resumedSeqs)).toBe((ids[0] ?? 0) + 1);
  });

  it('shows the failure record of a failed provision, retries it, and shows a refused retry as the API answered it', async () => {
    const plan = withPrefix(simEdgePlan(), 'fail');
    s.cloud.injectFault(plan.hosts[0]?.name ?? '', 'quota');
    let id = '';
    try {
      const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'local', plan });
      id = p.id;
      await s.runner.wait(p.executionId ?? '');
    } finally {
      s.cloud.clearFaults();
    }
    const failed = await request(`${console_.url}/provisions/${id}`, { headers: auth });
    expect(failed.body).toContain('<h2>Failure record</h2>');
    expect(failed.body).toMatch(
      /edge-host0 <span class="fail-step">failed in <strong>allocate<\/strong><\/span\s*>: <code>ProviderQuotaError<\/code> — host quota/,
    );
    expect(failed.body).toContain(`action="/provisions/${id}/retry"`);

    const retried = await request(`${console_.url}/provisions/${id}/retry`, { method: 'POST', headers: { ...auth, origin: console_.url } });
    expect(retried.status).toBe(303);
    expect(retried.headers.location).toBe(`/provisions/${id}?notice=retrying`);
    expect((await request(`${console_.url}${retried.headers.location}`, { headers: auth })).body).toContain('Retry started');
    await until(
      async () => (await s.deps.store.get(id))?.state,
      (st) => st === 'RUNNING',
    );

    const refused = await request(`${console_.url}/provisions/${id}/retry`, { method: 'POST', headers: { ...auth, origin: console_.url } });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('class="problem"');
    expect(refused.body).not.toContain('<h2>Failure record</h2>');
  });
  it('starts day-2 operations from the provision page and shows a refusal as the API answered it', async () => {
    const p = await createProvision(s.deps, { id: newProvisionId(), owner: 'local', plan: withPrefix(simEdgePlan(), 'day2') });
    await s.runner.wait(p.executionId ?? '');
    const id = p.id;
    const post = (body: Record<string, string>) =>
      request(`${console_.url}/provisions/${id}/operate`, {
        method: 'POST',
        headers: { ...auth, origin: console_.url, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const page = await request(`${console_.url}/provisions/${id}`, { headers: auth });
    expect(page.body).toContain('<h2 id="day2-h">Day-2 operations</h2>');
    for (const op of ['scale-out', 'scale-in', 'host-action', 'ip-add', 'ip-remove', 'configure']) {
      expect(page.body).toContain(`<input type="hidden" name="op" value="${op}" />`);
    }
    expect(page.body).toContain(`action="/provisions/${id}/operate"`);
    expect(page.body).toContain('<option value="day2-edge-host1">day2-edge-host1 (RUNNING)</option>');

    // A scale-in of a host running a VM: the page shows the 409 naming it, and nothing starts.
    const host1 = (await s.deps.store.get(id))!.hosts[1]!;
    s.memoryOne.vms.push({ id: 41, name: 'cache', hostId: host1.oneId, state: 3, lcmState: 3 });
    try {
      const refused = await post({ op: 'scale-in', host: 'day2-edge-host1' });
      expect(refused.status).toBe(409);
      expect(refused.body).toContain('class="problem"');
      expect(refused.body).toContain('41 (cache)');
    } finally {
      s.memoryOne.vms.pop();
    }
    const invalid = await post({ op: 'ip-add', count: '0' });
    expect([invalid.status, invalid.body.includes('count')]).toEqual([422, true]);
    expect((await post({ op: 'explode' })).status).toBe(400);
    expect((await s.deps.store.get(id))?.operation).toBeUndefined();

    // A hard reboot runs to its end; the page says it started, then lists it among the operations.
    const rebooted = await post({ op: 'host-action', host: 'day2-edge-host0', action: 'reboot', hard: 'true', force: 'true' });
    expect([rebooted.status, rebooted.headers.location]).toEqual([303, `/provisions/${id}?notice=operating`]);
    expect((await request(`${console_.url}${rebooted.headers.location}`, { headers: auth })).body).toContain('Operation started');
    await until(
      async () => s.deps.store.get(id),
      (q) => q?.operation === undefined && q?.state === 'RUNNING',
    );
    const after = await request(`${console_.url}/provisions/${id}`, { headers: auth });
    expect(after.body).toContain('reboot --hard day2-edge-host0');
  });
});
