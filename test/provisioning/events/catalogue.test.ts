import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CATALOGUE_VERSION,
  EVENT_DETAIL_SCHEMAS,
  eventJsonSchema,
  kebab,
  type EventDetail,
  type EventEnvelope,
} from '../../../lambdas/provisioning/events/catalogue';
import { DETAIL_TYPES, EVENT_SOURCE, type DetailType } from '../../../lambdas/provisioning/ports/events';
import { EVENT_SCHEMA_VERSION } from '../../../lambdas/provisioning/lifecycle';
import { EVENT_SCHEMA_DIR, eventSchemaProblems } from '../../support/event-schemas';

const id = 'p-0123456789ab';
const who = { version: CATALOGUE_VERSION, provisionId: id, name: 'fra-edge', owner: 'arn:aws:iam::123456789012:user/alice' } as const;
const host = { version: CATALOGUE_VERSION, provisionId: id, host: 'edge-host0', index: 0 } as const;
const op = {
  version: CATALOGUE_VERSION,
  provisionId: id,
  operationId: 'op-0123456789ab',
  kind: 'scale-out',
  summary: 'add 1 host(s)',
} as const;

/** One typed detail per detail-type: the compiler checks them against the catalogue's types. */
const FIXTURES: { [T in DetailType]: EventDetail<T> } = {
  'Provision Requested': { ...who, provider: 'aws', hosts: 3 },
  'Provision Running': { ...who, hosts: 3, healthyHosts: 3, ttlSeconds: 36000, expiresAt: '2026-11-25T18:00:00.000Z' },
  'Provision Degraded': { ...who, hosts: 3, healthyHosts: 2 },
  'Provision Failed': {
    ...who,
    step: 'allocate',
    errorName: 'ProviderCapacityError',
    message: 'no capacity',
    onError: 'rollback',
    rolledBack: true,
  },
  'Provision Deleting': { ...who, cleanup: true },
  'Provision Deleted': { ...who },
  'Provision Expired': { ...who, ttlSeconds: 36000, expiresAt: '2026-11-25T18:00:00.000Z' },
  'Host Allocated': { ...host, providerId: 'i-0abc' },
  'Host Configured': { ...host, roles: ['os', 'packages'] },
  'Host Registered': { ...host, oneId: 104 },
  'Host Failed': { ...host, step: 'configure', errorName: 'RoleFailedError', message: 'role packages exited 100' },
  'Host Released': { ...host, providerId: 'i-0abc' },
  'Ip Assigned': { ...host, address: '198.51.100.7', network: 'fra-public' },
  'Ip Released': { ...host, address: '2001:db8::7', network: 'fra-public' },
  'Operation Started': { ...op, hosts: ['edge-host2'] },
  'Operation Succeeded': { ...op, state: 'RUNNING' },
  'Operation Failed': {
    ...op,
    step: 'allocate',
    errorName: 'ProviderCapacityError',
    message: 'no capacity',
    state: 'RUNNING',
    undone: true,
  },
  'Host Added': { ...host, operationId: op.operationId, oneId: 105 },
  'Host Removed': { ...host, operationId: op.operationId, vmsTerminated: [12] },
  'Host Powered Off': { ...host, operationId: op.operationId, vmsPoweredOff: [] },
  'Host Rebooted': { ...host, operationId: op.operationId, hard: false, vmsResumed: [] },
  'Host Resumed': { ...host, operationId: op.operationId, vmsResumed: [12] },
  'Ip Added': { ...host, operationId: op.operationId, address: '198.51.100.8', network: 'fra-public' },
  'Ip Removed': { ...host, operationId: op.operationId, address: '198.51.100.8', network: 'fra-public' },
};

function envelope<T extends DetailType>(detailType: T, detail: EventDetail<T>): EventEnvelope<T> {
  return { source: EVENT_SOURCE, 'detail-type': detailType, detail, id: 'e-1', time: '2026-11-25T08:00:00Z' };
}

describe('event catalogue', () => {
  it('has a published schema file per detail-type, equal to the one generated from the catalogue', () => {
    const update = process.env['UPDATE_EVENT_SCHEMAS'] === '1';
    for (const t of DETAIL_TYPES) {
      const file = join(EVENT_SCHEMA_DIR, `${kebab(t)}.v${CATALOGUE_VERSION}.json`);
      const generated = `${JSON.stringify(eventJsonSchema(t), null, 2)}\n`;
      if (update) writeFileSync(file, generated);
      expect(existsSync(file) ? readFileSync(file, 'utf8') : `missing ${file}`).toBe(generated);
    }
    const files = readdirSync(EVENT_SCHEMA_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(DETAIL_TYPES.map((t) => `${kebab(t)}.v1.json`).sort());
  });

  it('lists every detail-type in docs/events/README.md', () => {
    const readme = readFileSync(join(EVENT_SCHEMA_DIR, 'README.md'), 'utf8');
    for (const t of DETAIL_TYPES) expect(readme).toContain(`${kebab(t)}.v1.json`);
  });

  it('accepts a typed detail of every detail-type, through the zod schema and the published JSON schema', () => {
    for (const t of DETAIL_TYPES) expect(EVENT_DETAIL_SCHEMAS[t].safeParse(FIXTURES[t]).success).toBe(true);
    expect(eventSchemaProblems(DETAIL_TYPES.map((t) => envelope(t, FIXTURES[t] as never)))).toEqual([]);
  });

  it('refuses an undocumented field, a wrong type, a missing field and a foreign detail-type', () => {
    const problems = eventSchemaProblems([
      envelope('Host Registered', { ...FIXTURES['Host Registered'], extra: 1 } as never),
      envelope('Host Registered', { ...FIXTURES['Host Registered'], oneId: 'x' } as never),
      { source: EVENT_SOURCE, 'detail-type': 'Provision Deleted', detail: { version: '1', provisionId: id } } as never,
      envelope('Ip Assigned', { ...FIXTURES['Ip Assigned'], address: 'not-an-ip' }),
      { source: EVENT_SOURCE, 'detail-type': 'Provision Exploded' },
    ]);
    expect(problems).toHaveLength(5);
  });

  it('versions details with the version the lifecycle stamps', () => {
    expect(EVENT_SCHEMA_VERSION).toBe(CATALOGUE_VERSION);
  });
});
