import * as fc from 'fast-check';
import {
  AuditInputs, CONTROL, CONTROL_LIMITS, TierAuditFacts, VALID_CONTROL_NAMES, ageParameters, deriveControls, frequencyParameters, renderControls,
} from '../../src/backup-system/audit-controls';

const SYSTEM = { key: 'compliant-backup:system', value: 'S-Backups-ABCD1234' };
const SELECTION = { key: 'Backup', value: 'true' };
const DAY = 1440;

function tier(name: string, retentionDays: number, intervalMinutes: number, more: Partial<TierAuditFacts> = {}): TierAuditFacts {
  return { name, retentionDays, intervalMinutes, startWindowMinutes: 60, completionWindowMinutes: 480, copies: false, ...more };
}

function inputs(tiers: TierAuditFacts[], more: Partial<AuditInputs> = {}): AuditInputs {
  return {
    tiers, systemTag: SYSTEM, selectionTag: SELECTION, lock: { minRetentionDays: 1 }, crossRegions: [], deletionExemptRoleArns: [], ...more,
  };
}

function params(result: ReturnType<typeof deriveControls>, name: string): Record<string, string> | undefined {
  return result.controls.find((c) => c.controlName === name)?.parameters;
}

/** The frequency a control parameter pair stands for, in minutes. */
function frequencyMinutes(p: Record<string, string>): number {
  return Number(p.requiredFrequencyValue) * (p.requiredFrequencyUnit === 'hours' ? 60 : DAY);
}

describe('frequencyParameters', () => {
  test.each([
    [1, 'hours', 1],
    [60, 'hours', 1],
    [61, 'hours', 2],
    [240, 'hours', 4],
    [1380, 'hours', 23],
    [1439, 'hours', 24],
    [DAY, 'days', 1],
    [DAY + 1, 'days', 2], // 25 hours is not expressible in hours: rounded up to whole days
    [7 * DAY, 'days', 7],
    [31 * DAY, 'days', 31],
  ])('%d minutes -> %s %d', (minutes, unit, value) => {
    expect(frequencyParameters(minutes)).toEqual({ unit, value });
  });

  test.each([31 * DAY + 1, 32 * DAY, 184 * DAY])('%d minutes is beyond what the control can express', (minutes) => {
    expect(frequencyParameters(minutes)).toBeUndefined();
  });
});

describe('ageParameters', () => {
  test.each([
    [0, 1], [1, 1], [60, 1], [61, 2], [600, 10], [1980, 33], [744 * 60, 744],
  ])('%d minutes -> %d hours', (minutes, hours) => {
    expect(ageParameters(minutes)).toEqual({ unit: 'hours', value: hours });
  });

  test('beyond 744 hours (31 days, the most either unit allows) there is no value', () => {
    expect(ageParameters(744 * 60 + 1)).toBeUndefined();
  });
});

