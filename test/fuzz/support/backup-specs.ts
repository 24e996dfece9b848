import * as fc from 'fast-check';
import { Refs, isAbsent, materialize } from './inputs';
import { ABSENT, Mode, NAMES, TIME_ZONES, days, field, hours, minutes, optional, ref, retention, schedule, tags, typical, window } from './values';
import { BackupTier, ComplianceProfile } from '../../../src';

/** Schedules a user typically writes: hourly to monthly. */
const USUAL_SCHEDULES = [{ $cron: { minute: '0', hour: '5' } }, { $cron: { minute: '0', hour: '*/4' } }, { $cron: { minute: '0', hour: '3', weekDay: 'SUN' } },
  { $cron: { minute: '30', hour: '1', day: '1' } }, { $cron: { minute: '0', hour: '*' } }];

/**
 * Specs of the library's tier and profile model, shared by the fuzz tests of
 * CompliantBackupSystem, CrossRegionDr and OrganizationBackupPolicy.
 */

export const PRESETS = ['hourly', 'daily', 'weekly', 'monthly', 'continuous', 'new'] as const;

export interface TierSpecOptions {
  /** How many copy destinations the setup made (`vault` refs). */
  readonly copyVaults: number;
  /** Whether `copyToDr` may be set. */
  readonly copyToDr: boolean;
}

/**
 * A tier: a preset with options, or `new BackupTier(props)` (name, schedule and
 * retention required: in untyped mode they may be missing). Most options are left
 * out most of the time, so that a good share of inputs gets past the rules to synthesis.
 */
export function tierSpec(mode: Mode, o: TierSpecOptions) {
  return fc.record({
    // The preset is a method the user calls: never of the wrong type.
    preset: fc.constantFrom(...PRESETS),
    options: fc.record({
      name: optional(mode, typical(mode, fc.constantFrom('gold', 'silver-1', 'archive_7y'), fc.constantFrom(...NAMES)), 3),
      schedule: optional(mode, typical(mode, fc.constantFrom(...USUAL_SCHEDULES), schedule()), 3),
      retention: optional(mode, typical(mode, days([7, 35, 90, 365, 400, 2555]), retention()), 1, 2),
      moveToColdStorageAfter: optional(mode, typical(mode, days([30, 90]), retention([1, 7, 30, 89, 90, 91, 365])), 4),
      airGapped: optional(mode, fc.boolean(), 4),
      copyToDr: o.copyToDr ? optional(mode, fc.boolean(), 3) : fc.constant(ABSENT),
      copyTo: o.copyVaults > 0 ? optional(mode, fc.array(ref('vault', o.copyVaults), { minLength: 1, maxLength: 2 }), 3) : fc.constant(ABSENT),
      copyRetention: optional(mode, typical(mode, days([35, 90, 365]), retention()), 4),
      copyMoveToColdStorageAfter: optional(mode, retention([1, 30, 90]), 8),
      startWindow: optional(mode, typical(mode, hours([1, 2]), window()), 5),
      completionWindow: optional(mode, typical(mode, hours([8, 12]), window()), 5),
      scheduleTimeZone: optional(mode, typical(mode, fc.constantFrom('UTC', 'Europe/Berlin'), fc.constantFrom(...TIME_ZONES)), 5),
      recoveryPointTags: optional(mode, tags(), 6),
    }),
  });
}

export type TierSpec = ReturnType<typeof tierSpec> extends fc.Arbitrary<infer T> ? T : never;

/** `new BackupTier(props)` has its required props, except in untyped mode. */
function requiredFilled(options: Record<string, unknown>): Record<string, unknown> {
  const has = (k: string) => options[k] !== undefined && !(typeof options[k] === 'object' && (options[k] as any)?.$absent);
  return {
    ...options,
    name: has('name') ? options.name : 'custom',
    schedule: has('schedule') ? options.schedule : { $cron: { minute: '0', hour: '2' } },
    retention: has('retention') ? options.retention : { $duration: 'days', amount: 35 },
  };
}

/** The tier a spec stands for (library code: errors here are the library's). */
export function tierOf(spec: TierSpec, refs: Refs, mode: Mode): BackupTier {
  if (spec.preset === 'new') {
    return new BackupTier(materialize(mode !== 'untyped' ? requiredFilled(spec.options) : spec.options, refs));
  }
  return BackupTier[spec.preset](materialize(spec.options, refs));
}

/** A compliance profile: a preset or custom minimums. */
export function profileSpec(mode: Mode) {
  return fc.oneof(
    fc.constantFrom('sox', 'hipaa', 'pciDss').map(($profile) => ({ $profile })),
    fc.record({
      $profile: fc.constant('custom'),
      props: fc.record({
        name: field(mode, fc.constantFrom('Custom', 'Bank', '')),
        minRetention: optional(mode, days([1, 30, 35, 90, 365, 400, 2555])),
        maxBackupInterval: optional(mode, fc.oneof(hours([1, 4, 12, 24, 25, 48]), days([1, 7, 31, 32]), minutes([30, 60]))),
        lockMode: optional(mode, fc.constantFrom('GOVERNANCE', 'COMPLIANCE')),
        requireCrossRegionCopy: optional(mode, fc.boolean(), 2),
        requireCustomerManagedKey: optional(mode, fc.boolean(), 2),
      }),
    }),
  );
}

export type ProfileSpec = ReturnType<typeof profileSpec> extends fc.Arbitrary<infer T> ? T : never;

/** A profile field: a profile spec, or a value of the wrong type. */
export function profileFieldOf(spec: unknown, refs: Refs): unknown {
  const s = spec as any;
  return s?.$wrong !== undefined || s?.$profile === undefined ? materialize(spec, refs) : profileOf(spec as ProfileSpec, refs);
}

export function profileOf(spec: ProfileSpec, refs: Refs): ComplianceProfile {
  const s = spec as any;
  switch (s.$profile) {
    case 'sox': return ComplianceProfile.sox();
    case 'hipaa': return ComplianceProfile.hipaa();
    case 'pciDss': return ComplianceProfile.pciDss();
    default: return ComplianceProfile.custom(materialize(s.props, refs));
  }
}

/** A tiers field: a list of tiers (sometimes empty), or absent. */
export function tiersSpec(mode: Mode, o: TierSpecOptions, maxLength = 3) {
  return optional(mode, fc.array(tierSpec(mode, o), { minLength: 0, maxLength }), 1, 4);
}

/** Materializes a tiers field (absent, wrong-typed or a list of tier specs). */
export function tiersOf(spec: unknown, refs: Refs, mode: Mode): BackupTier[] | undefined {
  if (isAbsent(spec)) return undefined;
  if (!Array.isArray(spec)) return materialize(spec, refs);
  return spec.map((t) => tierOf(t as TierSpec, refs, mode));
}

/** A vault lock at and around its bounds. */
export function lockSpec(mode: Mode) {
  return fc.record({
    minRetention: field(mode, typical(mode, days([1, 7, 35]), retention())),
    maxRetention: optional(mode, typical(mode, days([3650, 36500]), retention())),
    changeableFor: optional(mode, typical(mode, days([3, 7]), fc.oneof(days([0, 1, 2, 4, 30]), hours([71, 72, 73, 96]))), 2),
  });
}
