import * as fc from 'fast-check';

/**
 * Generators shared by the fuzz tests: the edge values of the library's rules
 * (read from src/validation/*.ts: retention 1-36500 days, cold storage + 90 days,
 * continuous 1-35 days, start window >= 1 hour, vault lock minimum >= 1 day (7 when
 * air-gapped), grace time >= 72 hours, restore windows 1-168 hours and 1-365 days,
 * object lock 1-36500 days, RTC's 15 minutes, ...) and values of the wrong type as a
 * JavaScript or Python user could pass them.
 *
 * `plausible` inputs are what a user typically writes, with an edge value now and
 * then (about one per input), so that most reach synthesis and the checker;
 * `typed` inputs have the declared types with values at and around every bound;
 * `untyped` inputs replace some values with a value of another type.
 */
export type Mode = 'plausible' | 'typed' | 'untyped';

export const ABSENT = { $absent: true } as const;

/** Values a JavaScript user can pass where another type is declared. */
export const WRONG_VALUES: readonly unknown[] = [
  35, 0, -1, 1.5, Number.NaN, '35', '35 days', 'P35D', '', {}, [], null, true, false, undefined, { days: 35 }, ['35'],
];

const wrongValue = fc.constantFrom(...WRONG_VALUES).map(($wrong) => ({ $wrong }));

/**
 * Mostly a typical, valid value, sometimes an edge value (either side of a bound):
 * so that an input with many fields still reaches synthesis often enough to judge
 * the templates, while every edge is drawn too.
 */
export function typical<T, U>(mode: Mode, usual: fc.Arbitrary<T>, edges: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: mode === 'plausible' ? 40 : 3, arbitrary: usual }, { weight: 1, arbitrary: edges });
}

/** A field: in `untyped` mode it is sometimes a value of the wrong type. */
export function field<T>(mode: Mode, typed: fc.Arbitrary<T>): fc.Arbitrary<T | { $wrong: unknown }> {
  return mode !== 'untyped' ? typed : fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: wrongValue });
}

/** An optional field, absent `absent` times for `present` times it is there (half the time by default). */
export function optional<T>(mode: Mode, typed: fc.Arbitrary<T>, absent = 1, present = 1): fc.Arbitrary<T | typeof ABSENT | { $wrong: unknown }> {
  return fc.oneof({ weight: absent, arbitrary: fc.constant(ABSENT) }, { weight: present, arbitrary: field(mode, typed) });
}

const amounts = (edges: number[], max: number) => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...edges) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max }) },
);

export const DAY_EDGES = [0, 1, 2, 3, 6, 7, 8, 30, 34, 35, 36, 89, 90, 91, 92, 179, 180, 181, 364, 365, 366, 400, 2190, 2555,
  36409, 36410, 36499, 36500, 36501];
const HOUR_EDGES = [0, 1, 2, 23, 24, 25, 36, 48, 71, 72, 73, 167, 168, 169, 8760];
const MINUTE_EDGES = [0, 1, 14, 15, 16, 59, 60, 61, 90, 1440];

export const days = (edges = DAY_EDGES, max = 40000) => amounts(edges, max).map((amount) => ({ $duration: 'days', amount }));
export const hours = (edges = HOUR_EDGES, max = 10000) => amounts(edges, max).map((amount) => ({ $duration: 'hours', amount }));
export const minutes = (edges = MINUTE_EDGES, max = 100000) => amounts(edges, max).map((amount) => ({ $duration: 'minutes', amount }));

/** A retention-like duration: mostly days, sometimes hours or minutes (whole days or not). */
export const retention = (edges = DAY_EDGES) => fc.oneof(
  { weight: 6, arbitrary: days(edges) },
  { weight: 1, arbitrary: hours() },
  { weight: 1, arbitrary: minutes() },
);

/** Usually an empty list, one time in `1 + empty` the given list. */
export function rarely<T>(list: fc.Arbitrary<T[]>, empty = 3): fc.Arbitrary<T[]> {
  return fc.oneof({ weight: empty, arbitrary: fc.constant<T[]>([]) }, { weight: 1, arbitrary: list });
}

/** A window-like duration: hours and minutes around an hour and a week. */
export const window = () => fc.oneof(hours(), minutes());

/**
 * Schedules: cron options aws-cdk-lib accepts, and expressions as a user may write
 * them (rate(), malformed cron, more than hourly, never firing). Day-of-week `#`,
 * `W` and `nL` forms and year restrictions are left out: the checker does not read them.
 */
export const schedule = () => fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      minute: fc.constantFrom('0', '5', '59', '0,30', '*/15', '15/20'),
      hour: fc.constantFrom('*', '0', '5', '23', '*/4', '0-23/6', '1,13', '*/12'),
      days: fc.constantFrom<Record<string, string>>({}, { day: '1' }, { day: 'L' }, { day: '15' }, { day: '31' }, { day: '29', month: '2' },
        { weekDay: 'SUN' }, { weekDay: 'MON-FRI' }, { day: '1', month: '1,7' }, { day: '30', month: '2' }),
    }).map(({ minute, hour, days: d }) => ({ $cron: { minute, hour, ...d } })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('cron(0 5 * * ? *)', 'cron(0 5 ? * * *)', 'rate(1 hour)', 'rate(1 day)', 'cron(0 5 * * * *)',
      'cron(0 5 ? * ? *)', 'cron(0 5 * *)', 'cron(0 25 * * ? *)', 'cron(0 5 31 2 ? *)', 'cron(30 0/2 ? * SUN,WED *)', 'cron(0 */2 * * ? *)',
      'cron(* * * * ? *)', 'at(2027-01-01T00:00:00)').map(($expression) => ({ $expression })),
  },
);

export const TIME_ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Mars/Olympus', '', 'utc', 'Etc/UTC'];

export const NAMES = ['daily', 'weekly-archive', 'tier_1', 'tier.1', 'a', '', 'a b', 'tier/1', 'x'.repeat(50), 'x'.repeat(51), 'Ünicode'];

/** A construct reference the test's setup made (`kind` #0..count-1). */
export const ref = (kind: string, count: number) => fc.integer({ min: 0, max: count - 1 }).map((index) => ({ $ref: kind, index }));

/** Tags as users write them. */
export const tags = () => fc.constantFrom<Record<string, string>>({}, { Backup: 'true' }, { Backup: 'true', Environment: 'production' },
  { 'app:tier': 'gold' }, { Backup: '' });
