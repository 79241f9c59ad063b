import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { buildAddressRange } from '../address-range';
import { poolXml, vnetXml } from '../bodies';
import { VN_MAD_CONF, VXLAN_ID_START } from '../drivers';
import type { OnedEngine } from '../engine';
import { invalidName } from '../names';
import { actionFailed, apiFailed, deleteRefused, internalFailed, noExists, okInt, okString, type CallResult } from '../results';
import type { SimVnet } from '../state';
import { defaultAttr, getAttr, getVectors, parseTemplate, removeAttr, setAttr } from '../template';
import type { MethodSpec } from './spec';
import { int, str, infoMethod } from './spec';
import { updateMethod } from './update';

const OBJ = 'virtual network';
const STATE_NAMES = ['INIT', 'READY', 'LOCK_CREATE', 'LOCK_DELETE', 'DONE', 'ERROR', 'UPDATE_FAILURE'];
const isYes = (value: string | undefined): boolean => (value ?? '').toUpperCase() === 'YES';

/** `VirtualNetwork::insert`: driver checks and defaults; address ranges wait for the driver. */
function allocate(engine: OnedEngine, method: string, args: readonly XmlRpcValue[]): CallResult {
  const parsed = parseTemplate(str(args, 0));
  if (!parsed.ok) return internalFailed(method, parsed.error);
  const template = parsed.template;
  const requested = int(args, 1);
  const clusterId = requested === -1 ? 0 : requested;
  if (!engine.cluster(clusterId)) return noExists(method, 'cluster', clusterId);
  // oned 7.x answers vnet allocate failures as INTERNAL with the bare detail (VirtualNetworkAPI.cc).
  const name = getAttr(template, 'NAME');
  if (name === undefined) return internalFailed(method, 'No NAME in template for Virtual Network.');
  const bad = invalidName(name);
  if (bad) return internalFailed(method, bad);
  // Vnet names are unique per owner; every vnet here belongs to the one user.
  const taken = engine.state.vnets.find((v) => v.name === name);
  if (taken) return internalFailed(method, `NAME is already taken by NET ${taken.id}.`);
  // The checks below run in VirtualNetwork::insert, on a built object.
  const refused = (detail: string): CallResult => {
    engine.failedInsert('vnet');
    return internalFailed(method, detail);
  };
  const vnMad = getAttr(template, 'VN_MAD');
  if (vnMad === undefined || vnMad === '') return refused('No VN_MAD in template for Virtual Network.');
  const bridgeType = VN_MAD_CONF[vnMad];
  if (!bridgeType) return refused(`VN_MAD named "${vnMad}" is not defined in oned.conf`);
  const phydev = getAttr(template, 'PHYDEV') ?? '';
  const vlanGiven = getAttr(template, 'VLAN_ID');
  const vlanAuto = isYes(getAttr(template, 'AUTOMATIC_VLAN_ID'));
  const outerGiven = getAttr(template, 'OUTER_VLAN_ID');
  const outerAuto = isYes(getAttr(template, 'AUTOMATIC_OUTER_VLAN_ID'));
  if (vnMad === '802.1Q' || vnMad === 'vxlan' || vnMad === 'ovswitch_vxlan') {
    if (phydev === '') return refused(`PHYDEV is mandatory for driver ${vnMad}`);
  }
  if ((vnMad === '802.1Q' || vnMad === 'vxlan') && vlanGiven === undefined && !vlanAuto) {
    return refused(`VLAN_ID (or AUTOMATIC_VLAN_ID) is mandatory for driver ${vnMad}`);
  }
  if (vnMad === 'ovswitch_vxlan' && outerGiven === undefined && !outerAuto) {
    return refused(`OUTER_VLAN_ID (or AUTOMATIC_OUTER_VLAN_ID) is mandatory for driver ${vnMad}`);
  }
  if (vnMad === 'dummy' && getAttr(template, 'BRIDGE') === undefined) {
    return refused(`BRIDGE is mandatory for driver ${vnMad}`);
  }

  const id = engine.nextId('vnet');
  const vlanId = vlanGiven ?? (vlanAuto ? String(VXLAN_ID_START + id) : '');
  const bridge = getAttr(template, 'BRIDGE') ?? (vlanGiven !== undefined ? `onebr.${vlanGiven}` : `onebr${id}`);
  removeAttr(template, 'NAME');
  setAttr(template, 'BRIDGE', bridge);
  setAttr(template, 'BRIDGE_TYPE', bridgeType);
  defaultAttr(template, 'PHYDEV', '');
  const groups = (getAttr(template, 'SECURITY_GROUPS') ?? '').split(',').filter((g) => g !== '');
  if (!groups.includes('0')) groups.unshift('0');
  setAttr(template, 'SECURITY_GROUPS', groups.join(','));
  const vnet: SimVnet = {
    id,
    name,
    uid: 0,
    clusterIds: [clusterId],
    bridge,
    bridgeType,
    state: 2,
    prevState: 0,
    vnMad,
    phydev,
    vlanId,
    vlanIdAutomatic: vlanAuto && vlanGiven === undefined,
    outerVlanId: outerGiven ?? '',
    outerVlanIdAutomatic: outerAuto && outerGiven === undefined,
    usedLeases: 0,
    template,
    addressRanges: [],
    nextArId: 0,
    readyAt: engine.now() + engine.options.vnetReadyDelayMs,
  };
  engine.state.vnets.push(vnet);
  return okInt(id);
}

