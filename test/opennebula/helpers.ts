import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { serializeMethodCall, type XmlRpcValue } from '@foxglove/xmlrpc';
import { validateXML } from 'xmllint-wasm';
import { OpenNebulaAdapter } from '../../lambdas/opennebula/adapter';
import { OpenNebulaClient } from '../../lambdas/opennebula/client';
import { startSimOned, type SimOned, type SimOnedOptions } from '../../sandbox/oned';

export const SESSION = 'oneadmin:opennebula';
export const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const SAMPLES = path.join(FIXTURES, 'opennebula-xml-samples', 'real-7.5');
const XSD_DIR = path.join(FIXTURES, 'opennebula-xsd');

/** A simulated oned with delays short enough for tests. */
export function startFastSim(options: SimOnedOptions = {}): Promise<SimOned> {
  return startSimOned({ vnetReadyDelayMs: 5, hostMonitorDelayMs: 5, vmTerminateDelayMs: 5, ...options });
}

/** A client of the simulated oned. */
export function clientOf(sim: SimOned, overrides: { password?: string; timeoutMs?: number } = {}): OpenNebulaClient {
  return new OpenNebulaClient({
    endpoint: sim.url,
    user: 'oneadmin',
    password: overrides.password ?? 'opennebula',
    timeoutMs: overrides.timeoutMs ?? 5000,
  });
}

/** The port adapter over a client of the simulated oned, polling fast. */
export function adapterOf(sim: SimOned): OpenNebulaAdapter {
  return new OpenNebulaAdapter(clientOf(sim), { pollIntervalMs: 5, waitTimeoutMs: 5000 });
}

/** Posts a call and returns the raw response body, for byte-level comparisons. */
export function rawCall(url: string, method: string, params: XmlRpcValue[]): Promise<string> {
  const body = serializeMethodCall(method, params);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'text/xml' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads a captured real-oned response. */
export function sample(file: string): string {
  return fs.readFileSync(path.join(SAMPLES, file), 'utf8');
}

/** oned sends no namespace; the XSDs are in OpenNebula's, so validation adds it to the root. */
export function withNamespace(xml: string): string {
  return xml.replace(/^<([A-Z_]+)(\/?)>/, '<$1 xmlns="http://opennebula.org/XMLSchema"$2>');
}

/** Validates bodies against one schema in a single xmllint run; returns the error messages. */
export async function validateAgainst(schema: string, bodies: readonly string[]): Promise<string[]> {
  const others = fs
    .readdirSync(XSD_DIR)
    .filter((f) => f.endsWith('.xsd') && f !== schema)
    .map((f) => ({ fileName: f, contents: fs.readFileSync(path.join(XSD_DIR, f), 'utf8') }));
  const result = await validateXML({
    xml: bodies.map((xml, i) => ({ fileName: `body-${i}.xml`, contents: withNamespace(xml) })),
    schema: [{ fileName: schema, contents: fs.readFileSync(path.join(XSD_DIR, schema), 'utf8') }],
    preload: others,
  });
  return result.errors.map((e) => e.rawMessage);
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
