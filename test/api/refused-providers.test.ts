import { startMemorySandbox } from '../support/memory-sandbox';
import { simEdgePlan } from '../support/plans';
import { manualWorkflows } from '../fakes/manual-workflows';
import { apiEvent, call } from './api-events';

type S = Awaited<ReturnType<typeof startMemorySandbox>>;

const AWS_DESCRIPTOR = `
name: aws-edge
defaults:
  provision:
    provider_name: aws
    region: eu-central-1
cluster:
  name: aws-edge
hosts:
  - im_mad: kvm
    vm_mad: kvm
    provision:
      hostname: aws-host0
      instancetype: c5.metal
`;

describe('a provider the deployment does not accept', () => {
  let s: S;
  beforeAll(async () => {
    s = await startMemorySandbox();
    s.deps.workflows = manualWorkflows();
  });
  afterAll(async () => {
    await s.close();
  });

  it('is not listed by GET /providers', async () => {
    const res = await call(s.deps, apiEvent({ method: 'GET', path: '/providers' }));
    expect(res.json['providers']).toEqual(['sim']);
    expect(res.json['ipams']).toEqual(['sim']);
  });

  it.each(['aws', 'ec2', 'onprem'])('is a 422 at POST /provisions for %s, with nothing stored or started', async (name) => {
    const plan = simEdgePlan({ provider: { name, settings: { region: 'eu-central-1' } } });
    const res = await call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: JSON.stringify({ plan }) }));
    expect(res.statusCode).toBe(422);
    expect(res.json['errors']).toEqual([
      expect.objectContaining({ path: 'provider.name', message: expect.stringContaining('EDGE_REAL_PROVIDERS=1') }),
    ]);
    const list = await call(s.deps, apiEvent({ method: 'GET', path: '/provisions' }));
    expect(list.json['items']).toEqual([]);
  });

  it('is a 422 at POST /validate for a descriptor naming it', async () => {
    const res = await call(
      s.deps,
      apiEvent({ method: 'POST', path: '/validate', body: AWS_DESCRIPTOR, headers: { 'content-type': 'application/yaml' } }),
    );
    expect(res.statusCode).toBe(422);
    expect(JSON.stringify(res.json['errors'])).toContain('provider.name');
  });

  it('is a 422 for a public network whose IPAM is refused', async () => {
    const base = simEdgePlan();
    const plan = { ...base, networks: base.networks.map((n) => (n.role === 'public' ? { ...n, ipam: 'aws' } : n)) };
    const res = await call(s.deps, apiEvent({ method: 'POST', path: '/provisions', body: JSON.stringify({ plan }) }));
    expect(res.statusCode).toBe(422);
    expect(res.json['errors']).toEqual([expect.objectContaining({ path: 'networks.0.ipam' })]);
  });
});
