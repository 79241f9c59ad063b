import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OsName } from './os-release';
import { createShimBin } from './shim-bin';
import { OS_RELEASES } from './os-release';
import { startSimHost, type SimHost, type SimHostDisk, type SimHostFaults, type SimHostLatency } from './sim-host';

/** Where the configurator reaches a simulated machine. */
export interface SimHostEndpoint {
  address: string;
  port: number;
  hostKey: string;
}

/** Starts and stops one simulated host per machine the sim provider allocates. */
export interface SimHostFleet {
  /**
   * Starts the host for `providerId` (idempotent: a second call returns the
   * running one); `underlayIp` is the private address the provider gave it,
   * `location` where it runs.
   */
  start(providerId: string, name: string, underlayIp?: string, location?: string): Promise<SimHostEndpoint>;
  /** Stops it and deletes its root, or keeps root and host key for the next start (`keepDisk`: a power-off); unknown ids succeed. */
  stop(providerId: string, options?: { keepDisk?: boolean }): Promise<void>;
}

/** Settings of {@link createSimHostFleet}. */
export interface SimHostFleetOptions {
  /** Public key of the configurator's private key. */
  authorizedKey: string;
  os?: OsName;
  /** Faults per host name (e.g. from the sim provider's fault injection). */
  faultsFor?: (name: string) => SimHostFaults | undefined;
  /** Calibrated latencies per host (round trips to its location, role work). */
  latencyFor?: (name: string, location?: string) => SimHostLatency | undefined;
}

/** A {@link SimHostFleet} that can also list and stop everything (tests, sandbox shutdown). */
export interface LocalSimHostFleet extends SimHostFleet {
  get(providerId: string): SimHost | undefined;
  stopAll(): Promise<void>;
}

/** Simulated hosts on loopback, each with its own underlay address in 10.0.0.0/16. */
export function createSimHostFleet(options: SimHostFleetOptions): LocalSimHostFleet {
  const starting = new Map<string, Promise<SimHost>>();
  const running = new Map<string, SimHost>();
  /** Disks of powered-off hosts, booted from again on their next start. */
  const disks = new Map<string, SimHostDisk>();
  let counter = 0;
  // One stand-in directory for every host: the hosts differ by their roots, not their commands.
  let binBase: string | undefined;
  let bin: string | undefined;
  const binDir = () => {
    if (!bin) {
      binBase = mkdtempSync(join(tmpdir(), 'edge-sim-bin-'));
      bin = createShimBin(join(binBase, 'bin'));
    }
    return bin;
  };
  return {
    async start(providerId, name, underlayIp, location) {
      let host = starting.get(providerId);
      if (!host) {
        counter += 1;
        host = startSimHost({
          name,
          authorizedKey: options.authorizedKey,
          osRelease: OS_RELEASES[options.os ?? 'ubuntu-24.04'],
          address: underlayIp ? `${underlayIp}/16` : `10.0.${Math.floor((10 + counter) / 250)}.${(10 + counter) % 250}/16`,
          faults: options.faultsFor?.(name),
          disk: disks.get(providerId),
          latency: options.latencyFor?.(name, location),
          binDir: binDir(),
        });
        disks.delete(providerId);
        starting.set(providerId, host);
        host.catch(() => starting.delete(providerId));
      }
      const started = await host;
      running.set(providerId, started);
      return { address: started.address, port: started.port, hostKey: started.hostKey };
    },
    async stop(providerId, stopping = {}) {
      const host = starting.get(providerId);
      starting.delete(providerId);
      running.delete(providerId);
      if (host) {
        const stopped = await host;
        await stopped.close({ keepDisk: stopping.keepDisk });
        if (stopping.keepDisk) disks.set(providerId, stopped.disk);
      } else if (!stopping.keepDisk) {
        const disk = disks.get(providerId);
        disks.delete(providerId);
        if (disk) await rm(disk.base, { recursive: true, force: true });
      }
    },
    get: (providerId) => running.get(providerId),
    async stopAll() {
      await Promise.all([...new Set([...starting.keys(), ...disks.keys()])].map((id) => this.stop(id)));
      if (binBase) await rm(binBase, { recursive: true, force: true });
      binBase = undefined;
      bin = undefined;
    },
  };
}
