import { createHash } from 'node:crypto';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { AwsConnection } from './connection';

/**
 * Builds one EC2 client per distinct connection and reuses it, so a warm
 * Lambda does not pay client construction (and credential resolution) on
 * every step. Share one instance between the provider and IPAM registries.
 * The SDK is loaded with the first client, so a function that only checks
 * provider names (the API) never loads it.
 */
export class Ec2ClientCache {
  private readonly clients = new Map<string, EC2Client>();

  /** The client for a connection; explicit keys win over the default credential chain. */
  async get(connection: AwsConnection): Promise<EC2Client> {
    // Hashed so the secret key is never kept as a readable map key.
    const id = createHash('sha256')
      .update(
        JSON.stringify([connection.region, connection.endpoint, connection.access_key, connection.secret_key, connection.session_token]),
      )
      .digest('hex');
    let client = this.clients.get(id);
    if (!client) {
      const { newEc2Client } = await import('./new-client');
      client = newEc2Client({
        region: connection.region,
        ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
        ...(connection.access_key && connection.secret_key
          ? {
              credentials: {
                accessKeyId: connection.access_key,
                secretAccessKey: connection.secret_key,
                ...(connection.session_token ? { sessionToken: connection.session_token } : {}),
              },
            }
          : {}),
      });
      this.clients.set(id, client);
    }
    return client;
  }
}

/** Where the AWS drivers get their EC2 client: an injected one (tests) or the cache. */
export interface AwsClientDeps {
  /** Used for every AWS connection when given (tests pass a client mocked with aws-sdk-client-mock). */
  ec2?: EC2Client;
  /** Shared client cache; one is created per registry when omitted. */
  ec2Clients?: Ec2ClientCache;
}

/** Picks the client for a connection from the deps. */
export async function ec2ClientFor(deps: AwsClientDeps, cache: Ec2ClientCache, connection: AwsConnection): Promise<EC2Client> {
  return deps.ec2 ?? (deps.ec2Clients ?? cache).get(connection);
}
