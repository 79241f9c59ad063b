import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../cli/api-client';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';
import { loadDescriptorFile, MemorySecretStore } from '../../lambdas/descriptor';
import { startSandboxWithApi } from '../../sandbox/daemon';
import { chooseFrontend, connectedOpenNebula, FRONTEND_SECRET, sandboxSecrets } from '../../sandbox/frontend';
import { startSimOned, type SimOned } from '../../sandbox/oned';
import { until } from '../support/until';

/** An operator's own front-end, played by a separate oned with its own credentials. */
async function operatorFrontend(): Promise<SimOned> {
  return startSimOned({ password: 'frontend-secret', vnetReadyDelayMs: 20, hostMonitorDelayMs: 50, vmTerminateDelayMs: 20 });
}

describe('choosing the front-end of the local sandbox', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'edge-frontend-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it('takes EDGE_OPENNEBULA_URL and EDGE_OPENNEBULA_SESSION over a connected front-end, and the simulated oned when neither is set', async () => {
    expect(await chooseFrontend({}, home)).toEqual({ kind: 'simulated' });
    await sandboxSecrets(home).put(FRONTEND_SECRET, { endpoint: 'http://stored:2633/RPC2', session: 'oneadmin:s1' });
    expect(await chooseFrontend({}, home)).toMatchObject({ kind: 'connected', endpoint: 'http://stored:2633/RPC2', source: 'connect' });
    const env = { EDGE_OPENNEBULA_URL: 'https://env:2633/RPC2', EDGE_OPENNEBULA_SESSION: 'admin:pa:ss' };
    expect(await chooseFrontend(env, home)).toEqual({
      kind: 'connected',
      endpoint: 'https://env:2633/RPC2',
      user: 'admin',
      password: 'pa:ss',
      source: 'environment',
    });
  });

  it('refuses a half-set environment and a malformed one instead of falling back to the simulation', async () => {
    await expect(chooseFrontend({ EDGE_OPENNEBULA_URL: 'http://x:2633/RPC2' }, home)).rejects.toThrow(
      'set both EDGE_OPENNEBULA_URL and EDGE_OPENNEBULA_SESSION, or neither',
    );
    await expect(chooseFrontend({ EDGE_OPENNEBULA_URL: 'ftp://x', EDGE_OPENNEBULA_SESSION: 'a:b' }, home)).rejects.toThrow(
      "EDGE_OPENNEBULA_URL: 'ftp://x' is not an http(s) URL",
    );
    await expect(chooseFrontend({ EDGE_OPENNEBULA_URL: 'http://x:2633', EDGE_OPENNEBULA_SESSION: 'nopassword' }, home)).rejects.toThrow(
      "EDGE_OPENNEBULA_SESSION: expected a session 'user:password'",
    );
  });
});

describe('local mode against an operator front-end', () => {
  let frontend: SimOned;
  let stack: Awaited<ReturnType<typeof startSandboxWithApi>>;
  let api: ApiClient;

  beforeAll(async () => {
    frontend = await operatorFrontend();
    const chosen = await chooseFrontend(
      { EDGE_OPENNEBULA_URL: frontend.url, EDGE_OPENNEBULA_SESSION: 'oneadmin:frontend-secret' },
      undefined,
    );
    if (chosen.kind !== 'connected') throw new Error('expected a connected front-end');
    const token = randomBytes(8).toString('hex');
    stack = await startSandboxWithApi({ token, openNebula: connectedOpenNebula(chosen) });
    api = ApiClient.withToken(stack.api.url, token);
  });
  afterAll(async () => {
    await stack.close();
    await frontend.close();
  });

  it('registers the example edge into that front-end, never starting the simulated oned, and deletes it from there', async () => {
    expect(stack.sandbox.oned).toBeUndefined();
    expect(stack.sandbox.frontend).toMatchObject({ simulated: false, source: 'environment', user: 'oneadmin' });
    const loaded = await loadDescriptorFile('examples/sim-edge.yml', { secretStore: new MemorySecretStore() });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const created = await api.createProvision(loaded.plan);
    const running = await until(
      () => api.getProvision(created.id),
      (p) => ['RUNNING', 'DEGRADED', 'ERROR'].includes(p.state),
      120_000,
    );
    expect(running.state).toBe('RUNNING');
    const registered = frontend.snapshot();
    const byName = (a: [string, number], b: [string, number]) => a[0].localeCompare(b[0]);
    expect(registered.hosts.map((h): [string, number] => [h.name, h.state]).sort(byName)).toEqual(
      running.hosts.map((h): [string, number] => [String(h.privateIp), 2]).sort(byName),
    );
    expect(registered.vnets.map((v) => v.name).sort()).toEqual(['sim-edge-mgmt', 'sim-edge-private', 'sim-edge-public']);

    await api.deleteProvision(created.id, true);
    const deleted = await until(
      () => api.getProvision(created.id),
      (p) => ['DELETED', 'ERROR'].includes(p.state),
      120_000,
    );
    expect(deleted.state).toBe('DELETED');
    const left = frontend.snapshot();
    expect([left.hosts, left.vnets, left.vnTemplates, left.images].flat()).toEqual([]);
    expect(left.clusters.map((c) => c.id)).toEqual([0]);
  });
});

