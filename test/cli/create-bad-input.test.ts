import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { startLocalApi, type LocalApiServer } from '../../sandbox/http-server';
import { startMemorySandbox } from '../support/memory-sandbox';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

function capture(env: NodeJS.ProcessEnv, cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (t) => stdout.push(t), err: (t) => stderr.push(t), cwd, env, stdout, stderr };
}

describe('edgectl create with bad input', () => {
  let s: S;
  let api: LocalApiServer;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    s = await startMemorySandbox();
    api = await startLocalApi({ token: 'tok' });
    dir = mkdtempSync(join(tmpdir(), 'edgectl-bad-'));
    env = { EDGE_ENDPOINT: api.url, EDGE_TOKEN: 'tok', EDGE_HOME: join(dir, 'home') };
  });
  afterAll(async () => {
    await api.close();
    await s.close();
  });

  async function expectRefused(file: string, pattern: RegExp) {
    const io = capture(env, dir);
    const code = await main(['create', file], io);
    expect(code).not.toBe(0);
    expect(io.stdout).toEqual([]);
    const lines = io.stderr.join('\n').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(lines[0]).not.toMatch(/\n\s+at /);
    const list = capture(env, dir);
    expect(await main(['list', '--json'], list)).toBe(0);
    expect(JSON.parse(list.stdout.join(''))).toEqual([]);
  }

  it('names the file when it does not exist, and creates nothing', async () => {
    await expectRefused('missing.yml', /missing\.yml/);
  });

  it('names file, line and column when the YAML is invalid, and creates nothing', async () => {
    writeFileSync(join(dir, 'broken.yml'), 'name: x\nhosts: [\n  - im_mad: kvm\n');
    await expectRefused('broken.yml', /broken\.yml:\d+:\d+/);
  });

  it('names file, line and column of a byte that is not UTF-8, and creates nothing', async () => {
    const text = Buffer.from("name: 'edge'\ndescription: 'caf\u00e9 ");
    writeFileSync(join(dir, 'latin1.yml'), Buffer.concat([text, Buffer.from([0xe9, 0x27, 0x0a])]));
    await expectRefused('latin1.yml', /latin1\.yml:2:20: .*not valid UTF-8: byte 33 \(line 2, column 20\)/);
  });

  it('answers 400 to a request body that is not UTF-8, over HTTP', async () => {
    const body = Buffer.concat([Buffer.from('{"descriptor":"name: x\\n# '), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    const res = await fetch(`${api.url}/validate`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      'the body is not valid UTF-8: byte 26 (line 1, column 27) starts an invalid byte sequence',
    );
  });

  it('says the provider is unknown, and creates nothing', async () => {
    writeFileSync(
      join(dir, 'unknown.yml'),
      "name: x\ndefaults:\n  provision:\n    provider_name: 'nimbus'\nhosts:\n  - im_mad: kvm\n    vm_mad: kvm\n    provision:\n      hostname: h1\n",
    );
    await expectRefused('unknown.yml', /unknown\.yml:\d+:\d+: .*nimbus/);
  });

  it('never sends inline provider credentials to another endpoint', async () => {
    const file = join(__dirname, '..', 'fixtures', 'oneprovision-examples', 'one-5.12', 'examples', 'example_ec2.yaml');
    await expectRefused(file, /inline provider credentials are never sent/);
  });
});
