import { ValidationError } from '../../lambdas/shared/errors';
import { PARAMS, validateParams } from '../../lambdas/hostconfig/params';

const HOSTILE = ['"; rm -rf / #', '$(touch /tmp/pwned)', '`touch /tmp/pwned`', 'a\ntouch /tmp/pwned'];
const FREE_TEXT = ['EDGE_PROVISION_NAME'];

describe('validateParams', () => {
  it('accepts well-formed values', () => {
    expect(() =>
      validateParams({
        EDGE_PROVISION_ID: 'p-1',
        EDGE_HOST_NAME: 'edge-host-1.example.org',
        EDGE_HOST_INDEX: '0',
        EDGE_ONE_VERSION: '7.0',
        EDGE_ONE_REPO_URL: 'https://mirror.example.org/opennebula/repo',
        EDGE_FRONTEND_PUBKEY: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIxISxxV8zbOpgxjTzSTliNKwL2abTb oneadmin@fe',
        EDGE_SSH_PORT: '22',
        EDGE_PEERS: '10.0.0.2 10.0.0.3',
        EDGE_VNI: '16777215',
        EDGE_EVPN_LISTEN_RANGE: '10.0.0.0/16',
        EDGE_PROVISION_NAME: 'Team "edge" — Frankfurt',
      }),
    ).not.toThrow();
  });

  it('refuses names outside the allow-list', () => {
    expect(() => validateParams({ LD_PRELOAD: '/tmp/x.so' })).toThrow(ValidationError);
  });

  it.each(Object.keys(PARAMS).filter((name) => !FREE_TEXT.includes(name)))('refuses hostile values in %s', (name) => {
    for (const value of HOSTILE) expect(() => validateParams({ [name]: value })).toThrow(ValidationError);
  });

  it('lets free text through only without control characters', () => {
    expect(() => validateParams({ EDGE_PROVISION_NAME: '"; rm -rf / # $(x) `y`' })).not.toThrow();
    expect(() => validateParams({ EDGE_PROVISION_NAME: 'a\nb' })).toThrow(ValidationError);
  });

  it('names every bad field', () => {
    try {
      validateParams({ EDGE_VNI: '0', EDGE_PEERS: '10.0.0.1 nope' });
      throw new Error('no error');
    } catch (err) {
      expect((err as ValidationError).errors.map((e) => e.path)).toEqual(['params.EDGE_VNI', 'params.EDGE_PEERS']);
    }
  });
});
