import { createSshHostConfigurator, privateKeyFromSecret, type SshHostConfiguratorOptions } from '../../hostconfig';
import type { HostConfigurator } from '../../provisioning/ports/host-configurator';
import type { SecretStore } from '../../provisioning/ports/secrets';

/**
 * The SSH host configurator, its private key read from a secret
 * (`privateKey`) at each connection and never kept, so a rotated key is used
 * at once and a failed read is retried by the next connection.
 */
export function sshConfiguratorFromSecret(
  secrets: SecretStore,
  ref: string,
  tuning: Omit<SshHostConfiguratorOptions, 'privateKey'> = {},
): HostConfigurator {
  return createSshHostConfigurator({ ...tuning, privateKey: privateKeyFromSecret(secrets, ref) });
}
