import { Deserializer, type XmlRpcValue } from '@foxglove/xmlrpc';

/** A value in oned's answer array, with the XML-RPC type oned gives it. */
export type WireValue =
  | { type: 'boolean'; value: boolean }
  | { type: 'i4'; value: number }
  | { type: 'i8'; value: number }
  | { type: 'string'; value: string };

/** A decoded `methodCall`. */
export interface WireCall {
  method: string;
  params: XmlRpcValue[];
}

/** Decodes a request body; throws on anything that is not an XML-RPC call. */
export async function decodeCall(body: string): Promise<WireCall> {
  const [method, params] = await new Deserializer().deserializeMethodCall(body);
  return { method, params };
}

// xmlrpc-c escapes these three and CR; everything else goes through as UTF-8.
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#x0d;');
}

function encodeValue(v: WireValue): string {
  switch (v.type) {
    case 'boolean':
      return `<value><boolean>${v.value ? 1 : 0}</boolean></value>`;
    case 'i4':
      return `<value><i4>${v.value}</i4></value>`;
    case 'i8':
      return `<value><i8>${v.value}</i8></value>`;
    case 'string':
      return `<value><string>${escapeText(v.value)}</string></value>`;
  }
}

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\r\n<methodResponse>\r\n';
const TAIL = '</methodResponse>\r\n';

/** The `methodResponse` oned (xmlrpc-c) sends for a result array, byte for byte. */
export function encodeArrayResponse(values: readonly WireValue[]): string {
  const items = values.map((v) => `${encodeValue(v)}\r\n`).join('');
  return `${HEAD}<params>\r\n<param><value><array><data>\r\n${items}</data></array></value></param>\r\n</params>\r\n${TAIL}`;
}

/** An XML-RPC `<fault>` as xmlrpc-c formats it. */
export function encodeFault(code: number, message: string): string {
  return (
    `${HEAD}<fault>\r\n<value><struct>\r\n` +
    `<member><name>faultCode</name>\r\n<value><i4>${code}</i4></value></member>\r\n` +
    `<member><name>faultString</name>\r\n<value><string>${escapeText(message)}</string></value></member>\r\n` +
    `</struct></value>\r\n</fault>\r\n${TAIL}`
  );
}

/** xmlrpc-c fault codes oned's clients see. */
export const FAULT = {
  /** Wrong number or type of parameters. */
  TYPE: -501,
  /** Request body is not an XML-RPC call. */
  PARSE: -503,
  /** Unknown method. */
  NO_SUCH_METHOD: -506,
} as const;
