import { NodeSSH } from 'node-ssh';
import { startSimHost, type SimHost } from '../../sandbox/hosts/sim-host';
import { clientKey } from './helpers';

describe('simulated host with calibrated latencies', () => {
  let host: SimHost;
  const served: string[] = [];
  beforeAll(async () => {
    host = await startSimHost({
      name: 'lat-1',
      authorizedKey: clientKey.public,
      latency: {
        handshakeMs: () => 0,
        commandMs: () => 0,
        roleMs: (role) => {
          served.push(role);
          return 600;
        },
      },
    });
  });
  afterAll(() => host.close());

  async function timed(script: string): Promise<number> {
    const ssh = await new NodeSSH().connect({ host: host.address, port: host.port, username: 'root', privateKey: clientKey.private });
    try {
      const started = Date.now();
      const result = await ssh.execCommand('bash -s', { stdin: script });
      expect(result.code).toBe(0);
      return Date.now() - started;
    } finally {
      const closed = new Promise<void>((resolve) => ssh.connection?.once('close', () => resolve()));
      ssh.dispose();
      await closed;
    }
  }

  it('holds a role that changed the host back for its modelled work time', async () => {
    expect(await timed("export EDGE_ROLE='facts'\necho 'EDGE_RESULT changed'\n")).toBeGreaterThanOrEqual(600);
    expect(served).toEqual(['facts']);
  });

  it('answers at once for a role that changed nothing, and for commands that are no role', async () => {
    expect(await timed("export EDGE_ROLE='facts'\necho 'EDGE_RESULT unchanged'\n")).toBeLessThan(600);
    expect(await timed('echo plain\n')).toBeLessThan(600);
    expect(served).toEqual(['facts']);
  });
});
