import { clientTokenFor } from '../../../lambdas/drivers/providers/aws-ec2/client-token';
import { architectureOf, kvmSupport } from '../../../lambdas/drivers/providers/aws-ec2/instance-types';
import { cloudInitUserData } from '../../../lambdas/drivers/providers/aws-ec2/user-data';

describe('clientTokenFor', () => {
  it('keeps a short ASCII key and hashes anything else deterministically', () => {
    expect(clientTokenFor('p1-host-3')).toBe('p1-host-3');
    const long = clientTokenFor('k'.repeat(65));
    expect(long).toHaveLength(64);
    expect(clientTokenFor('k'.repeat(65))).toBe(long);
    expect(clientTokenFor('hôte-1')).toMatch(/^ep-[0-9a-f]{61}$/);
    expect(clientTokenFor('has space')).not.toBe('has space');
  });
});

describe('kvmSupport', () => {
  it('accepts metal and nested-virtualisation types only', () => {
    expect(['c5.metal', 'm7i.metal-48xl', 'i4i.metal', 'c8g.metal-24xl'].map(kvmSupport)).toEqual(['metal', 'metal', 'metal', 'metal']);
    expect(['c8i.large', 'm8i-flex.xlarge', 'r8i.4xlarge'].map(kvmSupport)).toEqual(['nested', 'nested', 'nested']);
    expect(['t3.micro', 'c7i.large', 'm8g.large'].map(kvmSupport)).toEqual(['none', 'none', 'none']);
  });

  it('tells Graviton types apart for the default image', () => {
    expect(architectureOf('m7g.metal')).toBe('arm64');
    expect(architectureOf('c8gd.metal-48xl')).toBe('arm64');
    expect(architectureOf('c5.metal')).toBe('x86_64');
  });
});

describe('cloudInitUserData', () => {
  it('rejects anything but one public key line', () => {
    expect(() => cloudInitUserData('ssh-ed25519 AAAA\nruncmd: [reboot]', 'ubuntu')).toThrow(
      expect.objectContaining({ name: 'ProviderConfigError' }),
    );
    expect(cloudInitUserData(undefined, 'ubuntu')).toBeUndefined();
  });
});
