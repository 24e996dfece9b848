import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { AuditedVault, BackupTier, CompliantBackupSystem, CrossRegionDr } from '../../src';
import { ComplianceRuleError } from '../../src/validation/errors';
import { testApp } from '../support/compliance';

/*
 * The cases issue 11 found accepted without a word: each now fails at synth or warns,
 * with the path, the prop, the value and what is allowed.
 */

const ENV = { account: '123456789012', region: 'us-east-1' };

function thrown(build: () => unknown): Error {
  try {
    build();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}

test('a cron that fires more than once an hour is rejected (AWS Backup would refuse it at deploy)', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const error = thrown(() => new CompliantBackupSystem(stack, 'Backups', {
    tiers: [BackupTier.hourly({ schedule: events.Schedule.cron({ minute: '0/15' }) })],
  }));
  expect(error).toBeInstanceOf(ComplianceRuleError);
  expect(error.message).toBe("S/Backups: tiers[0].schedule is 'cron(0/15 * * * ? *)'; it runs every 15 minutes at its most frequent; "
    + 'AWS Backup runs a rule at most once an hour (give the minutes field a single value)');
});

test('an hourly cron is accepted', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  expect(() => new CompliantBackupSystem(stack, 'Backups', { tiers: [BackupTier.hourly()] })).not.toThrow();
});

test('selectionTags {} with no protect() warns that the plan backs up nothing of the user\'s', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  new CompliantBackupSystem(stack, 'Backups', { selectionTags: {}, catalog: false });
  Annotations.fromStack(stack).hasWarning('/S/Backups', Match.stringLikeRegexp(
    'selectionTags is \\{\\} and protect\\(\\) names none of your resources, so the plan backs up nothing of yours'));
});

test('selectionTags {} with a protect() call does not warn', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', { selectionTags: {}, catalog: false });
  system.protect(backup.BackupResource.fromArn('arn:aws:dynamodb:us-east-1:123456789012:table/orders'));
  expect(Annotations.fromStack(stack).findWarning('/S/Backups', Match.stringLikeRegexp('backs up nothing'))).toEqual([]);
});

test('a drRegion typo is rejected, with the regions of that geography', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const error = thrown(() => new CrossRegionDr(stack, 'Dr', { drRegion: 'us-wset-2', rpo: Duration.hours(1), rto: Duration.hours(4) }));
  expect(error).toBeInstanceOf(ComplianceRuleError);
  expect(error.message).toMatch(/^S\/Dr: drRegion is 'us-wset-2'; not a region this aws-cdk-lib knows \(in that geography: .*us-west-2.*\)/);
});

test('a malformed vault ARN is rejected', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const error = thrown(() => AuditedVault.fromVaultAttributes(stack, 'Imported', {
    backupVaultArn: 'arn:aws:backup:us-west-2:12345:backup-vault:dr',
  }));
  expect(error).toBeInstanceOf(ComplianceRuleError);
  expect(error.message).toContain("backupVaultArn is 'arn:aws:backup:us-west-2:12345:backup-vault:dr'; expected arn:<partition>:backup:<region>:<12-digit account>");
});

test('copyMoveToColdStorageAfter alone would keep copies forever: rejected', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const dr = AuditedVault.fromVaultAttributes(stack, 'DrVault', { backupVaultArn: 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr' });
  const error = thrown(() => new CompliantBackupSystem(stack, 'Backups', {
    tiers: [BackupTier.daily({ copyTo: [dr], copyMoveToColdStorageAfter: Duration.days(30) })],
  }));
  expect(error).toBeInstanceOf(ComplianceRuleError);
  expect(error.message).toContain('tiers[0].copyRetention is undefined; with tiers[0].copyMoveToColdStorageAfter set (30 days), copies would be kept forever');
});

test('addTier({ copyToDr }) after the CrossRegionDr exists is still held to the RPO (checked at synth)', () => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups');
  new CrossRegionDr(stack, 'Dr', { drRegion: 'us-west-2', rpo: Duration.hours(2), rto: Duration.hours(4), backupSystem: system });
  system.addTier(BackupTier.weekly({ name: 'weekly-dr', copyToDr: true }));
  expect(() => app.synth()).toThrow(/S\/Backups.*weekly-dr.*RPO|RPO.*weekly-dr/s);
});
