import { utils } from 'ssh2';

import { formatHostKey, hostKeyFingerprint, hostKeyMatches } from '../../lambdas/hostconfig/hostkey';
import { generateSshKeyPair } from '../../lambdas/hostconfig/keys';

const key = generateSshKeyPair().public.trim();
const blob = Buffer.from(key.split(' ')[1] ?? '', 'base64');

describe('hostkey', () => {
  it('formats a raw key blob as an OpenSSH public key', () => {
    expect(formatHostKey(blob)).toBe(key.split(' ').slice(0, 2).join(' '));
  });

  it('matches a pin by key material, ignoring the comment', () => {
    expect(hostKeyMatches(`${key} root@host`, blob)).toBe(true);
    expect(hostKeyMatches(hostKeyFingerprint(blob), blob)).toBe(true);
  });

  it('does not match another key', () => {
    const other = generateSshKeyPair().public.trim();
    expect(hostKeyMatches(other, blob)).toBe(false);
    expect(hostKeyMatches('SHA256:AAAA', blob)).toBe(false);
    expect(hostKeyMatches('garbage', blob)).toBe(false);
  });
});

describe('generateSshKeyPair', () => {
  it('only returns keys ssh2 can read back', () => {
    for (let i = 0; i < 600; i += 1) {
      const pair = generateSshKeyPair();
      expect(utils.parseKey(pair.private)).not.toBeInstanceOf(Error);
    }
  });
});
