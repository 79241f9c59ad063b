import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { OneUnreachableError } from '../../lambdas/opennebula/errors';
import { XmlRpcTransport } from '../../lambdas/opennebula/transport';

const ANSWER =
  '<?xml version="1.0"?><methodResponse><params><param><value><array><data>' +
  '<value><boolean>1</boolean></value><value><string>ok</string></value></data></array></value></param></params></methodResponse>';

const httpAnswer = () =>
  `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(ANSWER)}\r\nConnection: keep-alive\r\n\r\n${ANSWER}`;

/**
 * A front-end on loopback that answers the first `answerFirst` calls of each
 * connection and resets the connection on the next one, as oned's server
 * does when it closes an idle keep-alive connection while a call is on its way.
 */
async function resettingFrontEnd(answerFirst: number): Promise<{ server: Server; url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer((socket: Socket) => {
    connections += 1;
    let calls = 0;
    socket.on('data', (data) => {
      for (let i = 0; i < data.toString().split('</methodCall>').length - 1; i += 1) {
        calls += 1;
        if (calls > answerFirst) {
          socket.resetAndDestroy();
          return;
        }
        socket.write(httpAnswer());
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC2`, connections: () => connections };
}

describe('XmlRpcTransport', () => {
  let front: Awaited<ReturnType<typeof resettingFrontEnd>>;
  let transport: XmlRpcTransport;

  afterEach(async () => {
    transport.close();
    await new Promise((resolve) => front.server.close(resolve));
  });

  it('sends a call again on a new connection when the reused keep-alive connection was reset', async () => {
    front = await resettingFrontEnd(1);
    transport = new XmlRpcTransport({ endpoint: front.url, timeoutMs: 5_000 });
    await expect(transport.call('one.system.version', ['s'])).resolves.toEqual([true, 'ok']);
    await expect(transport.call('one.system.version', ['s'])).resolves.toEqual([true, 'ok']);
    expect(front.connections()).toBe(2);
  });

  it('fails with OneUnreachableError, without sending again, when a new connection is reset', async () => {
    front = await resettingFrontEnd(0);
    transport = new XmlRpcTransport({ endpoint: front.url, timeoutMs: 5_000 });
    await expect(transport.call('one.system.version', ['s'])).rejects.toBeInstanceOf(OneUnreachableError);
    expect(front.connections()).toBe(1);
  });
});
