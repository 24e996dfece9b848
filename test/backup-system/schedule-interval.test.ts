import { Lazy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as fc from 'fast-check';
import { parseCron, scheduleInterval } from '../../src/backup-system/schedule-interval';

const MIN = 1;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const YEAR_MINUTES = 365 * DAY;

describe('scheduleInterval: known schedules', () => {
  test.each([
    ['hourly', 'cron(0 * * * ? *)', 60],
    ['every 4 hours', 'cron(0 */4 * * ? *)', 4 * HOUR],
    ['twice a day', 'cron(0 1,13 * * ? *)', 12 * HOUR],
    ['daily', 'cron(0 5 * * ? *)', DAY],
    ['daily, AWS Backup default form', 'cron(0 5 ? * * *)', DAY],
    ['weekly on Sunday', 'cron(0 5 ? * 1 *)', 7 * DAY],
    ['monthly on the 1st', 'cron(0 5 1 * ? *)', 31 * DAY],
    ['last day of the month', 'cron(0 5 L * ? *)', 31 * DAY],
    ['last Friday', 'cron(0 5 ? * 6L *)', 35 * DAY],
    ['business days', 'cron(0 5 ? * MON-FRI *)', 3 * DAY],
    ['first Monday', 'cron(0 5 ? * 2#1 *)', 35 * DAY],
    ['once a year on 1 February: spans the leap day of 2028', 'cron(0 5 1 2 ? *)', 366 * DAY],
    ['29 February: every fourth year', 'cron(0 5 29 2 ? *)', (3 * 365 + 366) * DAY],
    ['every 20 minutes from :15, across the hour', 'cron(15/20 * * * ? *)', 20],
    ['every 6 hours by range/step', 'cron(0 0-23/6 * * ? *)', 6 * HOUR],
    ['lower-case names', 'cron(0 5 ? * mon-fri *)', 3 * DAY],
    ['lower-case specials', 'cron(0 5 ? * fril *)', 35 * DAY],
    ['lower-case last day', 'cron(0 5 l * ? *)', 31 * DAY],
  ])('%s: %s', (_name, expression, expected) => {
    expect(scheduleInterval(expression).maxGapMinutes).toBe(expected);
  });

  test('every day of February only: the gap runs from the end of February to the next 1 February', () => {
    // Longest from 28 Feb 2027 05:00 (non-leap) to 1 Feb 2028 05:00.
    const expected = (Date.UTC(2028, 1, 1) - Date.UTC(2027, 1, 28)) / 60_000;
    const r = scheduleInterval('cron(0 5 * FEB ? *)');
    expect(r.maxGapMinutes).toBe(expected);
    expect(r.minGapMinutes).toBe(DAY);
    expect(r.runsPerYear).toBeCloseTo(28.25, 10);
  });

  test('runs per year average over leap years', () => {
    expect(scheduleInterval('cron(0 5 * * ? *)').runsPerYear).toBe(365.25);
    expect(scheduleInterval('cron(0 * * * ? *)').runsPerYear).toBe(365.25 * 24);
    expect(scheduleInterval('cron(0 5 1 * ? *)').runsPerYear).toBe(12);
    expect(scheduleInterval('cron(0 5 29 2 ? *)').runsPerYear).toBe(0.25);
    expect(scheduleInterval('cron(0 5 ? * 1 *)').runsPerYear).toBeCloseTo(365.25 / 7, 10);
  });

  test('shortest gap', () => {
    expect(scheduleInterval('cron(0 */4 * * ? *)').minGapMinutes).toBe(4 * HOUR);
    expect(scheduleInterval('cron(0 5 ? * MON-FRI *)').minGapMinutes).toBe(DAY);
    expect(scheduleInterval('cron(0 5 1 * ? *)').minGapMinutes).toBe(28 * DAY);
    expect(scheduleInterval('cron(0 1,13 * * ? *)').minGapMinutes).toBe(12 * HOUR);
  });

  test('W moves off a weekend but stays in the month (1 May 2027 is a Saturday)', () => {
    // 1W in May: Mon 3 May 2027, then Mon 1 May 2028.
    const r = scheduleInterval('cron(0 5 1W 5 ? 2027,2028)');
    expect(r.maxGapMinutes).toBe((Date.UTC(2028, 4, 1) - Date.UTC(2027, 4, 3)) / 60_000);
    expect(r.runsPerYear).toBe(1);
  });

  test('LW is the last weekday (31 Jan 2027 and 28 Feb 2027 are Sundays)', () => {
    // Fri 29 Jan 2027, Fri 26 Feb 2027, Mon 31 Jan 2028, Tue 29 Feb 2028.
    const r = scheduleInterval('cron(0 5 LW JAN,FEB ? 2027,2028)');
    expect(r.maxGapMinutes).toBe((Date.UTC(2028, 0, 31) - Date.UTC(2027, 1, 26)) / 60_000);
    expect(r.minGapMinutes).toBe((Date.UTC(2027, 1, 26) - Date.UTC(2027, 0, 29)) / 60_000);
  });

  test('listed years are not wrapped around: the schedule stops after the last', () => {
    const r = scheduleInterval('cron(0 5 1 1 ? 2027,2030)');
    expect(r.maxGapMinutes).toBe((Date.UTC(2030, 0, 1) - Date.UTC(2027, 0, 1)) / 60_000);
    expect(r.runsPerYear).toBe(1);
  });

  test('accepts what events.Schedule.cron produces', () => {
    expect(scheduleInterval(events.Schedule.cron({ minute: '0', hour: '5' }).expressionString).maxGapMinutes).toBe(DAY);
    expect(scheduleInterval(events.Schedule.cron({ minute: '30', hour: '2', weekDay: 'SUN' }).expressionString)
      .maxGapMinutes).toBe(7 * DAY);
  });
});

describe('scheduleInterval: day rules against a Date-based oracle over 2027-2054', () => {
  // Enumerates calendar days with Date and tests each with a predicate written independently
  // of the parser; returns the longest circular gap for a run at 05:00 on every matching day.
  function oracleMaxGap(matches: (y: number, m: number, d: number, dim: number, wd: number) => boolean): number {
    const runs: number[] = [];
    for (let y = 2027; y < 2055; y++) {
      for (let m = 0; m < 12; m++) {
        const dim = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
        for (let d = 1; d <= dim; d++) {
          if (matches(y, m, d, dim, new Date(Date.UTC(y, m, d)).getUTCDay())) runs.push(Date.UTC(y, m, d, 5) / 60_000);
        }
      }
    }
    let max = Date.UTC(2055, 0, 1) / 60_000 - runs[runs.length - 1] + runs[0] - Date.UTC(2027, 0, 1) / 60_000;
    for (let i = 1; i < runs.length; i++) max = Math.max(max, runs[i] - runs[i - 1]);
    return max;
  }
  const isWeekday = (y: number, m: number, d: number): boolean => {
    const wd = new Date(Date.UTC(y, m, d)).getUTCDay();
    return wd !== 0 && wd !== 6;
  };
  // The weekday nearest day n of the month, found by trying n, then n-1/n+1, n-2/n+2 in the month.
  const nearestWeekdayOracle = (y: number, m: number, n: number, dim: number): number | undefined => {
    if (n > dim) return undefined;
    if (isWeekday(y, m, n)) return n;
    const sat = new Date(Date.UTC(y, m, n)).getUTCDay() === 6;
    const candidates = sat ? [n - 1, n + 2] : [n + 1, n - 2];
    return candidates.find((c) => c >= 1 && c <= dim && isWeekday(y, m, c));
  };

  test.each<[string, (y: number, m: number, d: number, dim: number, wd: number) => boolean]>([
    ['cron(0 5 L * ? *)', (_y, _m, d, dim) => d === dim],
    ['cron(0 5 LW * ? *)', (y, m, d, dim) => d === nearestWeekdayOracle(y, m, dim, dim)],
    ['cron(0 5 15W * ? *)', (y, m, d, dim) => d === nearestWeekdayOracle(y, m, 15, dim)],
    ['cron(0 5 1W * ? *)', (y, m, d, dim) => d === nearestWeekdayOracle(y, m, 1, dim)],
    ['cron(0 5 31W * ? *)', (y, m, d, dim) => d === nearestWeekdayOracle(y, m, 31, dim)],
    ['cron(0 5 1,15 * ? *)', (_y, _m, d) => d === 1 || d === 15],
    ['cron(0 5 */10 * ? *)', (_y, _m, d) => [1, 11, 21, 31].includes(d)],
    ['cron(0 5 31 * ? *)', (_y, _m, d) => d === 31],
    ['cron(0 5 ? * 6L *)', (_y, _m, d, dim, wd) => wd === 5 && d + 7 > dim],
    ['cron(0 5 ? * 2#1 *)', (_y, _m, d, _dim, wd) => wd === 1 && d <= 7],
    ['cron(0 5 ? * 5#5 *)', (_y, _m, d, _dim, wd) => wd === 4 && d > 28],
    ['cron(0 5 ? * L *)', (_y, _m, _d, _dim, wd) => wd === 6],
    ['cron(0 5 ? * SAT,SUN *)', (_y, _m, _d, _dim, wd) => wd === 0 || wd === 6],
    ['cron(0 5 ? JAN-MAR,OCT 2-6 *)', (_y, m, _d, _dim, wd) => [0, 1, 2, 9].includes(m) && wd >= 1 && wd <= 5],
    ['cron(0 5 29 2 ? *)', (_y, m, d) => m === 1 && d === 29],
  ])('%s', (expression, matches) => {
    expect(scheduleInterval(expression).maxGapMinutes).toBe(oracleMaxGap(matches));
  });
});

describe('scheduleInterval: properties', () => {
  // A minute or hour field as text, paired with the values it must mean (expanded here, not by the parser).
  const field = (max: number): fc.Arbitrary<[string, number[]]> => fc.oneof(
    fc.uniqueArray(fc.integer({ min: 0, max }), { minLength: 1, maxLength: 6 })
      .map((vs): [string, number[]] => [vs.join(','), vs]),
    fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 1, max: max + 1 }))
      .map(([start, step]): [string, number[]] => {
        const vs: number[] = [];
        for (let v = start; v <= max; v += step) vs.push(v);
        return [`${start}/${step}`, vs];
      }),
    fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max }))
      .map(([a, b]): [string, number[]] => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return [`${lo}-${hi}`, Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)];
      }),
  );

  const circularGaps = (points: number[], period: number): number[] => {
    const sorted = [...new Set(points)].sort((a, b) => a - b);
    return sorted.map((p, i) => (i + 1 < sorted.length ? sorted[i + 1] : sorted[0] + period) - p);
  };

  test('every day: the longest gap is the largest circular difference of the daily times', () => {
    fc.assert(fc.property(field(59), field(23), ([minText, mins], [hourText, hours]) => {
      const times = hours.flatMap((h) => mins.map((m) => h * 60 + m));
      const gaps = circularGaps(times, DAY);
      const r = scheduleInterval(`cron(${minText} ${hourText} * * ? *)`);
      expect(r.maxGapMinutes).toBe(Math.max(...gaps));
      expect(r.minGapMinutes).toBe(Math.min(...gaps));
      expect(r.runsPerYear).toBeCloseTo(gaps.length * 365.25, 6);
    }), { numRuns: 150 });
  });

  test('days of the week: the longest gap is the largest circular difference over one week', () => {
    const weekdays = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });
    fc.assert(fc.property(field(59), fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 3 }),
      weekdays, ([minText, mins], hours, days) => {
        const runs = days.flatMap((d) => hours.flatMap((h) => mins.map((m) => (d - 1) * DAY + h * 60 + m)));
        const r = scheduleInterval(`cron(${minText} ${hours.join(',')} ? * ${days.join(',')} *)`);
        expect(r.maxGapMinutes).toBe(Math.max(...circularGaps(runs, 7 * DAY)));
      }), { numRuns: 100 });
  });

  test('the longest gap is at least the average gap, and never shorter than the shortest', () => {
    const dayPart = fc.oneof(
      fc.uniqueArray(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 4 })
        .map((ds) => `${ds.join(',')} * ?`),
      fc.constantFrom('L', 'LW', '15W', '1,L').map((d) => `${d} * ?`),
      fc.uniqueArray(fc.constantFrom('SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'), { minLength: 1, maxLength: 7 })
        .map((ds) => `? * ${ds.join(',')}`),
      fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 })).map(([d, n]) => `? * ${d}#${n}`),
    );
    const months = fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(field(59), field(23), dayPart, months, ([minText], [hourText], days, ms) => {
      const [dom, , dow] = days.split(' ');
      const r = scheduleInterval(`cron(${minText} ${hourText} ${dom} ${ms.join(',')} ${dow} *)`);
      expect(r.maxGapMinutes).toBeGreaterThanOrEqual(YEAR_MINUTES / r.runsPerYear);
      expect(r.minGapMinutes).toBeLessThanOrEqual(r.maxGapMinutes);
    }), { numRuns: 150 });
  });

  test('adding days of the week never lengthens the longest gap', () => {
    const week = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 2, maxLength: 7 });
    fc.assert(fc.property(week, fc.nat(), (days, cut) => {
      const subset = days.slice(0, 1 + (cut % (days.length - 1)));
      const fewer = scheduleInterval(`cron(0 5 ? * ${subset.join(',')} *)`).maxGapMinutes;
      const more = scheduleInterval(`cron(0 5 ? * ${days.join(',')} *)`).maxGapMinutes;
      expect(more).toBeLessThanOrEqual(fewer);
    }), { numRuns: 60 });
  });
});

