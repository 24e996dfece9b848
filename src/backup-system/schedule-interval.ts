import { Token } from 'aws-cdk-lib';

/**
 * How often a cron schedule runs, measured over whole calendars.
 *
 * Internal: used to compare a tier's schedule with its declared RPO.
 */
export interface ScheduleInterval {
  /** The longest time between two consecutive runs, in minutes. */
  readonly maxGapMinutes: number;
  /** The shortest time between two consecutive runs, in minutes. */
  readonly minGapMinutes: number;
  /** Average number of runs per calendar year. */
  readonly runsPerYear: number;
}

/** Day-of-month field other than `?`. Days are 1-31. */
export interface DayOfMonthField {
  /** Plain days (`5`, `1-15`, `*`, `1/5`). A day the month lacks never matches. */
  readonly days: readonly number[];
  /** `L`: the last day of the month. */
  readonly last: boolean;
  /** `LW`: the last weekday (Mon-Fri) of the month. */
  readonly lastWeekday: boolean;
  /** `nW`: the weekday nearest day n, never leaving the month. */
  readonly nearestWeekday: readonly number[];
}

/** Day-of-week field other than `?`. Days are 1=SUN … 7=SAT. */
export interface DayOfWeekField {
  /** Plain days of the week (`2`, `MON-FRI`, `*`, and `L` alone, the last day of the week: 7). */
  readonly days: readonly number[];
  /** `nL`: the last such day of the month (`6L` = last Friday). */
  readonly lastInMonth: readonly number[];
  /** `d#n`: the n-th such day of the month (`3#2` = second Tuesday). */
  readonly nth: ReadonlyArray<{ readonly day: number; readonly n: number }>;
}

/** The six fields of an EventBridge/AWS Backup cron expression. */
export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonthField | '?';
  readonly months: readonly number[];
  readonly dayOfWeek: DayOfWeekField | '?';
  /** `'*'` for every year, otherwise the listed years, ascending. */
  readonly years: readonly number[] | '*';
}

const MINUTES_PER_DAY = 24 * 60;
const MS_PER_DAY = 86_400_000;
/**
 * Between 1901 and 2099 the Gregorian calendar repeats every 28 years (7 leap days, and
 * 28 * 365 + 7 = 10227 days is a whole number of weeks), so 2027-2054 holds every layout
 * of month lengths and weekdays, and the gap from the last run of 2054 to the first run of
 * 2055 equals the gap from it to the first run of 2027 shifted by one cycle. Simulating that
 * cycle circularly gives the exact longest gap for every date up to 2099.
 */
const CYCLE_START_YEAR = 2027;
const CYCLE_YEARS = 28;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
// EventBridge numbers days of the week 1-7 starting on Sunday (docs: "3#2" is the second Tuesday).
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly hint: string;
}

const MINUTES: FieldSpec = { name: 'Minutes', min: 0, max: 59, hint: '0-59' };
const HOURS: FieldSpec = { name: 'Hours', min: 0, max: 23, hint: '0-23' };
const DAY_OF_MONTH: FieldSpec = { name: 'Day-of-month', min: 1, max: 31, hint: '1-31' };
const MONTH: FieldSpec = { name: 'Month', min: 1, max: 12, names: MONTH_NAMES, hint: '1-12 or JAN-DEC' };
const DAY_OF_WEEK: FieldSpec = { name: 'Day-of-week', min: 1, max: 7, names: DAY_NAMES, hint: '1-7 or SUN-SAT' };
const YEAR: FieldSpec = { name: 'Year', min: 1970, max: 2199, hint: '1970-2199' };

class CronSyntaxError extends Error {
  constructor(expression: string, detail: string) {
    super(`Invalid schedule '${expression}': ${detail}`);
    this.name = 'CronSyntaxError';
  }
}

/**
 * Parses an EventBridge-dialect cron expression as AWS Backup takes it:
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)`.
 *
 * @throws Error naming the field and token for anything malformed.
 */
