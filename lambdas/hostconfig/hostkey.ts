import { createHash } from 'node:crypto';

/** Formats a raw SSH public key blob as OpenSSH does: `ssh-ed25519 AAAA...`. */
export function formatHostKey(blob: Buffer): string {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = length > 0 && length < 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
  return `${type} ${blob.toString('base64')}`;
}

/** `SHA256:...` fingerprint as `ssh-keygen -l` prints it. */
export function hostKeyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Whether the key a host presented is the pinned one. A pin is an OpenSSH
 * public key line (`type base64 [comment]`; the comment is ignored) or a
 * `SHA256:` fingerprint.
 */
export function hostKeyMatches(pin: string, blob: Buffer): boolean {
  const trimmed = pin.trim();
  if (trimmed.startsWith('SHA256:')) return trimmed === hostKeyFingerprint(blob);
  const [type, data] = trimmed.split(/\s+/);
  return type !== undefined && data !== undefined && `${type} ${data}` === formatHostKey(blob);
}
