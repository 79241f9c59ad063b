import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { dispatch, resultArray, type Answer } from './dispatch';
import { OnedEngine } from './engine';
import { SimFaults, type FaultAction } from './faults';
import { failure } from './results';
import type { SimState } from './state';
import { FAULT, decodeCall, encodeArrayResponse, encodeFault } from './wire';

/** Settings of `startSimOned`; every one has a default. */
export interface SimOnedOptions {
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /** `oneadmin` by default. */
  user?: string;
  /** `opennebula` by default. */
  password?: string;
  /** What `one.system.version` answers; `7.4.0` by default. */
  version?: string;
  /** LOCK_CREATE → READY of a new vnet; 1000 ms by default. */
  vnetReadyDelayMs?: number;
  /** LOCK_DELETE → gone of a deleted vnet; the ready delay by default. */
  vnetDeleteDelayMs?: number;
  /** INIT → MONITORED of a new host; 5000 ms by default. */
  hostMonitorDelayMs?: number;
  /** Shutdown → DONE of a terminated VM; 1000 ms by default. */
  vmTerminateDelayMs?: number;
  /** PROLOG → RUNNING of a deployed VM; the terminate delay by default. */
  vmDeployDelayMs?: number;
  /** LOCKED → READY of a new image, and its removal; the vnet ready delay by default. */
  imageDelayMs?: number;
  /** Pool order; `DESC` (a packaged oned.conf) by default. */
  listOrder?: 'ASC' | 'DESC';
  /** Clock in epoch ms, for tests that step through transitions. */
  now?: () => number;
  /** JSON file keeping the objects across restarts; memory only when unset. */
  statePath?: string;
  /** Time oned takes to answer each call (a calibrated model's), real ms; none when unset. */
  callLatencyMs?: (method: string) => number;
}

/** A call as the simulated oned received it (session left out). */
export interface SimCall {
  method: string;
  params: XmlRpcValue[];
}

/** Options of a seeded VM. */
export interface SeedVmOptions {
  name?: string;
  /** VM STATE; 3 ACTIVE by default. */
  state?: number;
  /** LCM_STATE; 3 RUNNING by default. */
  lcmState?: number;
  cpu?: number;
  /** MB. */
  memory?: number;
  /** Addresses the VM holds on vnets (leases of their ranges). */
  nics?: Array<{ vnetId: number; ip: string }>;
}

