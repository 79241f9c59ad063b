/**
 * Credential keys found inline in oneprovision descriptors and provider
 * files. Their values go to the secret store and are never echoed.
 */
const SECRET_KEY_NAMES = new Set([
  'access_key',
  'secret_key',
  'token',
  'key',
  'password',
  'credentials',
  'ec2_access',
  'ec2_secret',
  'packet_token',
  'session_token',
]);

/** Catches provider-specific spellings (`equinix_token`, `api_secret`, ...). */
const SECRET_KEY_PATTERN = /(secret|token|passw|credential|access_key|api_key)/i;

/** True when a key names a credential whose value must not leave the secret store. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_NAMES.has(key.toLowerCase()) || SECRET_KEY_PATTERN.test(key);
}

/**
 * 5.12 descriptors put the provider connection inside `defaults.provision`
 * under driver-specific names; these map them to the 6.x provider-file names.
 */
export const LEGACY_CONNECTION_KEYS: Readonly<Record<string, string>> = {
  ec2_access: 'access_key',
  ec2_secret: 'secret_key',
  region_name: 'region',
  packet_token: 'token',
  packet_project: 'project',
};
