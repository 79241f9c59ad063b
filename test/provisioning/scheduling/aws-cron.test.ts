import fc from 'fast-check';
import { isTimezone, nextFireTime, parseAwsCron, type AwsCron } from '../../../lambdas/provisioning/scheduling/aws-cron';

function cron(text: string): AwsCron {
  const parsed = parseAwsCron(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.cron;
}

function runs(text: string, from: string, n: number, timezone = 'UTC'): string[] {
  const out: string[] = [];
  let at: Date | undefined = new Date(from);
  for (let i = 0; i < n && at; i += 1) {
    at = nextFireTime(cron(text), timezone, at);
    if (at) out.push(at.toISOString());
  }
  return out;
}

describe('parseAwsCron', () => {
  it('normalises the expression and accepts it with or without the cron() wrapper', () => {
    expect(cron('0 8 ? * MON-FRI *').expression).toBe('cron(0 8 ? * MON-FRI *)');
    expect(cron(' cron(0  8 ? * MON-FRI *) ').expression).toBe('cron(0 8 ? * MON-FRI *)');
  });

  it("converts day-of-week from AWS's 1-7 (Sunday first) to croner's 0-6", () => {
    expect(cron('0 8 ? * 2-6 *').cronerPattern).toBe('0 0 8 * * 1-5');
    expect(cron('0 8 ? * MON-FRI *').cronerPattern).toBe('0 0 8 * * 1-5');
    expect(cron('0 8 ? * 1,7 *').cronerPattern).toBe('0 0 8 * * 0,6');
    expect(cron('0 8 ? * 6#3 *').cronerPattern).toBe('0 0 8 * * 5#3');
    expect(cron('0 8 ? * 6L *').cronerPattern).toBe('0 0 8 * * 5#L');
    expect(cron('0/15 * L JAN,JUL ? *').cronerPattern).toBe('0 0-59/15 * L 1,7 *');
    expect(cron('0 0/25 ? * * *').cronerPattern).toBe('0 0 0 * * *');
  });

  it.each([
    ['0 8 * * MON-FRI *', 'exactly one of'],
    ['0 8 ? * ? *', 'exactly one of'],
    ['0 8 ? * MON-FRI', '6 fields'],
    ['60 8 ? * MON *', 'minutes: 60'],
    ['0 24 ? * MON *', 'hours: 24'],
    ['0 8 ? * 8 *', 'day-of-week: 8'],
    ['0 8 ? * FUN *', 'day-of-week'],
    ['0 8 15W * ? *', "'W'"],
    ['0 8 ? * MON 1969', 'year: 1969'],
    ['0 8 ? * 5-2 *', 'backwards'],
    ['0/0 8 ? * MON *', 'step'],
  ])('refuses %s', (text, message) => {
    const parsed = parseAwsCron(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toContain(message);
  });
});

describe('nextFireTime', () => {
  it('fires on weekdays at 08:00 only', () => {
    // 2026-01-02 is a Friday.
    expect(runs('0 8 ? * MON-FRI *', '2026-01-02T09:00:00Z', 3)).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-06T08:00:00.000Z',
      '2026-01-07T08:00:00.000Z',
    ]);
  });

  it('reads the expression in the schedule’s time zone', () => {
    expect(runs('0 8 ? * MON-FRI *', '2026-01-02T09:00:00Z', 1, 'Europe/Berlin')).toEqual(['2026-01-05T07:00:00.000Z']);
    // Summer time: 08:00 in Berlin is 06:00 UTC.
    expect(runs('0 8 ? * MON-FRI *', '2026-07-02T09:00:00Z', 1, 'Europe/Berlin')).toEqual(['2026-07-03T06:00:00.000Z']);
  });

  it('honours the year field, and ends when its years are past', () => {
    expect(runs('0 0 1 JAN ? 2028,2030', '2026-06-01T00:00:00Z', 3)).toEqual(['2028-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z']);
    expect(runs('0 0 1 JAN ? 2020', '2026-06-01T00:00:00Z', 1)).toEqual([]);
  });

  it('fires on the last Friday and the third Friday of the month', () => {
    expect(runs('0 8 ? * 6L *', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-30T08:00:00.000Z', '2026-02-27T08:00:00.000Z']);
    expect(runs('0 8 ? * FRI#3 *', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-16T08:00:00.000Z']);
  });

  it('always moves forward and lands on a minute for any valid minute/hour/weekday expression', () => {
    const field = (max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min: 0, max }).map(String),
        fc.integer({ min: 1, max: 30 }).map((n) => `0/${n}`),
      );
    fc.assert(
      fc.property(
        field(59),
        field(23),
        fc.integer({ min: 1, max: 7 }),
        fc.date({ min: new Date('2025-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        (m, h, d, from) => {
          const next = nextFireTime(cron(`${m} ${h} ? * ${d} *`), 'UTC', from);
          return next !== undefined && next > from && next.getUTCSeconds() === 0 && next.getUTCDay() === d - 1;
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('isTimezone', () => {
  it('knows IANA zones and refuses others', () => {
    expect(isTimezone('Europe/Berlin')).toBe(true);
    expect(isTimezone('Mars/Olympus')).toBe(false);
  });
});
