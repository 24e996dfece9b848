/**
 * The fuzz checker's own reading of an AWS Backup schedule expression, written from
 * the EventBridge cron reference (six fields: minutes hours day-of-month month
 * day-of-week year; one of the two day fields is `?`; days of the week 1-7 are
 * SUN-SAT) and not from the library's parser, so that the two can disagree.
 *
 * It understands `*`, `?`, numbers, names, lists, ranges, steps and `L` in the
 * day-of-month field; other forms (`W`, `#`, `nL`) are reported as not judged.
 * Gaps are measured in the schedule's own wall clock (ScheduleExpressionTimezone),
 * over eight calendar years (two leap cycles, so that 29 February counts).
 */

export interface CronReading {
  /** Why the expression is not one AWS Backup accepts, if it is not. */
  readonly invalid?: string;
  /** Forms this reader does not evaluate. */
  readonly notJudged?: string;
  /** Longest and shortest time between two runs, in minutes (Infinity: runs at most once). */
  readonly maxGapMinutes: number;
  readonly minGapMinutes: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIRST_YEAR = 2026;
const YEARS = 8;

class Unsupported extends Error {}
class Invalid extends Error {}

/** The values a field matches, from min to max. */
function field(text: string, min: number, max: number, names: string[] = []): Set<number> {
  const out = new Set<number>();
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase());
    if (named >= 0) return named + min;
    if (!/^\d+$/.test(token)) {
      if (/[LW#]/i.test(token)) throw new Unsupported(`'${token}'`);
      throw new Invalid(`'${token}' is not a value of ${min}-${max}`);
    }
    const n = Number(token);
    if (n < min || n > max) throw new Invalid(`${n} is outside ${min}-${max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Invalid(`step '${stepText}'`);
    let from: number;
    let to: number;
    if (range === '*') {
      [from, to] = [min, max];
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [value(a), value(b)];
      if (from > to) throw new Invalid(`range '${range}' runs backwards`);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** Reads `cron(...)`: whether AWS Backup accepts it and how often it runs. */
export function readCron(expression: string): CronReading {
  const never = { maxGapMinutes: Infinity, minGapMinutes: Infinity };
  const m = /^cron\((.*)\)$/.exec(expression);
  if (!m) return { ...never, invalid: `'${expression}' is not a cron() expression` };
  const parts = m[1].trim().split(/\s+/);
  if (parts.length !== 6) return { ...never, invalid: `'${expression}' has ${parts.length} fields, not 6` };
  const [min, hour, dom, month, dow, year] = parts;
  if ((dom === '?') === (dow === '?')) {
    return { ...never, invalid: `'${expression}': exactly one of day-of-month and day-of-week is '?'` };
  }
  try {
    const minutes = [...field(min, 0, 59)].sort((a, b) => a - b);
    const hours = field(hour, 0, 23);
    const months = field(month, 1, 12, MONTHS);
    const lastDay = /^L$/i.test(dom);
    const days = dom === '?' || lastDay ? undefined : field(dom, 1, 31);
    const weekdays = dow === '?' ? undefined : field(dow, 1, 7, WEEKDAYS);
    if (year !== '*') field(year, 1970, 2199);
    if (year !== '*') return { ...never, notJudged: `a year field ('${year}')` };

    // Every hour with runs, as minutes since FIRST_YEAR, in wall-clock arithmetic (no daylight saving).
    const slots: number[] = [];
    const start = Date.UTC(FIRST_YEAR, 0, 1);
    for (let t = start; t < Date.UTC(FIRST_YEAR + YEARS, 0, 1); t += 86_400_000) {
      const d = new Date(t);
      if (!months.has(d.getUTCMonth() + 1)) continue;
      const monthLength = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      const dayMatches = lastDay ? d.getUTCDate() === monthLength
        : days ? days.has(d.getUTCDate()) : weekdays!.has(d.getUTCDay() + 1);
      if (!dayMatches) continue;
      const base = (t - start) / 60_000;
      for (let h = 0; h < 24; h++) if (hours.has(h)) slots.push(base + h * 60);
    }
    const runs = slots.length * minutes.length;
    if (runs < 2) return { ...never, invalid: `'${expression}' runs ${runs === 0 ? 'never' : 'once'} in ${YEARS} years` };
    // Within an hour the runs are the minutes; between two hours, last minute to first minute.
    let maxGap = 0;
    let minGap = Infinity;
    for (let i = 1; i < minutes.length; i++) {
      maxGap = Math.max(maxGap, minutes[i] - minutes[i - 1]);
      minGap = Math.min(minGap, minutes[i] - minutes[i - 1]);
    }
    const across = minutes[0] - minutes[minutes.length - 1];
    for (let i = 1; i < slots.length; i++) {
      const gap = slots[i] - slots[i - 1] + across;
      maxGap = Math.max(maxGap, gap);
      minGap = Math.min(minGap, gap);
    }
    return { maxGapMinutes: maxGap, minGapMinutes: minGap };
  } catch (e) {
    if (e instanceof Unsupported) return { ...never, notJudged: e.message };
    if (e instanceof Invalid) return { ...never, invalid: `'${expression}': ${e.message}` };
    throw e;
  }
}
