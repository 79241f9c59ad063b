import type { SecretStore } from '../provisioning/ports/secrets';

/**
 * A key source for `createSshHostConfigurator({ privateKey })` that reads the
 * key from the secret store each time a connection is made, so it is held in
 * memory only while connecting and never logged.
 */
export function privateKeyFromSecret(store: SecretStore, ref: string, field = 'privateKey'): () => Promise<string> {
  return async () => {
    const secret = await store.get(ref);
    const key = secret[field];
    if (!key) throw new Error(`secret ${ref} has no field ${field}`);
    return key;
  };
}
