import { createOpenNebulaPort, splitSession, type OpenNebulaPortOptions } from '../../opennebula';
import type { OpenNebulaPort } from '../../provisioning/ports/opennebula';
import type { SecretStore } from '../../provisioning/ports/secrets';
import { ProviderConfigError } from '../../shared/errors';

/**
 * The front-end settings a secret holds: `endpoint` plus `user`/`password`,
 * or a `session` `user:password` (what ONE_AUTH holds).
 */
function frontendSettings(ref: string, secret: Record<string, string>): { endpoint: string; user: string; password: string } {
  const session = secret['session'] ? splitSession(secret['session']) : undefined;
  const settings = {
    endpoint: secret['endpoint'] ?? '',
    user: secret['user'] || session?.user || '',
    password: secret['password'] || session?.password || '',
  };
  const missing = (['endpoint', 'user', 'password'] as const).filter((f) => !settings[f]);
  if (missing.length) throw new ProviderConfigError(`OpenNebula secret ${ref} lacks ${missing.join(', ')} (or a session user:password)`);
  return settings;
}

/**
 * The OpenNebula port from a secret `{endpoint, user, password}` or
 * `{endpoint, session}`, built on first use and kept. A failed build (the
 * secret unreadable, a field missing) is not kept: the next call reads the
 * secret again, so a fixed secret is picked up without a cold start.
 */
export function openNebulaFromSecret(
  secrets: SecretStore,
  ref: string,
  tuning: Omit<OpenNebulaPortOptions, 'endpoint' | 'user' | 'password'>,
): () => Promise<OpenNebulaPort> {
  let port: Promise<OpenNebulaPort> | undefined;
  return () => {
    if (port) return port;
    const building = secrets.get(ref).then((secret) => createOpenNebulaPort({ ...tuning, ...frontendSettings(ref, secret) }));
    port = building;
    building.catch(() => {
      if (port === building) port = undefined;
    });
    return building;
  };
}
