import type { ProviderRef } from '../plan';
import type { SecretStore } from './secrets';

/**
 * Builds the driver of a provider reference (`ProviderDriver` or `IpamDriver`):
 * checks the connection keys, reads the referenced secret, and fails with a
 * named error for a retired, unknown or refused provider.
 */
export interface DriverRegistry<T> {
  /** Provider names this registry accepts. */
  names(): string[];
  /**
   * Why this deployment would refuse a provider name (retired, unknown, or
   * known but switched off here); undefined when it accepts it. Checked
   * before anything is stored or bought.
   */
  refusal(name: string): string | undefined;
  /** The driver for a plan's provider reference, its secret read when referenced. */
  create(ref: Pick<ProviderRef, 'name' | 'connectionRef' | 'settings'>, secrets?: SecretStore): Promise<T>;
}
