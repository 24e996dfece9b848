import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { AuditedVault, BackupTier, BackupTierOptions, CompliantBackupSystem, CompliantBackupSystemProps } from '../../src';
import { ComplianceRuleError } from '../../src/validation/errors';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

/** A function that builds the system in a fresh stack 'R' (construct path R/Backups). */
function create(props: CompliantBackupSystemProps | ((stack: Stack) => CompliantBackupSystemProps)): () => CompliantBackupSystem {
  const stack = new Stack(testApp(), 'R', { env: ENV });
  return () => new CompliantBackupSystem(stack, 'Backups', typeof props === 'function' ? props(stack) : props);
}

/** A system with one daily tier built from `options`. */
function daily(options: BackupTierOptions): () => CompliantBackupSystem {
  return create({ tiers: [BackupTier.daily(options)] });
}

/** Builds and synthesizes: for the rules that look at the whole plan (node validations). */
function synth(props: CompliantBackupSystemProps): () => void {
  return () => {
    const app = testApp();
    new CompliantBackupSystem(new Stack(app, 'R', { env: ENV }), 'Backups', props);
    app.synth();
  };
}

/** Runs `fn` and returns the error it threw, so the message can be compared whole. */
function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}

// One test per synth-time rule the backup system applies: each message names the
// construct path, the prop, the value received and what is allowed.
describe('CompliantBackupSystem synth-time rules', () => {
  test('tier name: 1-50 letters, digits, hyphens, underscores, periods', () => {
    const e = errorOf(create({ tiers: [BackupTier.daily({ name: 'bad name' })] }));
    expect(e).toBeInstanceOf(ComplianceRuleError);
    expect(e.message).toBe(
      "R/Backups: tiers[0].name is 'bad name'; a backup rule name is 1-50 characters: letters, digits, hyphens, underscores and periods");
    expect(create({ tiers: [BackupTier.daily(), BackupTier.weekly({ name: 'x'.repeat(51) })] })).toThrow(/^R\/Backups: tiers\[1\]\.name is 'x{51}'; /);
    expect(daily({ name: 'daily-v1.2_eu' })).not.toThrow();
  });

  test('tier names are unique within a plan (addTier)', () => {
    const system = create({})();
    expect(errorOf(() => system.addTier(BackupTier.daily())).message).toBe(
      "R/Backups: tiers['daily'].name is 'daily'; tier names must be unique within a plan");
  });

  test('tier names are unique within a plan (initial tiers)', () => {
    expect(errorOf(create({ tiers: [BackupTier.daily(), BackupTier.daily({ retention: Duration.days(90) })] })).message).toBe(
      "R/Backups: tiers[1].name is 'daily'; tier names must be unique within a plan");
  });

  test('schedules are cron() only', () => {
    expect(errorOf(daily({ schedule: events.Schedule.rate(Duration.hours(1)) })).message).toBe(
      "R/Backups: tiers[0].schedule is 'rate(1 hour)'; AWS Backup accepts cron() schedules only (use events.Schedule.cron())");
  });

  test('time zone: an IANA name', () => {
    expect(errorOf(daily({ scheduleTimeZone: 'Mars/Olympus_Mons' })).message).toBe(
      "R/Backups: tiers[0].scheduleTimeZone is 'Mars/Olympus_Mons'; expected an IANA time zone name such as 'Europe/Berlin' or 'UTC'");
    expect(daily({ scheduleTimeZone: 'UTC' })).not.toThrow();
  });

  test('start window: at least 1 hour', () => {
    expect(errorOf(daily({ startWindow: Duration.minutes(30) })).message).toBe(
      'R/Backups: tiers[0].startWindow is 30 minutes; the start window is at least 1 hour');
  });

  test('completion window: longer than the start window', () => {
    expect(errorOf(daily({ startWindow: Duration.hours(2), completionWindow: Duration.hours(2) })).message).toBe(
      'R/Backups: tiers[0].completionWindow is 2 hours; the completion window must be longer than the start window (2 hours)');
  });

  test('cold storage: retention at least 90 days past the move (tier)', () => {
    expect(errorOf(daily({ retention: Duration.days(100), moveToColdStorageAfter: Duration.days(30) })).message).toBe(
      'R/Backups: tiers[0].retention is 100 days; recovery points moved to cold storage after 30 days must be kept at least 120 days '
      + '(tiers[0].moveToColdStorageAfter + 90 days)');
    expect(daily({ retention: Duration.days(120), moveToColdStorageAfter: Duration.days(30) })).not.toThrow();
  });

  test('cold storage: retention at least 90 days past the move (copy)', () => {
    expect(errorOf(create((stack) => ({
      tiers: [BackupTier.daily({
        copyTo: [AuditedVault.fromVaultArn(stack, 'Dr', 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr')],
        copyRetention: Duration.days(100),
        copyMoveToColdStorageAfter: Duration.days(30),
      })],
    }))).message).toBe(
      'R/Backups: tiers[0].copyRetention is 100 days; recovery points moved to cold storage after 30 days must be kept at least 120 days '
      + '(tiers[0].copyMoveToColdStorageAfter + 90 days)');
  });

  test('cold storage starts after at least 1 day', () => {
    expect(errorOf(daily({ retention: Duration.days(365), moveToColdStorageAfter: Duration.days(0) })).message).toBe(
      'R/Backups: tiers[0].moveToColdStorageAfter is 0 days; cold storage starts after at least 1 day');
  });

  test('retention: 1-36500 days', () => {
    expect(errorOf(daily({ retention: Duration.days(36501) })).message).toBe(
      'R/Backups: tiers[0].retention is 36501 days; retention is 1-36500 days');
  });

  test('continuous backup: retention 1-35 days', () => {
    expect(errorOf(create({ tiers: [BackupTier.continuous({ retention: Duration.days(36) })] })).message).toBe(
      'R/Backups: tiers[0].retention is 36 days; continuous backup keeps recovery points 1-35 days');
  });

  test('continuous backup: no cold storage', () => {
    expect(errorOf(create({ tiers: [BackupTier.continuous({ moveToColdStorageAfter: Duration.days(30) })] })).message).toBe(
      'R/Backups: tiers[0].moveToColdStorageAfter is 30 days; continuous backups cannot move to cold storage; leave it unset');
  });

  test('retention: whole days', () => {
    expect(errorOf(daily({ retention: Duration.hours(36) })).message).toBe(
      'R/Backups: tiers[0].retention is 1 day 12 hours; AWS Backup counts retention in whole days (use Duration.days())');
  });

  test('an air-gapped tier added later needs the air-gapped vault from construction', () => {
    const system = create({})();
    expect(errorOf(() => system.addTier(BackupTier.monthly({ airGapped: true }))).message).toBe(
      "R/Backups: tiers['monthly'].airGapped is true; this system has no air-gapped vault: set airGappedVault: true "
      + '(or mark a tier airGapped) at construction');
  });

  test('airGappedVault: false contradicts an air-gapped tier', () => {
    expect(errorOf(create({ tiers: [BackupTier.daily(), BackupTier.monthly({ airGapped: true })], airGappedVault: false })).message).toBe(
      "R/Backups: airGappedVault is false; tiers 'monthly' are airGapped, which needs the air-gapped vault");
  });

  test('copyToDr needs a CrossRegionDr wired to the system (checked at synth)', () => {
    expect(synth({ tiers: [BackupTier.daily({ copyToDr: true })] })).toThrow(
      "R/Backups: tiers['daily'].copyToDr is true; no DR vault is wired to this system: pass it as backupSystem to a CrossRegionDr "
      + '(or call addDrCopyDestination()), or use copyTo');
  });

  test('copies kept forever cannot land in a vault locked with a maximum retention', () => {
    expect(errorOf(create((stack) => ({
      tiers: [BackupTier.daily({
        copyTo: [new AuditedVault(stack, 'Archive', { vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(400) } })],
        copyMoveToColdStorageAfter: Duration.days(30),
      })],
    }))).message).toBe(
      // Rejected before any vault is considered: cold storage without a retention would keep copies forever.
      'R/Backups: tiers[0].copyRetention is undefined; with tiers[0].copyMoveToColdStorageAfter set (30 days), copies would be kept '
      + 'forever: set copyRetention too (at least copyMoveToColdStorageAfter + 90 days)');
  });

});