/** A running simulated oned. */
export interface SimOned {
  /** `http://127.0.0.1:<port>/RPC2`. */
  url: string;
  port: number;
  /** Injected failures, latency and dropped connections. */
  faults: SimFaults;
  /** Decoded calls in arrival order (the latest 10 000). */
  calls: SimCall[];
  /** A copy of the state with due transitions applied. */
  snapshot(): SimState;
  /** Puts a RUNNING VM on the host without going through `one.vm.allocate`/`deploy`; returns its ID. */
  seedVm(hostId: number, options?: SeedVmOptions): number;
  /** Moves a VM to another host, as a live migration by the scheduler or an operator would. */
  migrateVm(vmId: number, hostId: number): void;
  /** Makes the monitoring of hosts of that name (`*`: all) fail, the host going to ERROR with this message; `undefined` heals it. */
  failMonitoring(hostName: string, message: string | undefined): void;
  /** Forces a VM's state, e.g. into a `*_FAILURE` LCM state. */
  setVmState(vmId: number, state: number, lcmState: number): void;
  /** Puts a READY image into a datastore, so its delete is refused; returns the image ID. */
  seedImage(datastoreId: number): number;
  /** Marks leases of a vnet in use, so its delete is refused. */
  setUsedLeases(vnetId: number, count: number): void;
  /** The network driver answers nothing for `ms` (0 heals it): vnets created meanwhile stay LOCK_CREATE, not READY. */
  stallVnetDriver(ms: number): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** The call log keeps the latest calls only, so a long-running sandbox daemon does not grow without bound. */
const MAX_LOGGED_CALLS = 10_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, answer: Answer): void {
  const body = answer.kind === 'array' ? encodeArrayResponse(answer.values) : encodeFault(answer.code, answer.message);
  res.writeHead(200, { 'Content-Type': 'text/xml; charset="utf-8"', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function injected(method: string, actions: FaultAction[]): Answer | undefined {
  for (const action of actions) {
    if (action.kind === 'fail') {
      const message = action.message ?? `[${method}] Simulated failure`;
      return { kind: 'array', values: resultArray(failure(action.code, message, action.respId ?? -1)) };
    }
    if (action.kind === 'fault') return { kind: 'fault', code: action.code, message: action.message };
  }
  return undefined;
}

/**
 * Starts a simulated oned: a real XML-RPC server on 127.0.0.1 that enforces
 * OpenNebula's rules and answers as oned 7.4 does (same arrays, codes,
 * messages and XML bodies).
 */
export async function startSimOned(options: SimOnedOptions = {}): Promise<SimOned> {
  const vnetReadyDelayMs = options.vnetReadyDelayMs ?? 1000;
  const engine = new OnedEngine({
    user: options.user ?? 'oneadmin',
    password: options.password ?? 'opennebula',
    version: options.version ?? '7.4.0',
    vnetReadyDelayMs,
    vnetDeleteDelayMs: options.vnetDeleteDelayMs ?? vnetReadyDelayMs,
    hostMonitorDelayMs: options.hostMonitorDelayMs ?? 5000,
    vmTerminateDelayMs: options.vmTerminateDelayMs ?? 1000,
    vmDeployDelayMs: options.vmDeployDelayMs ?? options.vmTerminateDelayMs ?? 1000,
    imageDelayMs: options.imageDelayMs ?? vnetReadyDelayMs,
    listOrder: options.listOrder ?? 'DESC',
    now: options.now ?? Date.now,
    statePath: options.statePath,
  });
  const faults = new SimFaults();
  const calls: SimCall[] = [];

  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.url !== '/RPC2') {
        res.writeHead(404).end();
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'POST' }).end();
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        res.writeHead(413).end();
        return;
      }
      let call;
      try {
        call = await decodeCall(body);
      } catch (err) {
        send(res, { kind: 'fault', code: FAULT.PARSE, message: `Call XML not a proper XML-RPC call. ${(err as Error).message}` });
        return;
      }
      calls.push({ method: call.method, params: call.params.slice(1) });
      if (calls.length > MAX_LOGGED_CALLS) calls.splice(0, calls.length - MAX_LOGGED_CALLS);
      const actions = faults.match(call.method);
      const delay = (options.callLatencyMs?.(call.method) ?? 0) + actions.reduce((sum, a) => sum + (a.kind === 'delay' ? a.ms : 0), 0);
      if (delay > 0) await sleep(delay);
      const drop = actions.find((a): a is Extract<FaultAction, { kind: 'drop' }> => a.kind === 'drop');
      if (drop?.when === 'before') {
        req.socket.destroy();
        return;
      }
      const answer = injected(call.method, actions) ?? dispatch(engine, call.method, call.params);
      if (drop?.when === 'after') {
        req.socket.destroy();
        return;
      }
      send(res, answer);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const mutate = <T>(change: () => T): T => {
    engine.advance();
    const result = change();
    engine.touch();
    engine.persist();
    return result;
  };

  return {
    url: `http://127.0.0.1:${port}/RPC2`,
    port,
    faults,
    calls,
    snapshot() {
      engine.advance();
      engine.persist();
      return structuredClone(engine.state);
    },
    seedVm(hostId, seed = {}) {
      return mutate(() => {
        const host = engine.host(hostId);
        if (!host) throw new Error(`no host ${hostId} in the simulated oned`);
        const id = engine.nextId('vm');
        engine.state.vms.push({
          id,
          name: seed.name ?? `one-${id}`,
          state: seed.state ?? 3,
          lcmState: seed.lcmState ?? 3,
          hostId,
          hostName: host.name,
          vmMad: host.vmMad,
          clusterId: host.clusterId,
          stime: Math.floor(engine.now() / 1000),
          etime: 0,
          cpu: String(seed.cpu ?? 1),
          memory: String(seed.memory ?? 128),
          ...(seed.nics ? { nics: seed.nics.map((nic) => ({ ...nic })) } : {}),
        });
        return id;
      });
    },
    migrateVm(vmId, hostId) {
      mutate(() => {
        const vm = engine.vm(vmId);
        const host = engine.host(hostId);
        if (!vm || !host) throw new Error(`no VM ${vmId} or host ${hostId} in the simulated oned`);
        Object.assign(vm, { hostId, hostName: host.name, vmMad: host.vmMad, clusterId: host.clusterId, resched: false });
      });
    },
    setVmState(vmId, state, lcmState) {
      mutate(() => {
        const vm = engine.vm(vmId);
        if (!vm) throw new Error(`no VM ${vmId} in the simulated oned`);
        vm.state = state;
        vm.lcmState = lcmState;
      });
    },
    seedImage(datastoreId) {
      return mutate(() => {
        const ds = engine.datastore(datastoreId);
        if (!ds) throw new Error(`no datastore ${datastoreId} in the simulated oned`);
        const id = engine.nextId('image');
        engine.state.images.push({
          id,
          name: `seeded-${id}`,
          type: 2,
          state: 1,
          prevState: 1,
          datastoreId: ds.id,
          size: 1,
          source: `${ds.basePath}/seeded-${id}`,
          path: '',
          regtime: Math.floor(engine.now() / 1000),
          template: [['DEV_PREFIX', 'sd']],
        });
        return id;
      });
    },
    stallVnetDriver(ms) {
      // 0 heals the driver at once; otherwise the longest stall wins.
      engine.vnetDriverStalledUntil = ms <= 0 ? 0 : Math.max(engine.vnetDriverStalledUntil, engine.now() + ms);
    },
    failMonitoring(hostName, message) {
      if (message === undefined) engine.monitorErrors.delete(hostName);
      else engine.monitorErrors.set(hostName, message);
    },
    setUsedLeases(vnetId, count) {
      mutate(() => {
        const vnet = engine.vnet(vnetId);
        if (!vnet) throw new Error(`no vnet ${vnetId} in the simulated oned`);
        vnet.usedLeases = count;
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
