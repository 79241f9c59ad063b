import { utils } from 'ssh2';

/** An OpenSSH key pair: `private` in OpenSSH PEM form, `public` as `ssh-ed25519 AAAA...`. */
export interface SshKeyPair {
  private: string;
  public: string;
}

/**
 * Generates an ed25519 key pair that ssh2 can read back. ssh2 1.17's own
 * generator drops a leading zero byte of the public key about once in 256
 * keys, and the result then fails to parse ("Malformed OpenSSH private key"),
 * so such keys are discarded.
 */
export function generateSshKeyPair(comment?: string): SshKeyPair {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519', comment ? { comment } : undefined);
    if (!(utils.parseKey(pair.private) instanceof Error)) return { private: pair.private, public: pair.public.trim() };
  }
}
