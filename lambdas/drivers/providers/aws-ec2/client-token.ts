import { createHash } from 'node:crypto';

/** Longest `ClientToken` RunInstances accepts. */
export const MAX_CLIENT_TOKEN_LENGTH = 64;

/**
 * The RunInstances `ClientToken` for an idempotency key. A key that already
 * fits (≤ 64 printable ASCII characters) is used verbatim so it stays
 * readable in the console; any other key is hashed, deterministically, so a
 * retry sends the same token and EC2 returns the instance it already made.
 */
export function clientTokenFor(idempotencyKey: string): string {
  if (idempotencyKey.length > 0 && idempotencyKey.length <= MAX_CLIENT_TOKEN_LENGTH && /^[\x21-\x7e]+$/.test(idempotencyKey)) {
    return idempotencyKey;
  }
  return `ep-${createHash('sha256')
    .update(idempotencyKey, 'utf8')
    .digest('hex')
    .slice(0, MAX_CLIENT_TOKEN_LENGTH - 3)}`;
}
