import { EDGE_SITES, HOME_SITE, LatencyLedger, LatencyModel, PACKET_2019, ROLE_WORK_MS } from '../../sandbox/latency-model';

describe('LatencyModel', () => {
  it('gives a host the same latencies for the same seed and others for another seed', () => {
    const a = new LatencyModel({ timeScale: 1, seed: 7 });
    const b = new LatencyModel({ timeScale: 1, seed: 7 });
    const c = new LatencyModel({ timeScale: 1, seed: 8 });
    expect(a.bootModelledMs('edge-nrt-host0', 'nrt')).toBe(b.bootModelledMs('edge-nrt-host0', 'nrt'));
    expect(a.bootModelledMs('edge-nrt-host0', 'nrt')).not.toBe(c.bootModelledMs('edge-nrt-host0', 'nrt'));
    expect(a.bootModelledMs('edge-nrt-host0', 'nrt')).not.toBe(a.bootModelledMs('edge-nrt-host1', 'nrt'));
  });

  it('keeps boots within the calibrated spread, slowed down in far sites', () => {
    const model = new LatencyModel({ timeScale: 1, seed: 3 });
    for (let i = 0; i < 50; i += 1) {
      const home = model.bootModelledMs(`h${i}`, 'fra');
      expect(home).toBeGreaterThanOrEqual(PACKET_2019.bootMs - PACKET_2019.bootJitterMs);
      expect(home).toBeLessThanOrEqual(PACKET_2019.bootMs + PACKET_2019.bootJitterMs);
      expect(model.bootModelledMs(`h${i}`, 'nrt')).toBeCloseTo(home * 1.6);
    }
  });

  it('places unknown locations in the home site and makes Tokyo the slowest site', () => {
    const model = new LatencyModel({ timeScale: 1 });
    expect(model.site('sim-fra-1')).toBe(HOME_SITE);
    const slowest = [...EDGE_SITES].sort((x, y) => y.slowdown - x.slowdown)[0];
    expect(slowest?.code).toBe('nrt');
  });

  it('scales what the sandbox waits and records what each wait stands for', () => {
    const ledger = new LatencyLedger();
    const model = new LatencyModel({ timeScale: 0.01, seed: 1, ledger });
    const ssh = model.sshHost('edge-syd-host0', 'syd');
    const real = ssh.roleMs('node-packages');
    const [wait] = ledger.waits;
    expect(wait).toMatchObject({ kind: 'role', key: 'edge-syd-host0' });
    expect(real).toBeCloseTo((wait?.modelledMs ?? 0) * 0.01);
    // Package downloads take the site's slowdown (Sydney 1.4) and ±15 % per host.
    const base = (ROLE_WORK_MS['node-packages'] ?? 0) * 1.4;
    expect(wait?.modelledMs).toBeGreaterThanOrEqual(base * 0.85);
    expect(wait?.modelledMs).toBeLessThanOrEqual(base * 1.15);
    expect(ssh.commandMs()).toBeCloseTo(340 * 0.01);
  });

  it('refuses a time scale that is not positive', () => {
    expect(() => new LatencyModel({ timeScale: 0 })).toThrow(/time scale must be positive/);
  });
});
