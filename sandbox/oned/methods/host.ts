import { hostXml, poolXml } from '../bodies';
import { invalidHostname } from '../names';
import { allocateFailed, deleteRefused, internalFailed, noExists, okInt, okString } from '../results';
import type { MethodSpec } from './spec';
import { int, str, infoMethod } from './spec';
import { updateMethod } from './update';

const OBJ = 'host';

/** `one.host.*` and `one.hostpool.info`. */
export const hostMethods: Record<string, MethodSpec> = {
  'one.host.allocate': {
    params: ['s', 's', 's', 'i'],
    run(engine, method, args) {
      const [name, imMad, vmMad] = [str(args, 0), str(args, 1), str(args, 2)];
      const requested = int(args, 3);
      const clusterId = requested === -1 ? 0 : requested;
      const cluster = engine.cluster(clusterId);
      if (!cluster) return noExists(method, 'cluster', clusterId);
      const bad = invalidHostname(name);
      if (bad) return allocateFailed(method, OBJ, bad);
      const taken = engine.state.hosts.find((h) => h.name === name);
      if (taken) return allocateFailed(method, OBJ, `NAME is already taken by HOST ${taken.id}.`);
      if (imMad === '') return allocateFailed(method, OBJ, 'IM_MAD_NAME cannot be empty.');
      if (vmMad === '') return allocateFailed(method, OBJ, 'VMM_MAD_NAME cannot be empty.');
      const id = engine.nextId('host');
      engine.state.hosts.push({
        id,
        name,
        state: 0,
        prevState: 0,
        imMad,
        vmMad,
        clusterId,
        template: [
          ['IM_MAD', imMad],
          ['RESERVED_CPU', ''],
          ['RESERVED_MEM', ''],
          ['VM_MAD', vmMad],
        ],
        monitored: false,
        monitoredAt: engine.now() + engine.options.hostMonitorDelayMs,
      });
      return okInt(id);
    },
  },
  'one.host.delete': {
    params: ['i'],
    run(engine, method, args) {
      const id = int(args, 0);
      const host = engine.host(id);
      if (!host) return noExists(method, OBJ, id);
      if (engine.hostUsage(host).vmIds.length > 0) {
        return deleteRefused(method, OBJ, 'Can not remove a host with running VMs');
      }
      engine.state.hosts = engine.state.hosts.filter((h) => h.id !== id);
      engine.touch();
      return okInt(id);
    },
  },
  'one.host.info': infoMethod(
    OBJ,
    (e, id) => e.host(id),
    (e, host) => hostXml(host, e.hostUsage(host), 'info', e.now()),
  ),
  'one.hostpool.info': {
    params: [],
    run(engine) {
      const bodies = engine.ordered(engine.state.hosts).map((h) => hostXml(h, engine.hostUsage(h), 'pool', engine.now()));
      return okString(poolXml('HOST_POOL', bodies));
    },
  },
  'one.host.status': {
    params: ['i', 'i'],
    run(engine, method, args) {
      const [id, status] = [int(args, 0), int(args, 1)];
      const host = engine.host(id);
      if (!host) return noExists(method, OBJ, id);
      if (status < 0 || status > 2) return internalFailed(method, 'Wrong status code');
      const previous = host.state;
      if (status === 0) {
        // Enabling a disabled host that has capacity goes straight back to MONITORED.
        host.state = previous === 4 && host.monitored ? 2 : 0;
        if (host.state === 0) {
          host.monitored = false;
          host.monitoredAt = engine.now() + engine.options.hostMonitorDelayMs;
        }
      } else {
        host.state = status === 1 ? 4 : 8;
        if (status === 2) host.monitored = false;
        host.monitoredAt = undefined;
      }
      host.prevState = previous;
      engine.touch();
      return okInt(id);
    },
  },
  'one.host.update': updateMethod(OBJ, (engine, id) => engine.host(id)),
};