describe('deriveControls examples', () => {
  test('no profile: the longest-kept tier sets frequency and retention (the more frequent one on a tie)', () => {
    const r = deriveControls(inputs([tier('a', 90, 7 * DAY), tier('b', 90, DAY), tier('c', 7, 60)]));
    expect(params(r, CONTROL.frequencyAndRetention)).toEqual({ requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '90' });
  });

  test('with a profile: its minimums, once a tier meets them', () => {
    const r = deriveControls(inputs([tier('ops', 7, 60), tier('archive', 2555, DAY)], { profile: { minRetentionDays: 2555, maxIntervalMinutes: DAY } }));
    expect(params(r, CONTROL.frequencyAndRetention)).toEqual({ requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '2555' });
  });

  test('a profile with only a frequency takes the retention of the first tier that meets it', () => {
    const r = deriveControls(inputs([tier('slow', 3650, 30 * DAY), tier('fast', 30, 240)], { profile: { maxIntervalMinutes: 720 } }));
    expect(params(r, CONTROL.frequencyAndRetention)).toEqual({ requiredFrequencyUnit: 'hours', requiredFrequencyValue: '12', requiredRetentionDays: '30' });
  });

  test('a profile no tier meets falls back to the longest-kept tier (the synth check reports the profile)', () => {
    const r = deriveControls(inputs([tier('a', 35, DAY)], { profile: { minRetentionDays: 2555 } }));
    expect(params(r, CONTROL.frequencyAndRetention)).toEqual({ requiredFrequencyUnit: 'days', requiredFrequencyValue: '1', requiredRetentionDays: '35' });
  });

  test('minimum retention counts copies, and only when the tier copies', () => {
    const r = deriveControls(inputs([
      tier('a', 90, DAY, { copies: true, copyRetentionDays: 14 }),
      tier('b', 35, DAY, { copies: false, copyRetentionDays: 3 }),
      tier('c', 60, DAY, { copies: true }), // copies kept forever
    ]));
    expect(params(r, CONTROL.minimumRetention)).toEqual({ requiredRetentionDays: '14' });
  });

  test('a schedule less frequent than every 31 days omits the frequency control, saying why', () => {
    const r = deriveControls(inputs([tier('twice-a-year', 3650, 184 * DAY)]));
    expect(params(r, CONTROL.frequencyAndRetention)).toBeUndefined();
    expect(r.omitted).toEqual([
      `${CONTROL.frequencyAndRetention}: the longest-kept tier backs up less often than every 31 days, which the control cannot express`,
      `${CONTROL.lastRecoveryPointCreated}: every tier's interval plus windows exceeds 744 hours, which the control cannot express`,
    ]);
    expect(params(r, CONTROL.lastRecoveryPointCreated)).toBeUndefined();
  });

  test('no tiers: no plan, retention or age controls; the others remain', () => {
    const r = deriveControls(inputs([]));
    expect(r.controls.map((c) => c.controlName)).toEqual([
      CONTROL.encrypted, CONTROL.manualDeletionDisabled, CONTROL.protectedByPlan, CONTROL.protectedByVaultLock,
    ]);
  });

  test('cross-region regions are de-duplicated and sorted; exempt roles comma-separated; lock bounds', () => {
    const r = deriveControls(inputs([tier('a', 35, DAY)], {
      crossRegions: ['us-west-2', 'eu-west-1', 'us-west-2'],
      deletionExemptRoleArns: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:role/b'],
      lock: { minRetentionDays: 7, maxRetentionDays: 400 },
      maxRestoreTimeMinutes: 90,
    }));
    expect(params(r, CONTROL.protectedByCrossRegion)).toEqual({ crossRegionList: 'eu-west-1,us-west-2' });
    expect(params(r, CONTROL.manualDeletionDisabled)).toEqual({ principalArnList: 'arn:aws:iam::1:role/a,arn:aws:iam::1:role/b' });
    expect(params(r, CONTROL.protectedByVaultLock)).toEqual({ minRetentionDays: '7', maxRetentionDays: '400' });
    expect(params(r, CONTROL.restoreTimeMeetsTarget)).toEqual({ maxRestoreTime: '90' });
  });

  test('without a lock there is no vault lock control; without a selection tag resource controls are unscoped', () => {
    const r = deriveControls(inputs([tier('a', 35, DAY)], { lock: undefined, selectionTag: undefined }));
    expect(params(r, CONTROL.protectedByVaultLock)).toBeUndefined();
    expect(r.controls.find((c) => c.controlName === CONTROL.protectedByPlan)?.tagScope).toBeUndefined();
    expect(r.controls.find((c) => c.controlName === CONTROL.encrypted)?.tagScope).toEqual(SYSTEM);
  });
});

