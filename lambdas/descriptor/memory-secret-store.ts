import { NotFoundError } from '../shared/errors';
import type { SecretStore } from '../provisioning/ports/secrets';

/** A {@link SecretStore} in memory: for tests and for commands that must not persist credentials. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, Record<string, string>>();

  get(ref: string): Promise<Record<string, string>> {
    const value = this.secrets.get(ref);
    if (!value) return Promise.reject(new NotFoundError(`no secret ${ref}`));
    return Promise.resolve({ ...value });
  }

  put(name: string, value: Record<string, string>): Promise<string> {
    const ref = `memory:${name}`;
    this.secrets.set(ref, { ...value });
    return Promise.resolve(ref);
  }

  delete(ref: string): Promise<void> {
    this.secrets.delete(ref);
    return Promise.resolve();
  }

  /** References of the stored secrets (never their values). */
  refs(): string[] {
    return [...this.secrets.keys()];
  }
}
