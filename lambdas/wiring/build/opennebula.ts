import { createOpenNebulaPort, type OpenNebulaPortOptions } from '../../opennebula';
import type { OpenNebulaPort } from '../../provisioning/ports/opennebula';
import type { SecretStore } from '../../provisioning/ports/secrets';
import { ProviderConfigError } from '../../shared/errors';

/** Fields of the OpenNebula secret. */
const FIELDS = ['endpoint', 'user', 'password'] as const;

/**
 * The OpenNebula port from a secret `{endpoint, user, password}`, built on
 * first use and kept. A failed build (the secret unreadable, a field
 * missing) is not kept: the next call reads the secret again, so a fixed
 * secret is picked up without a cold start.
 */
export function openNebulaFromSecret(
  secrets: SecretStore,
  ref: string,
  tuning: Omit<OpenNebulaPortOptions, (typeof FIELDS)[number]>,
): () => Promise<OpenNebulaPort> {
  let port: Promise<OpenNebulaPort> | undefined;
  return () => {
    if (port) return port;
    const building = secrets.get(ref).then((secret) => {
      const missing = FIELDS.filter((f) => !secret[f]);
      if (missing.length) throw new ProviderConfigError(`OpenNebula secret ${ref} lacks ${missing.join(', ')}`);
      return createOpenNebulaPort({
        ...tuning,
        endpoint: secret['endpoint'] ?? '',
        user: secret['user'] ?? '',
        password: secret['password'] ?? '',
      });
    });
    port = building;
    building.catch(() => {
      if (port === building) port = undefined;
    });
    return building;
  };
}
