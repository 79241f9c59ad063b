/**
 * Where credentials live: Secrets Manager in AWS, a local file in the sandbox.
 * Values are read only at the moment they are used and never logged.
 */
export interface SecretStore {
  /** Returns the secret's key/value pairs; throws NotFoundError when missing. */
  get(ref: string): Promise<Record<string, string>>;
  /** Stores (or replaces) a secret and returns its reference. */
  put(name: string, value: Record<string, string>): Promise<string>;
  /** Deletes a secret; a missing one is not an error. */
  delete(ref: string): Promise<void>;
}