export function parseCron(expression: string): CronFields {
  if (Token.isUnresolved(expression)) {
    throw new Error('The schedule expression contains an unresolved token; its interval cannot be computed at synth time');
  }
  const text = expression.trim();
  if (/^rate\s*\(/i.test(text)) {
    throw new CronSyntaxError(expression, 'AWS Backup accepts cron() schedules only, not rate(); use events.Schedule.cron({...})');
  }
  const match = /^cron\((.*)\)$/is.exec(text);
  if (!match) {
    throw new CronSyntaxError(expression, 'expected cron(Minutes Hours Day-of-month Month Day-of-week Year)');
  }
  const parts = match[1].trim().split(/\s+/).filter((p) => p.length > 0);
  if (parts.length !== 6) {
    throw new CronSyntaxError(expression,
      `expected 6 fields (Minutes Hours Day-of-month Month Day-of-week Year), got ${parts.length}`);
  }
  const [min, hour, dom, month, dow, year] = parts;
  const fail = (detail: string): never => {
    throw new CronSyntaxError(expression, detail);
  };

  if ((dom === '?') === (dow === '?')) {
    fail(dom === '?'
      ? 'exactly one of Day-of-month and Day-of-week must be \'?\', but both are'
      : `Day-of-month ('${parts[2]}') and Day-of-week ('${parts[4]}') cannot both be set; use '?' in one of them`);
  }

  return {
    minutes: parseSimpleField(MINUTES, min, fail),
    hours: parseSimpleField(HOURS, hour, fail),
    dayOfMonth: dom === '?' ? '?' : parseDayOfMonth(dom, fail),
    months: parseSimpleField(MONTH, month, fail),
    dayOfWeek: dow === '?' ? '?' : parseDayOfWeek(dow, fail),
    years: year === '*' ? '*' : parseSimpleField(YEAR, year, fail),
  };
}

/**
 * The longest (and shortest) gap between consecutive runs of a cron schedule, and its
 * runs per year.
 *
 * With `*` in the Year field the schedule is simulated over one 28-year calendar cycle
 * (2027-2054), circularly, which covers leap years, every month length, five-week months
 * and year boundaries exactly; the irregular non-leap 2100 is not modelled. With listed
 * years, only those years are simulated and the schedule is taken to stop after the last.
 * Times are UTC; a `ScheduleExpressionTimezone` with daylight saving can stretch or shrink
 * a gap by the DST offset on the two change days.
 *
 * @throws Error if the expression is malformed, runs only in one year, or runs fewer than twice.
 */
export function scheduleInterval(expression: string): ScheduleInterval {
  const fields = parseCron(expression);
  if (fields.years !== '*' && fields.years.length === 1) {
    throw new Error(`Schedule '${expression}' only runs in ${fields.years[0]}: a backup tier must recur, so use '*' in the Year field`);
  }
  const circular = fields.years === '*';
  const years = fields.years === '*'
    ? Array.from({ length: CYCLE_YEARS }, (_, i) => CYCLE_START_YEAR + i)
    : fields.years;

  const times = dailyTimes(fields);
  const days = matchingDays(fields, years);
  const runs = days.length * times.length;
  if (runs === 0) {
    throw new Error(`Schedule '${expression}' never runs (no date in ${years[0]}-${years[years.length - 1]} matches it)`);
  }
  if (!circular && runs < 2) {
    throw new Error(`Schedule '${expression}' runs only once: a backup tier must recur`);
  }

  let maxGap = 0;
  let minGap = Number.POSITIVE_INFINITY;
  const note = (gap: number): void => {
    if (gap > maxGap) maxGap = gap;
    if (gap < minGap) minGap = gap;
  };
  // Every matching day has the same run times, so the gaps inside a day are the same every day.
  for (let i = 1; i < times.length; i++) note(times[i] - times[i - 1]);
  const overnight = times[0] - times[times.length - 1];
  for (let i = 1; i < days.length; i++) note((days[i] - days[i - 1]) * MINUTES_PER_DAY + overnight);
  if (circular) {
    const cycleDays = dayNumber(CYCLE_START_YEAR + CYCLE_YEARS, 1, 1) - dayNumber(CYCLE_START_YEAR, 1, 1);
    note((days[0] + cycleDays - days[days.length - 1]) * MINUTES_PER_DAY + overnight);
  }

  return { maxGapMinutes: maxGap, minGapMinutes: minGap, runsPerYear: runs / years.length };
}

/** Sorted minutes after midnight at which the schedule runs on a matching day. */
function dailyTimes(fields: CronFields): number[] {
  const out: number[] = [];
  for (const h of fields.hours) for (const m of fields.minutes) out.push(h * 60 + m);
  return out.sort((a, b) => a - b);
}

/** Days since 1970-01-01 (UTC) of every matching date in the given years, ascending. */
function matchingDays(fields: CronFields, years: readonly number[]): number[] {
  const out: number[] = [];
  for (const year of years) {
    for (const month of fields.months) {
      const first = dayNumber(year, month, 1);
      const length = dayNumber(year, month + 1, 1) - first;
      // 1970-01-01 was a Thursday (0 = Sunday).
      const firstWeekday = (((first + 4) % 7) + 7) % 7;
      for (const day of daysInMonthMatching(fields, length, firstWeekday)) out.push(first + day - 1);
    }
  }
  return out;
}

function daysInMonthMatching(fields: CronFields, length: number, firstWeekday: number): number[] {
  // Cron day-of-week (1=SUN … 7=SAT) of day d of this month.
  const weekdayOf = (d: number): number => ((firstWeekday + d - 1) % 7) + 1;
  const dom = fields.dayOfMonth;
  if (dom !== '?') {
    const hit = new Set<number>();
    for (const d of dom.days) if (d <= length) hit.add(d);
    if (dom.last) hit.add(length);
    if (dom.lastWeekday) hit.add(nearestWeekday(length, length, weekdayOf));
    for (const d of dom.nearestWeekday) if (d <= length) hit.add(nearestWeekday(d, length, weekdayOf));
    return [...hit].sort((a, b) => a - b);
  }
  const dow = fields.dayOfWeek as DayOfWeekField;
  const out: number[] = [];
  for (let d = 1; d <= length; d++) {
    const wd = weekdayOf(d);
    if (dow.days.includes(wd)
      || (dow.lastInMonth.includes(wd) && d + 7 > length)
      || dow.nth.some((x) => x.day === wd && x.n === Math.ceil(d / 7))) {
      out.push(d);
    }
  }
  return out;
}

/** Quartz `W`: a Saturday moves to Friday and a Sunday to Monday, but never out of the month. */
function nearestWeekday(day: number, length: number, weekdayOf: (d: number) => number): number {
  const wd = weekdayOf(day);
  if (wd === 7) return day === 1 ? 3 : day - 1;
  if (wd === 1) return day === length ? day - 2 : day + 1;
  return day;
}

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

type Fail = (detail: string) => never;

/** A field built only from `*`, values, ranges, steps and lists; returns sorted distinct values. */
function parseSimpleField(spec: FieldSpec, text: string, fail: Fail): number[] {
  const out = new Set<number>();
  for (const item of splitList(spec, text, fail)) {
    for (const v of expandItem(spec, item, fail)) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

function splitList(spec: FieldSpec, text: string, fail: Fail): string[] {
  const items = text.split(',');
  if (items.some((i) => i === '')) fail(`${spec.name} field '${text}' has an empty list item`);
  if (items.includes('?')) fail(`${spec.name} field '${text}': '?' is only allowed alone in Day-of-month or Day-of-week`);
  return items;
}

/** `*`, `n`, `a-b`, `* /s`, `n/s`, `a-b/s`, with names where the field has them. */
function expandItem(spec: FieldSpec, item: string, fail: Fail): number[] {
  const [base, step, extra] = item.split('/');
  if (extra !== undefined) fail(`${spec.name} token '${item}' has more than one '/'`);
  let stepBy = 1;
  if (step !== undefined) {
    if (!/^\d+$/.test(step)) fail(`${spec.name} token '${item}' has a step that is not a positive integer`);
    stepBy = Number(step);
    if (stepBy < 1 || stepBy > spec.max - spec.min + 1) {
      fail(`${spec.name} token '${item}' has step ${stepBy}, outside 1-${spec.max - spec.min + 1}`);
    }
  }
  let from: number;
  let to: number;
  if (base === '*') {
    from = spec.min;
    to = spec.max;
  } else if (base.includes('-')) {
    const [a, b, more] = base.split('-');
    if (more !== undefined || a === '' || b === '') fail(`${spec.name} token '${item}' is not a valid range`);
    from = parseValue(spec, a, item, fail);
    to = parseValue(spec, b, item, fail);
    if (from > to) {
      fail(`${spec.name} range '${item}' runs backwards; write it as two ranges: '${a}-${spec.max},${spec.min}-${b}'`);
    }
  } else {
    from = parseValue(spec, base, item, fail);
    // `n/s` runs from n to the end of the field; a bare `n` is just n.
    to = step === undefined ? from : spec.max;
  }
  const out: number[] = [];
  for (let v = from; v <= to; v += stepBy) out.push(v);
  return out;
}

function parseValue(spec: FieldSpec, token: string, item: string, fail: Fail): number {
  if (/^\d+$/.test(token)) {
    const v = Number(token);
    if (v < spec.min || v > spec.max) fail(`${spec.name} token '${item}' is out of range ${spec.hint}`);
    return v;
  }
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  return fail(`${spec.name} token '${item}' is not valid (allowed: ${spec.hint}${spec.name === 'Day-of-month'
    ? ', L, LW, nW' : spec.name === 'Day-of-week' ? ', L, nL, d#n' : ''}, with , - * /)`);
}

function parseDayOfMonth(text: string, fail: Fail): DayOfMonthField {
  const days = new Set<number>();
  let last = false;
  let lastWeekday = false;
  const nearest = new Set<number>();
  for (const item of splitList(DAY_OF_MONTH, text, fail)) {
    const upper = item.toUpperCase();
    if (upper === 'L') {
      last = true;
    } else if (upper === 'LW') {
      lastWeekday = true;
    } else if (/^\d+W$/.test(upper)) {
      nearest.add(parseValue(DAY_OF_MONTH, item.slice(0, -1), item, fail));
    } else if (/[LW#]/.test(upper)) {
      fail(`Day-of-month token '${item}' is not valid (L, LW and nW such as 15W are; '#' belongs in Day-of-week)`);
    } else {
      for (const v of expandItem(DAY_OF_MONTH, item, fail)) days.add(v);
    }
  }
  return {
    days: [...days].sort((a, b) => a - b),
    last,
    lastWeekday,
    nearestWeekday: [...nearest].sort((a, b) => a - b),
  };
}

function parseDayOfWeek(text: string, fail: Fail): DayOfWeekField {
  const items = splitList(DAY_OF_WEEK, text, fail);
  // EventBridge docs: with '#', the field may hold only one expression ("3#1,6#3" is invalid).
  if (items.length > 1 && items.some((i) => i.includes('#'))) {
    fail(`Day-of-week field '${text}': with '#' only one expression is allowed`);
  }
  const days = new Set<number>();
  const lastInMonth = new Set<number>();
  const nth: Array<{ day: number; n: number }> = [];
  for (const item of items) {
    const upper = item.toUpperCase();
    const hash = /^([A-Z0-9]+)#(\d+)$/.exec(upper);
    const lastOf = /^([A-Z0-9]+)L$/.exec(upper);
    if (upper === 'L') {
      days.add(7);
    } else if (hash) {
      const n = Number(hash[2]);
      if (n < 1 || n > 5) fail(`Day-of-week token '${item}' asks for occurrence ${n}; a month has occurrences 1-5`);
      nth.push({ day: parseValue(DAY_OF_WEEK, hash[1], item, fail), n });
    } else if (lastOf) {
      lastInMonth.add(parseValue(DAY_OF_WEEK, lastOf[1], item, fail));
    } else if (/[LW#]/.test(upper.replace(/SUN|MON|TUE|WED|THU|FRI|SAT/g, ''))) {
      fail(`Day-of-week token '${item}' is not valid (L, nL such as 6L, and d#n such as 3#2 are; 'W' belongs in Day-of-month)`);
    } else {
      for (const v of expandItem(DAY_OF_WEEK, item, fail)) days.add(v);
    }
  }
  return { days: [...days].sort((a, b) => a - b), lastInMonth: [...lastInMonth].sort((a, b) => a - b), nth };
}
