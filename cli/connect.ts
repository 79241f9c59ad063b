import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { join } from 'node:path';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Command } from 'commander';
import { edgeHome, ensureDaemon, sandboxToken } from '../sandbox/daemon';
import { ApiClient } from './api-client';
import type { SecretStore } from '../lambdas/provisioning/ports/secrets';
import { FileSecretStore } from '../sandbox/file-secret-store';
import type { CliIo } from './io';

/** The edgectl entry script, which `serve` runs as the background daemon. */
export const EDGECTL_ENTRY = join(__dirname, '..', 'bin', 'edgectl.cjs');

/**
 * Where `create` keeps a descriptor's inline credentials: the local sandbox's
 * secret store (its daemon reads them from there); undefined for another
 * endpoint, which never receives credentials.
 */
export function localSecretStore(command: Command, io: CliIo): SecretStore | undefined {
  const opts = command.optsWithGlobals<{ endpoint?: string }>();
  if (opts.endpoint ?? io.env['EDGE_ENDPOINT']) return undefined;
  return new FileSecretStore(join(edgeHome(io.env, io.cwd), 'secrets.json'));
}

/**
 * The API a command talks to: `--endpoint URL` — signed with SigV4 from the
 * default AWS credential chain for a deployed API, or with `EDGE_TOKEN` when
 * one is given or the endpoint is on loopback — or the local sandbox daemon,
 * started in the background on first use.
 */
export async function apiFor(command: Command, io: CliIo): Promise<ApiClient> {
  const opts = command.optsWithGlobals<{ endpoint?: string; token?: string }>();
  const endpoint = opts.endpoint ?? io.env['EDGE_ENDPOINT'];
  if (endpoint) return clientForEndpoint(endpoint, opts.token ?? io.env['EDGE_TOKEN'], io.env);
  const home = edgeHome(io.env, io.cwd);
  const info = await ensureDaemon(home, EDGECTL_ENTRY);
  return ApiClient.withToken(info.url, sandboxToken(home));
}

/**
 * A client of an explicit endpoint: the bearer token when one is given or
 * the endpoint is on loopback (a sandbox), SigV4 with the default credential
 * chain otherwise (a deployed API with IAM authorisation).
 */
export function clientForEndpoint(endpoint: string, token: string | undefined, env: NodeJS.ProcessEnv): ApiClient {
  const base = endpoint.replace(/\/+$/, '');
  if (token !== undefined || isLoopback(base)) return ApiClient.withToken(base, token ?? '');
  return new ApiClient(base, sigV4Authorizer({ region: regionOf(base, env), credentials: defaultCredentials() }));
}

/** True when the URL's host is a loopback address (the sandbox, or a tunnel to it). */
export function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The region of a deployed API: from its `*.execute-api.<region>.amazonaws.com` host, else `AWS_REGION`. */
export function regionOf(url: string, env: NodeJS.ProcessEnv): string {
  const fromHost = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(url).hostname)?.[1];
  const region = fromHost ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  if (!region) throw new Error(`cannot tell the AWS region of ${url}; set AWS_REGION`);
  return region;
}

type Bytes = string | ArrayBuffer | ArrayBufferView;

function toBuffer(data: Bytes): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) on node:crypto, in the shape the SigV4 signer takes. */
export class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: Bytes) {
    this.hash = this.fresh();
  }

  update(data: Bytes): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
}

/** AWS credentials, or a provider of them. */
export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let chain: (() => Promise<Credentials>) | undefined;

/** The default AWS credential chain (environment, profile, SSO, instance role…), resolved once. */
export function defaultCredentials(): () => Promise<Credentials> {
  chain ??= defaultProvider();
  return chain;
}

/**
 * Signs each request with AWS Signature Version 4 for API Gateway's IAM
 * authorisation (service `execute-api`). Returns the headers to add.
 */
export function sigV4Authorizer(options: {
  region: string;
  credentials: Credentials | (() => Promise<Credentials>);
  service?: string;
  now?: () => Date;
}): (init: { method: string; url: string; headers: Record<string, string>; body?: string }) => Promise<Record<string, string>> {
  // The payload hash is in the canonical request either way; execute-api needs no x-amz-content-sha256 header.
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  return async ({ method, url, headers, body }) => {
    const u = new URL(url);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(u.searchParams.keys())) {
      const all = u.searchParams.getAll(key);
      query[key] = all.length === 1 ? (all[0] as string) : all;
    }
    const signed = await signer.sign(
      {
        method,
        protocol: u.protocol,
        hostname: u.hostname,
        ...(u.port ? { port: Number(u.port) } : {}),
        path: u.pathname,
        query,
        headers: { ...headers, host: u.host },
        ...(body !== undefined ? { body } : {}),
      },
      options.now ? { signingDate: options.now() } : {},
    );
    // fetch sets Host itself, from the URL it was given.
    const { host: _host, ...out } = signed.headers;
    return out;
  };
}
