import type { XmlRpcValue } from '@foxglove/xmlrpc';
import { XMLParser } from 'fast-xml-parser';
import { XmlRpcTransport } from '../../lambdas/opennebula/transport';

/*
 * The same calls against two oneds (the simulated one and OpenNebula's own),
 * compared by what a client can see: success or failure, the error code, the
 * message, and the set of XML element paths of a body. Values that differ by
 * nature (timestamps, versions, ids of objects whose order differs) are not
 * compared; every element name is.
 */

/** What one call answered, reduced to what is compared. */
export interface Observed {
  ok: boolean;
  code?: number;
  message?: string;
  /** Element paths of an XML body (`HOST/HOST_SHARE/NUMA_NODES/NODE/CORE/CPUS`). */
  elements?: string[];
  /** `fault <code>` for an XML-RPC fault. */
  fault?: string;
  value?: XmlRpcValue;
}

/** Ids saved by earlier steps, by name. */
export type Refs = Record<string, number>;

/** One call of a scenario. */
export interface Step {
  name: string;
  method: string;
  params: (refs: Refs) => XmlRpcValue[];
  /** Save the integer result under this name. */
  save?: string;
  /** Poll until the answer satisfies this (each side on its own), up to `timeoutMs`. */
  until?: (answer: Observed, body: string | undefined) => boolean;
  timeoutMs?: number;
  /** Compare only ok/code (the message carries values that differ by nature, e.g. the version). */
  codeOnly?: boolean;
  /** Use a wrong password for this call. */
  badSession?: boolean;
  /** Element paths whose presence depends on timing (a monitoring probe that ran or not yet). */
  ignore?: RegExp;
}

/** One side of the comparison. */
export interface Side {
  url: string;
  session: string;
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, preserveOrder: true, trimValues: false });

/** Every element path of an XML document, sorted and without repeats. */
export function elementPaths(xml: string): string[] {
  const out = new Set<string>();
  const walk = (nodes: unknown[], prefix: string): void => {
    for (const node of nodes) {
      if (typeof node !== 'object' || node === null) continue;
      for (const [key, children] of Object.entries(node as Record<string, unknown>)) {
        if (key === '#text' || key === ':@' || key === '__cdata') continue;
        const path = prefix ? `${prefix}/${key}` : key;
        out.add(path);
        if (Array.isArray(children)) walk(children, path);
      }
    }
  };
  walk(parser.parse(xml) as unknown[], '');
  return [...out].sort();
}

async function observe(transport: XmlRpcTransport, session: string, step: Step, refs: Refs): Promise<{ seen: Observed; body?: string }> {
  try {
    const answer = await transport.call(step.method, [step.badSession ? `${session}-wrong` : session, ...step.params(refs)]);
    if (!Array.isArray(answer)) return { seen: { ok: false, message: 'not an array' } };
    if (answer[0] === true) {
      const value = answer[1];
      if (typeof value === 'string' && value.startsWith('<')) return { seen: { ok: true, elements: elementPaths(value) }, body: value };
      return { seen: { ok: true, value } };
    }
    return { seen: { ok: false, code: Number(answer[2]), message: String(answer[1]) } };
  } catch (err) {
    const fault = /fault (-?\d+)/.exec((err as Error).message)?.[1];
    return { seen: { ok: false, fault: fault ? `fault ${fault}` : (err as Error).message } };
  }
}

/** Runs a scenario against one side; returns what each step answered. */
export async function runScenario(side: Side, steps: readonly Step[], bodies?: Map<string, string>): Promise<Map<string, Observed>> {
  const transport = new XmlRpcTransport({ endpoint: side.url, timeoutMs: 20_000 });
  const refs: Refs = {};
  const seen = new Map<string, Observed>();
  try {
    for (const step of steps) {
      const deadline = Date.now() + (step.timeoutMs ?? 30_000);
      let result = await observe(transport, side.session, step, refs);
      while (step.until && !step.until(result.seen, result.body) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        result = await observe(transport, side.session, step, refs);
      }
      if (step.save && typeof result.seen.value === 'number') refs[step.save] = result.seen.value;
      seen.set(step.name, result.seen);
      if (bodies && result.body !== undefined) bodies.set(step.name, result.body);
    }
  } finally {
    transport.close();
  }
  return seen;
}

/** A difference between the two sides at one step. */
export interface Difference {
  step: string;
  what: string;
  real: unknown;
  sim: unknown;
}

/** Compares what the two sides answered, step by step. */
export function compare(steps: readonly Step[], real: Map<string, Observed>, sim: Map<string, Observed>): Difference[] {
  const out: Difference[] = [];
  for (const step of steps) {
    const r = real.get(step.name);
    const s = sim.get(step.name);
    if (!r || !s) {
      out.push({ step: step.name, what: 'missing', real: r, sim: s });
      continue;
    }
    if (r.ok !== s.ok) out.push({ step: step.name, what: 'ok', real: r, sim: s });
    if (r.fault !== s.fault) out.push({ step: step.name, what: 'fault', real: r.fault, sim: s.fault });
    if (r.code !== s.code) out.push({ step: step.name, what: 'code', real: r.code, sim: s.code });
    if (!step.codeOnly && r.message !== s.message) out.push({ step: step.name, what: 'message', real: r.message, sim: s.message });
    if (r.elements || s.elements) {
      const kept = (paths: string[] | undefined) => (paths ?? []).filter((e) => !step.ignore?.test(e));
      const onlyReal = kept(r.elements).filter((e) => !kept(s.elements).includes(e));
      const onlySim = kept(s.elements).filter((e) => !kept(r.elements).includes(e));
      if (onlyReal.length || onlySim.length) out.push({ step: step.name, what: 'elements', real: onlyReal, sim: onlySim });
    }
  }
  return out;
}
