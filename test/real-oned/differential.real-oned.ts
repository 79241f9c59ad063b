import { startSimOned, type SimOned } from '../../sandbox/oned';
import { compare, runScenario } from './differential';
import { realOnedAvailable, startRealOned, type RealOned } from './real-oned';
import { SCENARIO } from './scenario';

const available = realOnedAvailable();
if (!available.ok) console.warn(`[real-oned] SKIPPED the differential run against OpenNebula's oned: ${available.why}`);
const suite = available.ok ? describe : describe.skip;

suite('simulated oned against OpenNebula 7.5 (the same calls on both)', () => {
  let real: RealOned | undefined;
  let sim: SimOned;

  beforeAll(async () => {
    real = await startRealOned();
    // Delays of the order of the real oned's, so the same polls see the same states.
    sim = await startSimOned({
      vnetReadyDelayMs: 300,
      hostMonitorDelayMs: 1000,
      vmTerminateDelayMs: 300,
      vmDeployDelayMs: 300,
      imageDelayMs: 300,
    });
  });
  afterAll(async () => {
    await sim?.close();
    await real?.stop();
  });

  it('answers every call of an edge-cluster scenario with the same codes, messages and XML elements', async () => {
    if (!real) throw new Error('the real oned did not start');
    const [onReal, onSim] = await Promise.all([
      runScenario({ url: real.url, session: real.session }, SCENARIO),
      runScenario({ url: sim.url, session: 'oneadmin:opennebula' }, SCENARIO),
    ]);
    expect(compare(SCENARIO, onReal, onSim)).toEqual([]);
    // The scenario did reach the states it waits for, on both.
    for (const seen of [onReal, onSim]) {
      expect(seen.get('vm running')?.ok).toBe(true);
      expect(seen.get('host monitored')?.elements).toContain('HOST/HOST_SHARE/NUMA_NODES/NODE/CORE/CPUS');
      expect(seen.get('cluster delete')).toMatchObject({ ok: true });
    }
  });
});
