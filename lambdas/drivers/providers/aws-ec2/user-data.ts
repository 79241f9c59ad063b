import { ProviderConfigError } from '../../../shared/errors';

const PUBLIC_KEY =
  /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( [^\r\n]*)?$/;

/**
 * Cloud-init user data (base64, as RunInstances wants it) that installs the
 * configuration runner's public key. For `root` logins, root keeps the key
 * usable instead of cloud-init's default "please log in as ubuntu" stub.
 * The key is checked and emitted as a JSON string (valid YAML) so nothing in
 * it can add cloud-init directives.
 */
export function cloudInitUserData(sshPublicKey: string | undefined, remoteUser: string): string | undefined {
  if (!sshPublicKey) return undefined;
  const key = sshPublicKey.trim();
  if (!PUBLIC_KEY.test(key)) throw new ProviderConfigError('the SSH public key for cloud-init is not a single OpenSSH public key line');
  const lines = ['#cloud-config', 'ssh_authorized_keys:', `  - ${JSON.stringify(key)}`];
  if (remoteUser === 'root') lines.push('disable_root: false');
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8').toString('base64');
}
