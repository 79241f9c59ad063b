import { formatDescriptorError } from '../../lambdas/descriptor';
import { errorsOf, lines, loadText, planOf, tempTree } from './helpers';

const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';

describe('descriptor secrets', () => {
  it('moves 5.12 inline credentials into the secret store and keeps only a reference', async () => {
    const text = lines(
      "name: 'ec2'",
      'defaults:',
      '  provision:',
      '    driver: ec2',
      '    ec2_access: AKIAEXAMPLE',
      `    ec2_secret: ${SECRET}`,
      '    region_name: eu-west-1',
      '    instancetype: i3.metal',
      'hosts:',
      '  - { im_mad: kvm, vm_mad: kvm, provision: { hostname: h1 } }',
    );
    const { result, store } = await loadText(text, { provisionId: 'p-1' });
    const plan = planOf(result);
    expect(plan.provider).toEqual({
      name: 'aws',
      connectionRef: 'memory:edge-provisioner/p-1/provider-connection',
      settings: { region: 'eu-west-1' },
    });
    expect(plan.hosts[0]?.provision).toEqual({ instancetype: 'i3.metal' });
    expect(await store.get(plan.provider.connectionRef ?? '')).toEqual({ access_key: 'AKIAEXAMPLE', secret_key: SECRET });
    expect(JSON.stringify(plan)).not.toContain(SECRET);
    expect(JSON.stringify(plan)).not.toContain('AKIAEXAMPLE');
  });

  it('removes credentials written into an address range', async () => {
    const text = lines(
      "name: 'edge'",
      'defaults: { provision: { provider_name: sim } }',
      'networks:',
      '  - name: lan',
      '    vn_mad: bridge',
      '    ar:',
      `      - { ip: 10.0.0.1, size: 4, api_token: ${SECRET} }`,
      '  - name: pub',
      '    vn_mad: elastic',
      '    netrole: public',
      `    ar: [{ ipam_mad: sim, size: 1, ipam_secret: ${SECRET} }]`,
    );
    const { result, store } = await loadText(text);
    const plan = planOf(result);
    expect(plan.networks[0]?.addressRanges[0]?.attributes).toEqual({});
    expect(JSON.stringify(plan)).not.toContain(SECRET);
    expect(await store.get(plan.provider.connectionRef ?? '')).toEqual({ api_token: SECRET, ipam_secret: SECRET });
  });

  it('never shows a credential or a password input in an error', async () => {
    const text = lines(
      "name: 'edge'",
      'defaults:',
      '  provision:',
      '    provider_name: aws',
      '    secret_key: ${input.pw}',
      'inputs:',
      '  - { name: pw, type: password, options: [a, b] }',
      'hosts:',
      '  - im_mad: kvm',
      '    vm_mad: kvm',
      '    provision: { hostname: h1, token: [x] }',
    );
    const { result, store } = await loadText(text, { inputs: { pw: SECRET } });
    const printed = errorsOf(result).map(formatDescriptorError).join('\n');
    expect(printed).toContain("input 'pw' must be one of 'a', 'b', found a hidden value");
    expect(printed).not.toContain(SECRET);
    expect(store.refs()).toEqual([]);
  });

  it('stores nothing when the descriptor has errors', async () => {
    const tree = tempTree({ 'p.yml': lines('provider: aws', 'connection: { access_key: k, secret_key: s, region: us-east-1 }') });
    try {
      const { result, store } = await loadText(lines("name: 'x'", 'hosts: [{ im_mad: kvm }]'), { providerFile: `${tree.dir}/p.yml` });
      expect(result.ok).toBe(false);
      expect(store.refs()).toEqual([]);
    } finally {
      tree.cleanup();
    }
  });
});
