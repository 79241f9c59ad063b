import { spawn, spawnSync } from 'node:child_process';
import type { SimOned } from '../../sandbox/oned';
import { startFastSim } from './helpers';

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) process.stderr.write('python-client test skipped: python3 is not installed\n');

/*
 * Python's standard xmlrpc.client, a client that is not ours, drives the
 * simulated oned: the wire format must be plain XML-RPC any client reads.
 */
const SCRIPT = `
import json, sys, xmlrpc.client
one = xmlrpc.client.ServerProxy(sys.argv[1])
s = "oneadmin:opennebula"
out = {}
out["version"] = one.one.system.version(s)
out["allocate"] = one.one.cluster.allocate(s, "py-edge")
out["duplicate"] = one.one.cluster.allocate(s, "py-edge")
out["info_ok"] = one.one.cluster.info(s, 100)[0]
out["info_body_start"] = one.one.cluster.info(s, 100)[1][:35]
out["bad_password"] = one.one.clusterpool.info("oneadmin:x")
try:
    one.one.no.such.method(s)
except xmlrpc.client.Fault as f:
    out["fault"] = [f.faultCode, f.faultString]
print(json.dumps(out))
`;

(python ? describe : describe.skip)('simulated oned driven by Python xmlrpc.client', () => {
  let sim: SimOned;
  beforeAll(async () => {
    sim = await startFastSim();
  });
  afterAll(() => sim.close());

  it('gets oned arrays, with the trailing i8, and faults', async () => {
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('python3', ['-c', SCRIPT, sim.url]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      version: [true, '7.4.0', 0],
      allocate: [true, 100, 0],
      duplicate: [false, '[one.cluster.allocate] Error allocating a new cluster. NAME is already taken by CLUSTER 100.', 16384, -1, -1],
      info_ok: true,
      info_body_start: '<CLUSTER><ID>100</ID><NAME>py-edge<',
      bad_password: [false, "[one.clusterpool.info] User couldn't be authenticated, aborting call.", 256, -1, -1],
      fault: [-506, "Method 'one.no.such.method' not defined"],
    });
  });
});
