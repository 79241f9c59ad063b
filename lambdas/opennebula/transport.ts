import * as http from 'node:http';
import * as https from 'node:https';
import { decodeMethodResponse, encodeMethodCall, XmlRpcFaultAnswer, type XmlRpcValue } from './xmlrpc';
import { OneTlsError, OneUnreachableError, OneXmlRpcFaultError } from './errors';

/** TLS settings for an `https://` endpoint. */
export interface OneTlsOptions {
  /** PEM CA certificate(s) to trust instead of the system store (self-signed front-ends). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Skip certificate verification. Only for labs: the session string travels in every call. */
  insecure?: boolean;
}

/** Where and how to reach oned. */
export interface XmlRpcTransportOptions {
  /** `http(s)://host:2633` or the full `…/RPC2` URL. */
  endpoint: string;
  /** Upper bound for one call, connect to last byte. */
  timeoutMs: number;
  tls?: OneTlsOptions;
}

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/**
 * What a TLS client sees when the server speaks plain HTTP (`https://` to a
 * front-end without TLS): OpenSSL's "wrong version number" record error.
 */
const PLAIN_HTTP_SERVER = /wrong version number|EPROTO/i;

/** Appends `/RPC2` when the endpoint names only the server. */
export function rpcUrl(endpoint: string): URL {
  const url = new URL(endpoint);
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/RPC2';
  return url;
}

/**
 * XML-RPC over HTTP(S), with a bound on every call and the front-end's TLS
 * settings; the encoding is `./xmlrpc.ts` (which reads oned's `<i4>`,
 * `<i8>`, `<boolean>` and `<string>`).
 */
export class XmlRpcTransport {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;

  constructor(options: XmlRpcTransportOptions) {
    this.url = rpcUrl(options.endpoint);
    this.timeoutMs = options.timeoutMs;
    const secure = this.url.protocol === 'https:';
    if (!secure && this.url.protocol !== 'http:') {
      throw new OneXmlRpcFaultError(`OpenNebula endpoint must be http(s), got ${this.url.protocol}`, 0);
    }
    this.agent = secure
      ? new https.Agent({
          keepAlive: true,
          ca: options.tls?.ca,
          rejectUnauthorized: options.tls?.insecure !== true,
        })
      : new http.Agent({ keepAlive: true });
  }

  /** The endpoint without credentials, for messages. */
  get endpoint(): string {
    const shown = new URL(this.url);
    shown.username = '';
    shown.password = '';
    return shown.toString();
  }

  /** Sends one call; returns the decoded `<param>` value or throws a named error. */
  async call(method: string, params: XmlRpcValue[]): Promise<XmlRpcValue> {
    const body = encodeMethodCall(method, params);
    const text = await this.post(method, body);
    try {
      return decodeMethodResponse(text);
    } catch (err) {
      if (err instanceof XmlRpcFaultAnswer) {
        throw new OneXmlRpcFaultError(`[${method}] XML-RPC fault ${err.faultCode ?? '?'}: ${err.faultString ?? ''}`, err.faultCode ?? 0);
      }
      throw new OneXmlRpcFaultError(`[${method}] answer from ${this.endpoint} is not XML-RPC: ${(err as Error).message}`, 0, {
        cause: err,
      });
    }
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /*
   * A keep-alive connection the front-end closed while idle (oned's HTTP
   * server drops them after KEEPALIVE_TIMEOUT) fails the next call sent on
   * it with ECONNRESET. A read is then sent once more on a new connection; a
   * call that changes something is not, since oned may have acted before the
   * connection went (the steps find such objects by name and tag when they
   * retry), and neither is a reset on a fresh connection.
   */
  private async post(method: string, body: string): Promise<string> {
    try {
      return await this.postOnce(method, body);
    } catch (err) {
      if (!(err instanceof StaleConnectionError)) throw err;
      if (!READ_ONLY_METHOD.test(method)) throw err.failure;
      return this.postOnce(method, body);
    }
  }

  private postOnce(method: string, body: string): Promise<string> {
    const transport = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = transport.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', (err) => reject(this.connectionError(method, err)));
          res.on('end', () => {
            clearTimeout(timer);
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (status >= 500) {
              reject(new OneUnreachableError(`[${method}] ${this.endpoint} answered HTTP ${status}`));
            } else if (status < 200 || status >= 300) {
              reject(new OneXmlRpcFaultError(`[${method}] ${this.endpoint} answered HTTP ${status}`, -status));
            } else {
              resolve(text);
            }
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, this.timeoutMs);
      // A call is one small write; waiting for Nagle's coalescing only adds latency.
      req.setNoDelay(true);
      req.on('error', (err) => {
        clearTimeout(timer);
        const code = (err as NodeJS.ErrnoException).code;
        const failure = this.connectionError(method, err);
        reject(req.reusedSocket && !answered && (code === 'ECONNRESET' || code === 'EPIPE') ? new StaleConnectionError(failure) : failure);
      });
      req.end(body);
    });
  }

  private connectionError(method: string, err: Error): Error {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    // A protocol mismatch is a configuration mistake that no retry can fix.
    if (this.url.protocol === 'https:' && (code === 'EPROTO' || PLAIN_HTTP_SERVER.test(err.message))) {
      return new OneTlsError(
        `[${method}] ${this.endpoint} does not speak TLS (${code || err.message}); it may serve plain HTTP: use an http:// endpoint`,
        undefined,
        { cause: err },
      );
    }
    if (TLS_ERROR_CODES.has(code)) {
      return new OneTlsError(`[${method}] TLS with ${this.endpoint} failed: ${err.message}`, undefined, { cause: err });
    }
    return new OneUnreachableError(`[${method}] cannot reach ${this.endpoint}: ${err.message}`, undefined, { cause: err });
  }
}

/** A call that failed because its reused keep-alive connection was reset; `failure` is what the caller sees if it is not sent again. */
class StaleConnectionError extends Error {
  constructor(readonly failure: Error) {
    super(failure.message);
  }
}

/** XML-RPC methods that only read: sending one twice changes nothing. */
const READ_ONLY_METHOD = /^one\.(system\.(version|config)|[a-z]+pool\.info(extended)?|[a-z]+\.info)$/;