describe('parseCron', () => {
  test('parses every field kind', () => {
    expect(parseCron('cron(0/15 9-17 ? JAN,JUL 3#2 *)')).toEqual({
      minutes: [0, 15, 30, 45],
      hours: [9, 10, 11, 12, 13, 14, 15, 16, 17],
      dayOfMonth: '?',
      months: [1, 7],
      dayOfWeek: { days: [], lastInMonth: [], nth: [{ day: 3, n: 2 }] },
      years: '*',
    });
    expect(parseCron('cron(0 5 1,L,LW,15W * ? 2027-2029)')).toMatchObject({
      dayOfMonth: { days: [1], last: true, lastWeekday: true, nearestWeekday: [15] },
      dayOfWeek: '?',
      years: [2027, 2028, 2029],
    });
    // SUN is 1 and SAT is 7; L alone is the last day of the week.
    expect(parseCron('cron(0 5 ? * SUN,SAT *)').dayOfWeek).toMatchObject({ days: [1, 7] });
    expect(parseCron('cron(0 5 ? * L *)').dayOfWeek).toMatchObject({ days: [7] });
    expect(parseCron('cron(0 5 ? * FRIL *)').dayOfWeek).toMatchObject({ lastInMonth: [6] });
  });

  test.each([
    ['rate(1 hour)', /AWS Backup accepts cron\(\) schedules only/],
    ['rate(12 hours)', /AWS Backup accepts cron\(\) schedules only/],
    ['0 5 * * ? *', /expected cron\(Minutes Hours Day-of-month Month Day-of-week Year\)/],
    ['cron(0 5 * * ?)', /expected 6 fields .* got 5/],
    ['cron(0 5 * * ? * *)', /expected 6 fields .* got 7/],
    ['cron(60 5 * * ? *)', /Minutes token '60' is out of range 0-59/],
    ['cron(0 24 * * ? *)', /Hours token '24' is out of range 0-23/],
    ['cron(0 5 32 * ? *)', /Day-of-month token '32' is out of range 1-31/],
    ['cron(0 5 0 * ? *)', /Day-of-month token '0' is out of range 1-31/],
    ['cron(0 5 * 13 ? *)', /Month token '13' is out of range 1-12 or JAN-DEC/],
    ['cron(0 5 * FOO ? *)', /Month token 'FOO' is not valid/],
    ['cron(0 5 ? * 8 *)', /Day-of-week token '8' is out of range 1-7 or SUN-SAT/],
    ['cron(0 5 ? * 0 *)', /Day-of-week token '0' is out of range 1-7 or SUN-SAT/],
    ['cron(0 5 * * ? 1969)', /Year token '1969' is out of range 1970-2199/],
    ['cron(0 5 * * 2 *)', /Day-of-month \('\*'\) and Day-of-week \('2'\) cannot both be set/],
    ['cron(0 5 1 * MON *)', /Day-of-month \('1'\) and Day-of-week \('MON'\) cannot both be set/],
    ['cron(0 5 ? * ? *)', /exactly one of Day-of-month and Day-of-week must be '\?'/],
    ['cron(? 5 * * ? *)', /Minutes field '\?': '\?' is only allowed alone in Day-of-month or Day-of-week/],
    ['cron(0 5 ? * 3#1,6#3 *)', /Day-of-week field '3#1,6#3': with '#' only one expression is allowed/],
    ['cron(0 5 ? * 2#6 *)', /Day-of-week token '2#6' asks for occurrence 6/],
    ['cron(0 5 ? * 5W *)', /Day-of-week token '5W' is not valid/],
    ['cron(0 5 3#2 * ? *)', /Day-of-month token '3#2' is not valid/],
    ['cron(0 5 L-2 * ? *)', /Day-of-month token 'L-2' is not valid/],
    ['cron(0 22-2 * * ? *)', /Hours range '22-2' runs backwards; write it as two ranges: '22-23,0-2'/],
    ['cron(0/0 5 * * ? *)', /Minutes token '0\/0' has step 0/],
    ['cron(0/x 5 * * ? *)', /Minutes token '0\/x' has a step that is not a positive integer/],
    ['cron(0,,5 5 * * ? *)', /Minutes field '0,,5' has an empty list item/],
    ['cron(1-2-3 5 * * ? *)', /Minutes token '1-2-3' is not a valid range/],
    ['cron(0 5 * * ? 2027)', /only runs in 2027: a backup tier must recur/],
    ['cron(0 5 30 2 ? *)', /never runs/],
    ['cron(0 5 29 2 ? 2027,2028)', /runs only once: a backup tier must recur/],
  ])('%s throws %s', (expression, message) => {
    expect(() => scheduleInterval(expression)).toThrow(message);
  });

  test('the error names the whole expression', () => {
    expect(() => parseCron('cron(0 5 ? * 8 *)')).toThrow("Invalid schedule 'cron(0 5 ? * 8 *)': ");
  });

  test('an unresolved token is reported as such, not as a syntax error', () => {
    const hour = Lazy.string({ produce: () => '5' });
    const token = events.Schedule.cron({ minute: '0', hour }).expressionString;
    expect(() => parseCron(token)).toThrow(/unresolved token/);
  });
});