describe('renderControls', () => {
  test('CloudFormation shape: no parameters -> no ControlInputParameters; one tag per ControlScope', () => {
    expect(renderControls([
      { controlName: CONTROL.encrypted, parameters: {}, tagScope: SYSTEM },
      { controlName: CONTROL.minimumRetention, parameters: { requiredRetentionDays: '7' } },
    ])).toEqual([
      { controlName: CONTROL.encrypted, controlInputParameters: undefined, controlScope: { Tags: [{ Key: SYSTEM.key, Value: SYSTEM.value }] } },
      {
        controlName: CONTROL.minimumRetention,
        controlInputParameters: [{ parameterName: 'requiredRetentionDays', parameterValue: '7' }],
        controlScope: undefined,
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property-based: for any valid tier set, with or without a profile some tier meets,
// the derived controls are satisfiable by the plan they come from and valid for AWS.

const tierArb: fc.Arbitrary<Omit<TierAuditFacts, 'name'>> = fc.record({
  retentionDays: fc.integer({ min: 1, max: 36500 }),
  intervalMinutes: fc.integer({ min: 60, max: 31 * DAY }),
  startWindowMinutes: fc.integer({ min: 60, max: 7 * DAY }),
  completionExtra: fc.integer({ min: 1, max: 14 * DAY }),
  copies: fc.boolean(),
  copyRetentionDays: fc.option(fc.integer({ min: 1, max: 36500 }), { nil: undefined }),
}).map(({ completionExtra, ...t }) => ({ ...t, completionWindowMinutes: t.startWindowMinutes + completionExtra }));

const tiersArb = fc.array(tierArb, { minLength: 1, maxLength: 6 })
  .map((ts) => ts.map((t, i) => ({ ...t, name: `tier${i}` })));

/** A profile whose minimums the tier at `index` meets (each minimum may be absent). */
const withProfileArb = tiersArb.chain((tiers) => fc.record({
  index: fc.integer({ min: 0, max: tiers.length - 1 }),
  retentionShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  intervalShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
}).map(({ index, retentionShare, intervalShare }) => {
  const t = tiers[index];
  const minRetentionDays = retentionShare === undefined ? undefined : Math.max(1, Math.floor(t.retentionDays * retentionShare));
  const maxIntervalMinutes = intervalShare === undefined ? undefined
    : t.intervalMinutes + Math.floor((31 * DAY - t.intervalMinutes) * intervalShare);
  return { tiers, profile: { minRetentionDays, maxIntervalMinutes } };
}));

const caseArb = fc.oneof(
  tiersArb.map((tiers) => ({ tiers, profile: undefined as AuditInputs['profile'] })),
  withProfileArb,
).chain((c) => fc.record({
  crossRegions: fc.array(fc.constantFrom('us-west-2', 'eu-west-1', 'ap-southeast-2'), { maxLength: 3 }),
  lock: fc.option(fc.integer({ min: 1, max: 36500 }).map((min) => ({ minRetentionDays: min })), { nil: undefined }),
  maxRestoreTimeMinutes: fc.option(fc.integer({ min: 1, max: 10000 }), { nil: undefined }),
}).map((more) => inputs(c.tiers, { profile: c.profile, ...more })));

const RUNS = { numRuns: 300 };

describe('deriveControls properties', () => {
  test('(a) at least one tier meets the frequency-and-retention control; with a profile it requires the profile retention', () => {
    fc.assert(fc.property(caseArb, (input) => {
      const p = params(deriveControls(input), CONTROL.frequencyAndRetention);
      expect(p).toBeDefined(); // every interval is within 31 days, so the control is expressible
      const frequency = frequencyMinutes(p!);
      const required = Number(p!.requiredRetentionDays);
      expect(input.tiers.some((t) => t.intervalMinutes <= frequency && t.retentionDays >= required)).toBe(true);
      if (input.profile?.minRetentionDays !== undefined) expect(required).toBe(input.profile.minRetentionDays);
      if (input.profile?.maxIntervalMinutes !== undefined) expect(frequency).toBeGreaterThanOrEqual(input.profile.maxIntervalMinutes);
    }), RUNS);
  });

  test('(b) every tier retention and every copy retention is at least the minimum-retention control', () => {
    fc.assert(fc.property(caseArb, (input) => {
      const required = Number(params(deriveControls(input), CONTROL.minimumRetention)!.requiredRetentionDays);
      const kept = input.tiers.flatMap((t) => [t.retentionDays, ...(t.copies && t.copyRetentionDays !== undefined ? [t.copyRetentionDays] : [])]);
      for (const days of kept) expect(days).toBeGreaterThanOrEqual(required);
      expect(kept).toContain(required); // and it is not looser than it must be
    }), RUNS);
  });

  test('(c) every parameter value is a string AWS accepts', () => {
    fc.assert(fc.property(caseArb, (input) => {
      for (const c of deriveControls(input).controls) {
        for (const value of Object.values(c.parameters)) expect(typeof value).toBe('string');
        const p = c.parameters;
        if (c.controlName === CONTROL.frequencyAndRetention) {
          expect(['hours', 'days']).toContain(p.requiredFrequencyUnit);
          const v = Number(p.requiredFrequencyValue);
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(1);
          expect(v).toBeLessThanOrEqual(p.requiredFrequencyUnit === 'hours' ? CONTROL_LIMITS.maxFrequencyHours : CONTROL_LIMITS.maxFrequencyDays);
        }
        if (c.controlName === CONTROL.lastRecoveryPointCreated) {
          expect(p.recoveryPointAgeUnit).toBe('hours');
          const v = Number(p.recoveryPointAgeValue);
          expect(Number.isInteger(v) && v >= 1 && v <= CONTROL_LIMITS.maxRecoveryPointAgeHours).toBe(true);
        }
        for (const key of ['requiredRetentionDays', 'minRetentionDays', 'maxRetentionDays', 'maxRestoreTime']) {
          if (p[key] !== undefined) expect(p[key]).toMatch(/^[1-9]\d*$/);
        }
        if (p.requiredRetentionDays !== undefined) expect(Number(p.requiredRetentionDays)).toBeLessThanOrEqual(36500);
        if (p.crossRegionList !== undefined) expect(p.crossRegionList).toMatch(/^[a-z0-9-]+(,[a-z0-9-]+)*$/);
      }
    }), RUNS);
  });

  test('(c) the last-recovery-point age covers the most frequent tier, or the control is omitted with a reason', () => {
    fc.assert(fc.property(caseArb, (input) => {
      const result = deriveControls(input);
      const p = params(result, CONTROL.lastRecoveryPointCreated);
      const shortest = Math.min(...input.tiers.map((t) => t.intervalMinutes + t.startWindowMinutes + t.completionWindowMinutes));
      if (p) {
        expect(Number(p.recoveryPointAgeValue) * 60).toBeGreaterThanOrEqual(shortest);
      } else {
        expect(shortest).toBeGreaterThan(744 * 60);
        expect(result.omitted.some((o) => o.startsWith(CONTROL.lastRecoveryPointCreated))).toBe(true);
      }
    }), RUNS);
  });

  test('(d) only valid control names, each at most once; plan controls on the system tag, resource controls on the selection tag', () => {
    const planControls: string[] = [CONTROL.frequencyAndRetention, CONTROL.minimumRetention, CONTROL.encrypted, CONTROL.manualDeletionDisabled];
    fc.assert(fc.property(caseArb, (input) => {
      const names = deriveControls(input).controls.map((c) => c.controlName);
      for (const n of names) expect(VALID_CONTROL_NAMES).toContain(n);
      expect(new Set(names).size).toBe(names.length);
      for (const c of deriveControls(input).controls) {
        expect(c.tagScope).toEqual(planControls.includes(c.controlName) ? SYSTEM : SELECTION);
      }
    }), RUNS);
  });
});