/** add_ar / rm_ar need READY or UPDATE_FAILURE. */
function wrongStateForRanges(method: string, vnet: SimVnet): CallResult | undefined {
  if (vnet.state === 1 || vnet.state === 6) return undefined;
  return actionFailed(method, `Could not execute ${method}Virtual Network is in wrong state: ${STATE_NAMES[vnet.state] ?? vnet.state}`);
}

/** `one.vn.*` and `one.vnpool.info`. */
export const vnetMethods: Record<string, MethodSpec> = {
  'one.vn.allocate': { params: ['s', 'i'], run: allocate },
  'one.vn.delete': {
    params: ['i'],
    run(engine, method, args) {
      const id = int(args, 0);
      const vnet = engine.vnet(id);
      if (!vnet) return noExists(method, OBJ, id);
      if (vnet.usedLeases + engine.vnetLeases(vnet).length > 0) {
        return deleteRefused(method, OBJ, 'Can not remove a virtual network with leases in use');
      }
      if (vnet.state === 2 || vnet.state === 3 || vnet.state === 4) {
        return deleteRefused(method, OBJ, `Can not remove a Virtual Network, wrong state ${STATE_NAMES[vnet.state] ?? ''}`);
      }
      vnet.prevState = vnet.state;
      vnet.state = 3;
      vnet.goneAt = engine.now() + engine.options.vnetDeleteDelayMs;
      engine.touch();
      return okInt(id);
    },
  },
  'one.vn.info': infoMethod(
    OBJ,
    (e, id) => e.vnet(id),
    (e, vnet) => vnetXml(vnet, 'info', e.vnetLeases(vnet)),
  ),
  'one.vnpool.info': {
    params: ['i', 'i', 'i'],
    run(engine, method, args) {
      const [filter, start, end] = [int(args, 0), int(args, 1), int(args, 2)];
      if (filter < -4) return apiFailed(method, 'Incorrect filter_flag');
      const owned = engine.state.vnets.filter((v) => filter < 0 || v.uid === filter);
      const bodies = rangeOf(engine.ordered(owned), start, end).map((v) => vnetXml(v, 'pool', engine.vnetLeases(v)));
      return okString(poolXml('VNET_POOL', bodies));
    },
  },
  'one.vn.add_ar': {
    params: ['i', 's'],
    run(engine, method, args) {
      const id = int(args, 0);
      const vnet = engine.vnet(id);
      if (!vnet) return noExists(method, OBJ, id);
      const wrong = wrongStateForRanges(method, vnet);
      if (wrong) return wrong;
      const parsed = parseTemplate(str(args, 1));
      if (!parsed.ok) return internalFailed(method, parsed.error);
      const vector = getVectors(parsed.template, 'AR')[0];
      if (!vector) return internalFailed(method, 'Wrong AR definition. AR vector attribute is missing.');
      const built = buildAddressRange(vnet.nextArId, vector, vnet.id * 256 + vnet.nextArId);
      if (!built.ok) return internalFailed(method, built.error);
      vnet.addressRanges.push(built.range);
      vnet.nextArId += 1;
      engine.touch();
      return okInt(id);
    },
  },
  'one.vn.rm_ar': {
    params: ['i', 'i'],
    optional: ['b'],
    run(engine, method, args) {
      const [id, arId] = [int(args, 0), int(args, 1)];
      const vnet = engine.vnet(id);
      if (!vnet) return noExists(method, OBJ, id);
      const wrong = wrongStateForRanges(method, vnet);
      if (wrong) return wrong;
      if (!vnet.addressRanges.some((ar) => ar.arId === arId)) return internalFailed(method, 'Address Range does not exist');
      if (engine.vnetLeases(vnet).some((lease) => lease.arId === arId)) return internalFailed(method, 'Address Range has leases in use');
      vnet.addressRanges = vnet.addressRanges.filter((ar) => ar.arId !== arId);
      engine.touch();
      return okInt(id);
    },
  },
  'one.vn.update': updateMethod(OBJ, (engine, id) => engine.vnet(id)),
};

/**
 * Pool range arguments: `(-1,-1)` all; `(id,-1)` from id; `(a,b)` inclusive ID
 * range; `end < -1` pages, with `start` the offset and `-end` the page size.
 */
export function rangeOf<T extends { id: number }>(objects: T[], start: number, end: number): T[] {
  if (end < -1) return objects.slice(Math.max(start, 0), Math.max(start, 0) - end);
  return objects.filter((o) => (start < 0 || o.id >= start) && (end < 0 || o.id <= end));
}
