import { clusterXml, poolXml } from '../bodies';
import { invalidName } from '../names';
import { allocateFailed, deleteRefused, noExists, okInt, okString } from '../results';
import type { MethodSpec } from './spec';
import { int, str, infoMethod } from './spec';
import { updateMethod } from './update';

const OBJ = 'cluster';

/** `one.cluster.*` and `one.clusterpool.info`. */
export const clusterMethods: Record<string, MethodSpec> = {
  'one.cluster.allocate': {
    params: ['s'],
    run(engine, method, args) {
      const name = str(args, 0);
      const bad = invalidName(name);
      if (bad) return allocateFailed(method, OBJ, bad);
      const taken = engine.state.clusters.find((c) => c.name === name);
      if (taken) return allocateFailed(method, OBJ, `NAME is already taken by CLUSTER ${taken.id}.`);
      const id = engine.nextId('cluster');
      engine.state.clusters.push({
        id,
        name,
        template: [
          ['RESERVED_CPU', ''],
          ['RESERVED_MEM', ''],
        ],
      });
      return okInt(id);
    },
  },
  'one.cluster.delete': {
    params: ['i'],
    run(engine, method, args) {
      const id = int(args, 0);
      if (!engine.cluster(id)) return noExists(method, OBJ, id);
      if (id < 100) return deleteRefused(method, OBJ, 'System Clusters (ID < 100) cannot be deleted.');
      const members = engine.members(id);
      for (const [what, list] of [
        ['hosts', members.hostIds],
        ['datastores', members.datastoreIds],
        ['vnets', members.vnetIds],
      ] as const) {
        if (list.length > 0) return deleteRefused(method, OBJ, `Cluster ${id} is not empty, it contains ${list.length} ${what}.`);
      }
      engine.state.clusters = engine.state.clusters.filter((c) => c.id !== id);
      engine.touch();
      return okInt(id);
    },
  },
  'one.cluster.info': infoMethod(
    OBJ,
    (e, id) => e.cluster(id),
    (e, cluster) => clusterXml(cluster, e.members(cluster.id)),
  ),
  'one.clusterpool.info': {
    params: [],
    run(engine) {
      const bodies = engine.ordered(engine.state.clusters).map((c) => clusterXml(c, engine.members(c.id)));
      return okString(poolXml('CLUSTER_POOL', bodies));
    },
  },
  'one.cluster.update': updateMethod(OBJ, (engine, id) => engine.cluster(id)),
  'one.cluster.addhost': {
    params: ['i', 'i'],
    run(engine, method, args) {
      const [clusterId, hostId] = [int(args, 0), int(args, 1)];
      if (!engine.cluster(clusterId)) return noExists(method, OBJ, clusterId);
      const host = engine.host(hostId);
      if (!host) return noExists(method, 'host', hostId);
      host.clusterId = clusterId;
      engine.touch();
      return okInt(clusterId);
    },
  },
  'one.cluster.delhost': {
    params: ['i', 'i'],
    run(engine, method, args) {
      const hostId = int(args, 1);
      const host = engine.host(hostId);
      if (!host) return noExists(method, 'host', hostId);
      // The cluster argument is ignored: a host always goes back to the default cluster.
      host.clusterId = 0;
      engine.touch();
      return okInt(0);
    },
  },
  'one.cluster.adddatastore': membership('datastore', 'add'),
  'one.cluster.deldatastore': membership('datastore', 'del'),
  'one.cluster.addvnet': membership('vnet', 'add'),
  'one.cluster.delvnet': membership('vnet', 'del'),
};

/** Datastores and vnets may be in several clusters; adding twice or removing a non-member is a no-op. */
function membership(kind: 'datastore' | 'vnet', op: 'add' | 'del'): MethodSpec {
  return {
    params: ['i', 'i'],
    run(engine, method, args) {
      const [clusterId, objectId] = [int(args, 0), int(args, 1)];
      if (!engine.cluster(clusterId)) return noExists(method, OBJ, clusterId);
      const object = kind === 'datastore' ? engine.datastore(objectId) : engine.vnet(objectId);
      if (!object) return noExists(method, kind === 'datastore' ? 'datastore' : 'virtual network', objectId);
      const has = object.clusterIds.includes(clusterId);
      if (op === 'add' && !has) object.clusterIds.push(clusterId);
      if (op === 'del' && has) object.clusterIds = object.clusterIds.filter((id) => id !== clusterId);
      engine.touch();
      return okInt(clusterId);
    },
  };
}