describe('edgectl opennebula', () => {
  let frontend: SimOned;
  let dir: string;
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: dir, env: { EDGE_HOME: join(dir, '.edge') } };
    return { code: await main(args, io), out, err };
  };

  beforeAll(async () => {
    frontend = await operatorFrontend();
  });
  afterAll(async () => {
    await frontend.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'edgectl-one-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects after checking the front-end, keeps the session only in the secret store, shows and disconnects', async () => {
    writeFileSync(join(dir, 'one_auth'), 'oneadmin:frontend-secret\n');
    const connected = await run(['opennebula', 'connect', '--endpoint', frontend.url, '--session-file', 'one_auth']);
    expect(connected.err).toEqual([]);
    expect(connected.code).toBe(0);
    expect(connected.out[0]).toBe(`connected: OpenNebula 7.4.0 at ${frontend.url} as oneadmin; new provisions register there`);
    const secrets = join(dir, '.edge', 'secrets.json');
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(secrets, 'utf8'))[FRONTEND_SECRET]).toEqual({
      endpoint: frontend.url,
      session: 'oneadmin:frontend-secret',
    });

    const shown = await run(['opennebula', 'show']);
    expect(shown.out).toEqual([
      `front-end: ${frontend.url} as oneadmin (set by edgectl opennebula connect)`,
      'reachable: OpenNebula 7.4.0',
    ]);
    expect(shown.out.join('\n')).not.toContain('frontend-secret');

    const gone = await run(['opennebula', 'disconnect']);
    expect(gone.out).toEqual([`disconnected from ${frontend.url}; new provisions register into the simulated oned`]);
    expect((await run(['opennebula', 'show'])).out[0]).toMatch(/^front-end: the simulated oned/);
  });

  it('stores nothing when the front-end refuses the session or the session file is malformed', async () => {
    writeFileSync(join(dir, 'wrong'), 'oneadmin:not-the-password');
    const refused = await run(['opennebula', 'connect', '--endpoint', frontend.url, '--session-file', 'wrong']);
    expect(refused.code).toBe(1);
    expect(refused.err).toEqual([
      `edgectl: cannot use ${frontend.url}: [one.system.version] User couldn't be authenticated, aborting call. (OneAuthenticationError); nothing was changed`,
    ]);
    writeFileSync(join(dir, 'bare'), 'just-a-password');
    const malformed = await run(['opennebula', 'connect', '--endpoint', frontend.url, '--session-file', 'bare']);
    expect(malformed.code).toBe(1);
    expect(malformed.err[0]).toContain("expected a session 'user:password'");
    const plain = await run([
      'opennebula',
      'connect',
      '--endpoint',
      frontend.url.replace('http://', 'https://'),
      '--session-file',
      'wrong',
    ]);
    expect(plain.err[0]).toMatch(/does not speak TLS .*use an http:\/\/ endpoint \(OneTlsError\); nothing was changed$/);
    expect(await chooseFrontend({}, join(dir, '.edge'))).toEqual({ kind: 'simulated' });
  });

  it('is a command of the local sandbox only', async () => {
    const remote = await run(['--endpoint', 'https://api.example.com', 'opennebula', 'show']);
    expect(remote.code).toBe(2);
    expect(remote.err[0]).toMatch(
      /chooses the front-end of the local sandbox; a deployed API registers into the front-end its ONE_SECRET_ARN secret names/,
    );
  });
});
