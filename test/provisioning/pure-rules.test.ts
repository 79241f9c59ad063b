import { ipShare, idempotencyKey } from '../../lambdas/provisioning/context';
import { resolveDeferred } from '../../lambdas/provisioning/deferred';
import { newProvisionId } from '../../lambdas/provisioning/commands';
import { matchesPattern } from '../../sandbox/event-pattern';
import { simEdgePlan } from '../support/plans';

describe('ipShare', () => {
  it('spreads a network’s public IPs evenly, host i taking IPs i, i+N, …', () => {
    const net = { ...simEdgePlan().networks[0]!, publicIps: 5 };
    expect([0, 1, 2].map((i) => ipShare(net, 3, i))).toEqual([2, 2, 1]);
    expect([0, 1].map((i) => ipShare({ ...net, publicIps: 0 }, 2, i))).toEqual([0, 0]);
  });
});

describe('resolveDeferred', () => {
  it('fills cluster ids and host facts, and lists what is still waiting', () => {
    const out = resolveDeferred(
      { CLUSTER: '${cluster.0.id}', PHYDEV: '${updates.default_ipv4_nic}', REPLICA: '${updates.first_host}', PLAIN: 'x' },
      { clusterId: 100, updates: { default_ipv4_nic: 'eth0' } },
    );
    expect(out.ready).toEqual({ CLUSTER: '100', PHYDEV: 'eth0', PLAIN: 'x' });
    expect(out.waiting).toEqual(['REPLICA']);
  });
});

describe('provision ids and idempotency keys', () => {
  it('derives the same id from the same owner and key, and different ids otherwise', () => {
    expect(newProvisionId('alice', 'k1')).toBe(newProvisionId('alice', 'k1'));
    expect(newProvisionId('alice', 'k1')).not.toBe(newProvisionId('bob', 'k1'));
    expect(newProvisionId()).toMatch(/^p-[0-9a-f]{12}$/);
  });

  it('keeps provider keys within the 64 characters of an EC2 ClientToken', () => {
    expect(idempotencyKey('p-0123456789ab', 'ip', 'x'.repeat(80), 3)).toHaveLength(64);
  });
});

describe('matchesPattern (local bus rules)', () => {
  const event = { source: 'game.events', 'detail-type': 'Tournament Finished', detail: { edge: 'fra-1', score: 7 } };

  it('matches listed values, nested detail fields and content filters', () => {
    expect(matchesPattern({ source: ['game.events'], detail: { edge: ['fra-1'] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { edge: [{ prefix: 'fra' }], score: [{ numeric: ['>', 5] }] } }, event)).toBe(true);
    expect(matchesPattern({ detail: { missing: [{ exists: false }] } }, event)).toBe(true);
  });

  it('rejects a different value, a missing field and anything-but', () => {
    expect(matchesPattern({ detail: { edge: ['ams-1'] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { missing: ['x'] } }, event)).toBe(false);
    expect(matchesPattern({ detail: { edge: [{ 'anything-but': ['fra-1'] }] } }, event)).toBe(false);
  });
});
