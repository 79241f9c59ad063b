import { Deserializer, serializeFault, serializeMethodResponse, type XmlRpcValue } from '@foxglove/xmlrpc';
import {
  decodeMethodResponse,
  encodeMethodCall,
  encodeMethodResponse,
  XmlRpcFaultAnswer,
  XmlRpcSyntaxError,
} from '../../lambdas/opennebula/xmlrpc';

/** oned's answer shape: [success, body, code, respId]. */
const answer: XmlRpcValue = [true, '<HOST><NAME>edge &amp; "co" <x/></NAME></HOST>', 0, -1];

describe('xmlrpc codec', () => {
  it('decodes what a general XML-RPC encoder writes, CDATA and entities included', () => {
    expect(decodeMethodResponse(serializeMethodResponse(answer))).toEqual(answer);
    const nested: XmlRpcValue = { a: [1, 2.5, false, 'x'], b: { c: '' }, d: [] };
    expect(decodeMethodResponse(serializeMethodResponse(nested))).toEqual(nested);
  });

  it('writes calls a general XML-RPC decoder reads back unchanged', async () => {
    const params: XmlRpcValue[] = ['oneadmin:secret', 'NAME="a<b>&c"\r\nX=1', -1, 3.25, true, [1, 'two'], { k: 'v' }];
    const xml = encodeMethodCall('one.host.allocate', params);
    const [method, decoded] = await new Deserializer().deserializeMethodCall(xml);
    expect(method).toBe('one.host.allocate');
    expect(decoded).toEqual(params);
  });

  it('round-trips its own responses', () => {
    expect(decodeMethodResponse(encodeMethodResponse(answer))).toEqual(answer);
  });

  it("reads oned's <i4>, <i8>, untyped strings, comments and whitespace between elements", () => {
    const xml = `<?xml version="1.0"?>
      <!-- oned -->
      <methodResponse><params><param><value><array><data>
        <value><boolean>1</boolean></value>
        <value>  untyped  </value>
        <value><i4>42</i4></value>
        <value><i8>-9000000000</i8></value>
        <value><string/></value>
      </data></array></value></param></params></methodResponse>`;
    expect(decodeMethodResponse(xml)).toEqual([true, '  untyped  ', 42, -9000000000, '']);
  });

  it('throws XmlRpcFaultAnswer with code and text when the answer is a fault', () => {
    const xml = serializeFault(Object.assign(new Error('no such method'), { faultCode: -32601, faultString: 'no such method' }) as never);
    expect(() => decodeMethodResponse(xml)).toThrow(XmlRpcFaultAnswer);
    expect(() => decodeMethodResponse(xml)).toThrow(expect.objectContaining({ faultCode: -32601, faultString: 'no such method' }));
  });

  it('throws XmlRpcSyntaxError naming the offset when the answer is not XML-RPC', () => {
    expect(() => decodeMethodResponse('<html><body>502 Bad Gateway</body></html>')).toThrow(XmlRpcSyntaxError);
    expect(() => decodeMethodResponse('<methodResponse><params><param><value><i4>x</i4></value>')).toThrow(/not a number at offset/);
    expect(() => decodeMethodResponse('<methodResponse><params><param><value>a & b</value></param></params></methodResponse>')).toThrow(
      /bare &/,
    );
  });
});
