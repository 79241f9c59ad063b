import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { OpenNebulaClient } from '../../lambdas/opennebula/client';
import { OneTlsError } from '../../lambdas/opennebula/errors';
import type { SimOned } from '../../sandbox/oned';
import { startFastSim } from './helpers';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const describeTls = hasOpenssl() ? describe : describe.skip;
if (!hasOpenssl()) process.stderr.write('client-tls tests skipped: openssl is not installed\n');

/** A front-end with a self-signed certificate in front of the simulated oned, as a TLS proxy would be. */
describeTls('OpenNebulaClient over HTTPS', () => {
  let sim: SimOned;
  let proxy: https.Server;
  let endpoint: string;
  let cert: string;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'one-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    sim = await startFastSim();
    proxy = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      const upstream = http.request(sim.url, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    endpoint = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const client = (tls?: { ca?: string; insecure?: boolean }) =>
    new OpenNebulaClient({ endpoint, user: 'oneadmin', password: 'opennebula', timeoutMs: 5000, tls });

  it('trusts a front-end signed by the configured CA', async () => {
    const one = client({ ca: cert });
    await expect(one.system.version()).resolves.toBe('7.4.0');
    one.close();
  });

  it('refuses an untrusted certificate with OneTlsError', async () => {
    const one = client();
    const err = await one.system.version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OneTlsError);
    expect(err).toMatchObject({ retryable: false });
    one.close();
  });

  it('skips verification when insecure is set', async () => {
    const one = client({ insecure: true });
    await expect(one.system.version()).resolves.toBe('7.4.0');
    one.close();
  });
});

/** The TLS handshake needs no openssl binary: Node's own TLS client meets a plain-HTTP oned. */
describe('OpenNebulaClient with https:// to a plain-HTTP front-end', () => {
  let sim: SimOned;
  beforeAll(async () => {
    sim = await startFastSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('fails at once with OneTlsError naming the mismatch, not as an unreachable front-end to retry', async () => {
    const one = new OpenNebulaClient({
      endpoint: sim.url.replace('http://', 'https://'),
      user: 'oneadmin',
      password: 'opennebula',
      timeoutMs: 5000,
    });
    const err = await one.system.version().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OneTlsError);
    expect(err).toMatchObject({ retryable: false, name: 'OneTlsError' });
    expect((err as Error).message).toMatch(/does not speak TLS .*use an http:\/\/ endpoint/);
    one.close();
  });
});
