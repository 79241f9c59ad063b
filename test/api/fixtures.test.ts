import { startMemorySandbox } from '../support/memory-sandbox';
import { call, fixture, fixtureNames } from './api-events';

/** What each API Gateway v2 fixture in test/events/api-gateway must be answered with. */
const EXPECTED: Record<string, { status: number; problem?: string }> = {
  'create-plan-json': { status: 202 },
  'create-descriptor-yaml-base64': { status: 202 },
  'list-running': { status: 200 },
  'list-bad-cursor': { status: 400, problem: 'bad-request' },
  'show-unknown': { status: 404, problem: 'not-found' },
  'delete-cleanup': { status: 404, problem: 'not-found' },
  'retry-unknown': { status: 404, problem: 'not-found' },
  'scale-out': { status: 404, problem: 'not-found' },
  'validate-bad-json': { status: 400, problem: 'bad-request' },
  'validate-text-plain': { status: 415, problem: 'unsupported-media-type' },
  providers: { status: 200 },
  openapi: { status: 200 },
  'schedule-create': { status: 201 },
  'schedule-bad-cron': { status: 422, problem: 'invalid-request' },
  'no-identity': { status: 401, problem: 'unauthenticated' },
  'wrong-method': { status: 405, problem: 'method-not-allowed' },
};

describe('API handler on API Gateway v2 fixtures', () => {
  let s: Awaited<ReturnType<typeof startMemorySandbox>>;
  beforeAll(async () => {
    s = await startMemorySandbox();
  });
  afterAll(async () => {
    for (const sched of (await s.deps.schedules.list('arn:aws:sts::123456789012:assumed-role/edge-operators/alice')).items)
      await s.deps.schedules.delete(sched.id);
    await s.scheduling.scheduler.stop();
    await s.runner.idle();
    await s.close();
  });

  it('has an expectation for every fixture', () => {
    expect(fixtureNames().sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('answers %s with %j', async (name, expected) => {
    const res = await call(s.deps, fixture(name));
    expect(res.statusCode).toBe(expected.status);
    if (expected.problem) {
      expect(res.headers?.['content-type']).toBe('application/problem+json');
      expect(res.json).toMatchObject({
        type: `https://edge-provisioner.dev/problems/${expected.problem}`,
        status: expected.status,
        title: expect.any(String),
        detail: expect.any(String),
      });
    } else expect(res.headers?.['content-type']).toBe('application/json');
  });

  it('answers a retried fixture create with the same provision (Idempotency-Key)', async () => {
    const a = await call(s.deps, fixture('create-plan-json'));
    const b = await call(s.deps, fixture('create-plan-json'));
    expect(b.json['id']).toBe(a.json['id']);
    // The same request by another caller is another provision.
    const other = await call(s.deps, fixture('create-plan-json', 'arn:aws:iam::123456789012:user/carol'));
    expect(other.json['id']).not.toBe(a.json['id']);
  });
});
