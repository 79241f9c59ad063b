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
   * `location` where it runs; `port` the one it listened on before a
   * restart, kept when free.
   */
  start(providerId: string, name: string, underlayIp?: string, location?: string, port?: number): Promise<SimHostEndpoint>;
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
  /**
   * Directory the hosts live in (`<home>/<providerId>`), so a restarted
   * sandbox brings them back with their roots, keys and ports. Without it
   * they live in temporary directories and end with the process.
   */
  home?: string;
  /** Calibrated latencies per host (round trips to its location, role work). */
  latencyFor?: (name: string, location?: string) => SimHostLatency | undefined;
}

/** A {@link SimHostFleet} that can also list, fault and stop everything (tests, sandbox shutdown). */
export interface LocalSimHostFleet extends SimHostFleet {
  get(providerId: string): SimHost | undefined;
  /** Sets the faults of the host named `name`, running or still to start (`undefined` heals it). */
  setFaults(name: string, faults: SimHostFaults | undefined): void;
  /** Stops every host; with a home, their state stays for the next start (a sandbox stop, not a teardown). */
  stopAll(): Promise<void>;
}

/** Simulated hosts on loopback, each with its own underlay address in 10.0.0.0/16. */
export function createSimHostFleet(options: SimHostFleetOptions): LocalSimHostFleet {
  const starting = new Map<string, Promise<SimHost>>();
  const running = new Map<string, SimHost>();
  const faults = new Map<string, SimHostFaults>();
  const faultsOf = (name: string): SimHostFaults | undefined => faults.get(name) ?? options.faultsFor?.(name);
  /** Disks of powered-off hosts, booted from again on their next start. */
  const disks = new Map<string, SimHostDisk>();
  let counter = 0;
  const close = async (providerId: string, closing: { keep?: boolean; keepDisk?: boolean }) => {
    const host = starting.get(providerId);
    starting.delete(providerId);
    running.delete(providerId);
    if (host) await (await host).close(closing);
  };
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
    async start(providerId, name, underlayIp, location, port) {
      let host = starting.get(providerId);
      if (!host) {
        counter += 1;
        host = startSimHost({
          name,
          authorizedKey: options.authorizedKey,
          osRelease: OS_RELEASES[options.os ?? 'ubuntu-24.04'],
          address: underlayIp ? `${underlayIp}/16` : `10.0.${Math.floor((10 + counter) / 250)}.${(10 + counter) % 250}/16`,
          faults: faultsOf(name),
          disk: disks.get(providerId),
          latency: options.latencyFor?.(name, location),
          binDir: binDir(),
          ...(options.home ? { home: join(options.home, providerId) } : {}),
          ...(port !== undefined ? { port } : {}),
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
      if (host) {
        const stopped = await host;
        await close(providerId, { keepDisk: stopping.keepDisk });
        if (stopping.keepDisk) disks.set(providerId, stopped.disk);
      } else if (!stopping.keepDisk) {
        const disk = disks.get(providerId);
        disks.delete(providerId);
        // A host powered off before the sandbox restarted has its disk in its home, not in `disks`.
        const base = disk?.base ?? (options.home ? join(options.home, providerId) : undefined);
        if (base) await rm(base, { recursive: true, force: true });
      }
    },
    get: (providerId) => running.get(providerId),
    setFaults(name, next) {
      if (next) faults.set(name, next);
      else faults.delete(name);
      for (const host of running.values()) if (host.name === name) host.setFaults(next ?? {});
    },
    async stopAll() {
      await Promise.all([...starting.keys()].map((id) => close(id, { keep: true })));
      // Powered-off disks stay in the home for the next start; without one they end with the fleet.
      if (!options.home) await Promise.all([...disks.values()].map((disk) => rm(disk.base, { recursive: true, force: true })));
      disks.clear();
      if (binBase) await rm(binBase, { recursive: true, force: true });
      binBase = undefined;
      bin = undefined;
    },
  };
}
