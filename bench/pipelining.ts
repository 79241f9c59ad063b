import { randomBytes } from 'node:crypto';
import { createProvision, newProvisionId } from '../lambdas/provisioning/commands';
import { ProvisionPlanSchema, type ProvisionPlan } from '../lambdas/provisioning/plan';
import type { Provision } from '../lambdas/provisioning/model';
import { startSandboxWithApi } from '../sandbox/daemon';

/** One measured provision: wall times from its own events and host timings. */
export interface PipelineMeasure {
  hosts: number;
  makespanMs: number;
  criticalPathMs: number;
  ratio: number;
  transitions: number;
  cpuMsPerTransition: number;
}

/** A sim plan of N hosts and the demo's 3 networks (one public IP per host). */
export function simPlan(hosts: number, name = 'bench'): ProvisionPlan {
  return ProvisionPlanSchema.parse({
    name,
    provider: { name: 'sim', settings: {} },
    cluster: { name },
    hosts: Array.from({ length: hosts }, (_, index) => ({ index, name: `${name}-host${index}` })),
    datastores: [
      { name: `${name}-image`, type: 'image_ds', attributes: { DS_MAD: 'fs', TM_MAD: 'ssh' } },
      { name: `${name}-system`, type: 'system_ds', attributes: { TM_MAD: 'ssh' } },
    ],
    networks: [
      { name: `${name}-public`, role: 'public', vnMad: 'elastic', attributes: { BRIDGE: 'br0' }, publicIps: hosts },
      {
        name: `${name}-private`,
        role: 'private',
        vnMad: 'vxlan',
        attributes: { PHYDEV: '${updates.default_ipv4_nic}', VLAN_ID: '4242' },
        addressRanges: [{ ip: '172.16.0.2', size: 250 }],
      },
      { name: `${name}-mgmt`, vnMad: 'bridge', attributes: { BRIDGE: 'br-mgmt' }, addressRanges: [{ ip: '192.168.150.2', size: 100 }] },
    ],
    maxConcurrency: 40,
  });
}

const t = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);

/**
 * Critical path of a provision from its own record: the shared setup before
 * the first host starts, the slowest host's own pipeline (allocate start →
 * register end), and the shared tail after the last host (overlay
 * convergence, finalize).
 */
export function criticalPath(p: Provision, runningAt: number): { makespanMs: number; criticalPathMs: number } {
  const requested = t(p.createdAt);
  const starts = p.hosts.map((h) => t(h.timings?.['allocate']?.start));
  const ends = p.hosts.map((h) => t(h.timings?.['register']?.end));
  const slowest = Math.max(...p.hosts.map((_, i) => (ends[i] as number) - (starts[i] as number)));
  const setup = Math.min(...starts) - requested;
  const tail = runningAt - Math.max(...ends);
  return { makespanMs: runningAt - requested, criticalPathMs: setup + slowest + tail };
}

/** Runs one provision of `hosts` hosts in a fresh full sandbox and measures it. */
export async function measurePipeline(hosts: number, timeScale: number): Promise<PipelineMeasure> {
  const stack = await startSandboxWithApi({ token: randomBytes(8).toString('hex'), timeScale, seed: 7 });
  try {
    const deps = stack.sandbox.deps;
    const cpu0 = process.cpuUsage();
    const p = await createProvision(deps, { id: newProvisionId(), owner: 'bench', plan: simPlan(hosts) });
    const exec = await stack.sandbox.runner.wait(p.executionId ?? '');
    const cpu = process.cpuUsage(cpu0);
    const done = await deps.store.get(p.id);
    if (!done || done.state !== 'RUNNING' || !exec) throw new Error(`bench provision ended ${done?.state}: ${exec?.cause ?? ''}`);
    const running = stack.sandbox.bus.events.find((e) => e['detail-type'] === 'Provision Running' && e.detail['provisionId'] === p.id);
    const { makespanMs, criticalPathMs } = criticalPath(done, t(running?.time));
    return {
      hosts,
      makespanMs,
      criticalPathMs,
      ratio: makespanMs / criticalPathMs,
      transitions: exec.transitions,
      cpuMsPerTransition: (cpu.user + cpu.system) / 1000 / Math.max(1, exec.transitions),
    };
  } finally {
    await stack.close();
  }
}
