import { spawnHostProcess, type HostProcess } from '../../sandbox/hosts/process-spawner';

function outcome(p: HostProcess): Promise<{ out: string; err: string; code: number | null; signal: string | null }> {
  let out = '';
  let err = '';
  p.stdout.on('data', (c) => (out += c.toString()));
  p.stderr.on('data', (c) => (err += c.toString()));
  return new Promise((resolve) => p.on('close', (code, signal) => resolve({ out, err, code, signal })));
}

describe('spawnHostProcess', () => {
  it('relays stdin, stdout, stderr and the exit code of a host process', async () => {
    const p = spawnHostProcess('/bin/bash', ['-c', 'read line; echo "got $line in $PWD"; echo oops >&2; exit 3'], {
      cwd: '/tmp',
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp' },
    });
    const done = outcome(p);
    p.stdin.write(Buffer.from('hello\n'));
    p.stdin.end();
    await expect(done).resolves.toEqual({ out: 'got hello in /tmp\n', err: 'oops\n', code: 3, signal: null });
  });

  it('kills the whole process group of a host process', async () => {
    const p = spawnHostProcess('/bin/bash', ['-c', 'sleep 30 & sleep 30; echo never'], {
      cwd: '/tmp',
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp' },
    });
    const done = outcome(p);
    setTimeout(() => p.killGroup(), 100);
    await expect(done).resolves.toMatchObject({ out: '', signal: 'SIGKILL' });
  });

  it('reports exit code 127 for a program that does not exist', async () => {
    const p = spawnHostProcess('/nonexistent/bash', [], { cwd: '/tmp', env: {} });
    await expect(outcome(p)).resolves.toMatchObject({ code: 127 });
  });
});
