import * as fs from 'node:fs';
import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { XMLParser } from 'fast-xml-parser';
import { startSimOned, type SimOned } from '../../sandbox/oned';
import { SAMPLES, SESSION, rawCall, sample } from './helpers';

/*
 * The calls behind test/fixtures/opennebula-xml-samples/real-7.5/, in their
 * order, replayed against the simulated oned. The clock is stepped where the
 * real run waited (vnet driver ~1 s, first host monitoring ~5 s).
 */
type Step = { file: string; method: string; params: XmlRpcValue[]; session?: string; waitMs?: number };

const STEPS: Step[] = [
  { file: '01_one.system.version.xml', method: 'one.system.version', params: [] },
  { file: '02_one.cluster.allocate.xml', method: 'one.cluster.allocate', params: ['lab'] },
  { file: '03_one.cluster.allocate_duplicate.xml', method: 'one.cluster.allocate', params: ['lab'] },
  { file: '04_one.clusterpool.info.xml', method: 'one.clusterpool.info', params: [] },
  { file: '05_one.cluster.info_empty.xml', method: 'one.cluster.info', params: [100] },
  {
    file: '06_one.datastore.allocate.xml',
    method: 'one.datastore.allocate',
    params: ['NAME = "lab-sys"\nTYPE = "SYSTEM_DS"\nTM_MAD = "ssh"', 100],
  },
  { file: '07_one.datastore.info.xml', method: 'one.datastore.info', params: [100] },
  {
    file: '08_one.vn.allocate.xml',
    method: 'one.vn.allocate',
    params: ['NAME = "lab-net"\nVN_MAD = "bridge"\nBRIDGE = "br0"\nAR = [ TYPE = "IP4", IP = "10.77.0.2", SIZE = "1" ]', 100],
  },
  { file: '09_one.vn.info.xml', method: 'one.vn.info', params: [0] },
  { file: '10_one.host.allocate.xml', method: 'one.host.allocate', params: ['lab-host0', 'kvm', 'kvm', 100] },
  { file: '11_one.host.allocate_duplicate.xml', method: 'one.host.allocate', params: ['lab-host0', 'kvm', 'kvm', 100] },
  { file: '12_one.host.info.xml', method: 'one.host.info', params: [0] },
  { file: '13_one.hostpool.info.xml', method: 'one.hostpool.info', params: [] },
  { file: '14_one.vnpool.info.xml', method: 'one.vnpool.info', params: [-2, -1, -1], waitMs: 1500 },
  { file: '15_one.datastorepool.info.xml', method: 'one.datastorepool.info', params: [] },
  { file: '16_one.cluster.info_populated.xml', method: 'one.cluster.info', params: [100] },
  { file: '17_one.host.info_after_monitor.xml', method: 'one.host.info', params: [0], waitMs: 5000 },
  { file: '18_one.vn.info_after_wait.xml', method: 'one.vn.info', params: [0] },
  { file: '19_one.cluster.delete_nonempty.xml', method: 'one.cluster.delete', params: [100] },
  { file: '20_one.host.delete.xml', method: 'one.host.delete', params: [0] },
  { file: '21_one.vn.delete.xml', method: 'one.vn.delete', params: [0] },
  { file: '22_one.datastore.delete.xml', method: 'one.datastore.delete', params: [100], waitMs: 1500 },
  { file: '23_one.cluster.delete.xml', method: 'one.cluster.delete', params: [100] },
  { file: '24_one.cluster.info_deleted.xml', method: 'one.cluster.info', params: [100] },
  {
    file: '25_one.clusterpool.info_badpassword.xml',
    method: 'one.clusterpool.info',
    params: [],
    session: 'oneadmin:wrong',
  },
  { file: '26_one.host.info_missing.xml', method: 'one.host.info', params: [999999] },
  { file: '27_one.host.delete_missing.xml', method: 'one.host.delete', params: [999999] },
  { file: '28_one.cluster.delete_missing.xml', method: 'one.cluster.delete', params: [999999] },
  { file: '29_one.no.such.method_unknown.xml', method: 'one.no.such.method', params: [] },
  { file: '30_one.host.info_badtype.xml', method: 'one.host.info', params: ['zero'] },
  { file: '31_one.host.allocate_default_cluster.xml', method: 'one.host.allocate', params: ['lab-host1', 'kvm', 'kvm', -1] },
  { file: '32_one.hostpool.info_host_init.xml', method: 'one.hostpool.info', params: [] },
  { file: '33_one.hostpool.info_host_monitored.xml', method: 'one.hostpool.info', params: [], waitMs: 5000 },
  { file: '34_one.host.info_host_monitored.xml', method: 'one.host.info', params: [1] },
  { file: '35_one.host.delete_host1.xml', method: 'one.host.delete', params: [1] },
];

