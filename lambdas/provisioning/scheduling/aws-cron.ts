import { Cron } from 'croner';

/**
 * EventBridge Scheduler cron expressions: `cron(minutes hours day-of-month
 * month day-of-week year)`. Day-of-week counts 1–7 from Sunday; one of the
 * two day fields must be `?`. The nearest-weekday `W` is refused (the local
 * scheduler cannot run it), so an expression valid here runs the same in AWS
 * and in the sandbox.
 */
export interface AwsCron {
  /** Normalised form, `cron(…)` with single spaces. */
  expression: string;
  /** Six-field croner pattern (seconds first, day-of-week 0–6 from Sunday) for the local scheduler. */
  cronerPattern: string;
  /** The years the expression allows. */
  yearMatches(year: number): boolean;
}

/** Parse result: the cron, or why it is not one. */
export type AwsCronResult = { ok: true; cron: AwsCron } | { ok: false; error: string };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Names for 1-based values (JAN=1, SUN=1). */
  names?: string[];
}

const SPECS = {
  minutes: { name: 'minutes', min: 0, max: 59 },
  hours: { name: 'hours', min: 0, max: 23 },
  dayOfMonth: { name: 'day-of-month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS },
  dayOfWeek: { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  year: { name: 'year', min: 1970, max: 2199 },
} satisfies Record<string, FieldSpec>;

/** One list item: `*`, `v`, `a-b`, each optionally `/step`, as numbers. */
interface Item {
  from: number;
  to: number;
  step: number;
  star: boolean;
}

class CronSyntaxError extends Error {}

function value(text: string, spec: FieldSpec): number {
  const upper = text.toUpperCase();
  const byName = spec.names?.indexOf(upper) ?? -1;
  if (byName >= 0) return byName + 1;
  if (!/^\d+$/.test(text)) throw new CronSyntaxError(`${spec.name}: '${text}' is not a number${spec.names ? ' or name' : ''}`);
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new CronSyntaxError(`${spec.name}: ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

function item(text: string, spec: FieldSpec): Item {
  const [base = '', stepText, extra] = text.split('/');
  if (extra !== undefined || base === '') throw new CronSyntaxError(`${spec.name}: '${text}' is not a value, range or step`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
      throw new CronSyntaxError(`${spec.name}: step '${stepText}' must be a positive number`);
    step = Number(stepText);
  }
  if (base === '*') return { from: spec.min, to: spec.max, step, star: true };
  const [a = '', b, more] = base.split('-');
  if (more !== undefined) throw new CronSyntaxError(`${spec.name}: '${text}' is not a range`);
  const from = value(a, spec);
  const to = b === undefined ? (stepText !== undefined ? spec.max : from) : value(b, spec);
  if (to < from) throw new CronSyntaxError(`${spec.name}: range '${base}' runs backwards`);
  return { from, to, step, star: false };
}

function items(field: string, spec: FieldSpec): Item[] {
  return field.split(',').map((part) => item(part, spec));
}

/** Renders items back as a croner field, shifting values by `offset` (day-of-week: −1). */
function render(list: Item[], offset = 0): string {
  return list
    .map((i) => {
      // A step past the range's end leaves only its start (croner refuses such steps).
      if (i.step > i.to - i.from) return `${i.from + offset}`;
      const step = i.step > 1 ? `/${i.step}` : '';
      if (i.star) return `*${step}`;
      const range = i.from === i.to && !step ? `${i.from + offset}` : `${i.from + offset}-${i.to + offset}`;
      return `${range}${step}`;
    })
    .join(',');
}

function dayOfMonth(field: string): string {
  if (field === '?') return '*';
  if (field.toUpperCase() === 'L') return 'L';
  if (/W/i.test(field)) throw new CronSyntaxError("day-of-month: the nearest-weekday 'W' is not supported");
  return render(items(field, SPECS.dayOfMonth));
}

function dayOfWeek(field: string): string {
  if (field === '?') return '*';
  // A bare L in day-of-week is the last day of the week: Saturday.
  if (field.toUpperCase() === 'L') return '6';
  const nth = /^([A-Za-z]{3}|\d)#([1-5])$/.exec(field);
  if (nth) return `${value(nth[1] ?? '', SPECS.dayOfWeek) - 1}#${nth[2]}`;
  const last = /^([A-Za-z]{3}|\d)L$/i.exec(field);
  if (last) return `${value(last[1] ?? '', SPECS.dayOfWeek) - 1}#L`;
  if (/[#L]/i.test(field)) throw new CronSyntaxError(`day-of-week: '${field}' (use D#N or DL on a single day)`);
  return render(items(field, SPECS.dayOfWeek), -1);
}

/** Parses and checks an AWS cron expression (with or without the `cron(…)` wrapper). */
export function parseAwsCron(text: string): AwsCronResult {
  const inner = /^\s*cron\((.*)\)\s*$/i.exec(text)?.[1] ?? text;
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6) {
    return {
      ok: false,
      error: `an AWS cron expression has 6 fields (minutes hours day-of-month month day-of-week year); found ${fields.length}`,
    };
  }
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  if ((dom === '?') === (dow === '?')) {
    return { ok: false, error: "exactly one of day-of-month and day-of-week must be '?'" };
  }
  try {
    const years = items(year, SPECS.year);
    const pattern = [
      '0',
      render(items(min, SPECS.minutes)),
      render(items(hour, SPECS.hours)),
      dayOfMonth(dom),
      render(items(month, SPECS.month)),
      dayOfWeek(dow),
    ].join(' ');
    // croner has the final word on the five fields it runs.
    new Cron(pattern, { paused: true, timezone: 'UTC' });
    return {
      ok: true,
      cron: {
        expression: `cron(${fields.join(' ')})`,
        cronerPattern: pattern,
        yearMatches: (y) => years.some((i) => y >= i.from && y <= i.to && (y - i.from) % i.step === 0),
      },
    };
  } catch (err) {
    return { ok: false, error: (err as Error).message.replace(/^CronPattern: /, '') };
  }
}

/** True when `timezone` is an IANA zone name this runtime knows. */
export function isTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function yearIn(timezone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric' }).format(at));
}

/** The first time after `after` the expression names, or undefined when there is none (its years are past). */
export function nextFireTime(cron: AwsCron, timezone: string, after: Date): Date | undefined {
  const job = new Cron(cron.cronerPattern, { paused: true, timezone });
  let from = after;
  for (let guard = 0; guard < 500; guard += 1) {
    const next = job.nextRun(from);
    if (!next) return undefined;
    const year = yearIn(timezone, next);
    if (cron.yearMatches(year)) return next;
    let y = year + 1;
    while (y <= SPECS.year.max && !cron.yearMatches(y)) y += 1;
    if (y > SPECS.year.max) return undefined;
    const newYear = new Cron('0 0 0 1 1 *', { paused: true, timezone }).nextRun(new Date(Date.UTC(y - 1, 11, 30)));
    if (!newYear) return undefined;
    // One second before local midnight, so a run at 00:00 on 1 January counts.
    from = new Date(Math.max(newYear.getTime() - 1000, next.getTime()));
  }
  return undefined;
}