/**
 * Real monitored hosts carry the figures of the probe that ran (PCI devices,
 * NUMA nodes, CPU flags): these bodies are compared by shape, not byte for byte.
 */
const MONITORED = new Set([
  '17_one.host.info_after_monitor.xml',
  '33_one.hostpool.info_host_monitored.xml',
  '34_one.host.info_host_monitored.xml',
]);

const tree = new XMLParser({ ignoreAttributes: true, parseTagValue: false, preserveOrder: true });
type Ordered = Array<Record<string, unknown>>;

function bodyOf(response: string): string {
  const match = /<value><string>(.*?)<\/string><\/value>/s.exec(response);
  const text = match?.[1] ?? '';
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function childNames(nodes: Ordered): string[] {
  return nodes.map((n) => Object.keys(n)[0] as string).filter((k) => k !== '#text');
}

function child(nodes: Ordered, name: string): Ordered {
  return (nodes.find((n) => name in n)?.[name] ?? []) as Ordered;
}

/** The HOST element of a body (first of a pool). */
function hostNode(xml: string): Ordered {
  const doc = tree.parse(xml) as Ordered;
  const root = child(doc, 'HOST_POOL');
  return root.length > 0 ? child(root, 'HOST') : child(doc, 'HOST');
}

describe('simulated oned replaying the calls captured from a real oned 7.5', () => {
  let now = Date.UTC(2026, 10, 25, 10, 0, 0);
  let sim: SimOned;
  const answers = new Map<string, string>();

  beforeAll(async () => {
    sim = await startSimOned({ now: () => now, version: '7.5.80', vnetReadyDelayMs: 1000, hostMonitorDelayMs: 5000 });
    for (const step of STEPS) {
      now += step.waitMs ?? 10;
      answers.set(step.file, await rawCall(sim.url, step.method, [step.session ?? SESSION, ...step.params]));
    }
  });
  afterAll(() => sim.close());

  it('covers every captured sample', () => {
    const files = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.xml'));
    expect(STEPS.map((s) => s.file).sort()).toEqual(files.sort());
  });

  it.each(STEPS.filter((s) => !MONITORED.has(s.file)).map((s) => [s.file]))('answers %s byte for byte as the real oned did', (file) => {
    expect(answers.get(file)).toBe(sample(file));
  });

  it.each([...MONITORED].map((f) => [f]))('answers %s with the element layout of the real monitored host', (file) => {
    const real = hostNode(bodyOf(sample(file)));
    const ours = hostNode(bodyOf(answers.get(file) ?? ''));
    expect(childNames(ours)).toEqual(childNames(real));
    expect(childNames(child(ours, 'HOST_SHARE'))).toEqual(childNames(child(real, 'HOST_SHARE')));
    expect(childNames(child(child(ours, 'HOST_SHARE'), 'DATASTORES'))).toEqual(childNames(child(child(real, 'HOST_SHARE'), 'DATASTORES')));
    const realTemplate = new Set(childNames(child(real, 'TEMPLATE')));
    expect(childNames(child(ours, 'TEMPLATE')).filter((name) => !realTemplate.has(name))).toEqual([]);
    const realMonitoring = new Set(childNames(child(real, 'MONITORING')));
    expect(childNames(child(ours, 'MONITORING')).filter((name) => !realMonitoring.has(name))).toEqual([]);
    for (const name of ['ID', 'NAME', 'STATE', 'PREV_STATE', 'IM_MAD', 'VM_MAD', 'CLUSTER_ID', 'CLUSTER']) {
      expect(child(ours, name)).toEqual(child(real, name));
    }
  });
});
