import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AuditedVault, BackupTier, CompliantBackupSystem, CompliantBackupSystemProps, LegalHoldOptions } from '../../src';
import { legalHoldId, unixSeconds } from '../../src/backup-system/legal-hold';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };
const MATTER: LegalHoldOptions = { title: 'Matter 2026-114', description: 'Preserve ledger backups for the audit of FY2025' };

function build(props: CompliantBackupSystemProps = {}, extra?: (s: CompliantBackupSystem) => void) {
  const stack = new Stack(testApp(), 'Sys', { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', props);
  extra?.(system);
  return { stack, system, template: Template.fromStack(stack) };
}

const holds = (template: Template) => template.findResources('AWS::Backup::LegalHold');

describe('legal holds', () => {
  test('a hold in props holds this system\'s vaults, is RETAINed even when the system is DESTROYed, with an id from its title', () => {
    const { template, stack, system } = build({ legalHolds: [MATTER], removalPolicy: RemovalPolicy.DESTROY });
    const entries = Object.entries(holds(template));
    expect(entries).toHaveLength(1);
    const [logicalId, hold] = entries[0];
    expect(logicalId.startsWith(`BackupsLegalHolds${legalHoldId(MATTER.title)}`)).toBe(true);
    expect(hold.DeletionPolicy).toBe('Retain');
    expect(hold.UpdateReplacePolicy).toBe('Retain');
    expect(hold.Properties).toEqual({
      Title: MATTER.title,
      Description: MATTER.description,
      RecoveryPointSelection: { VaultNames: [stack.resolve(system.primaryVault.backupVaultName)] },
      // The system tag, like every resource of the system.
      Tags: [{ Key: 'compliant-backup:system', Value: expect.stringMatching(/^Sys-Backups-/) }],
    });
    expect(system.legalHolds).toHaveLength(1);
  });

  test('with an air-gapped vault both vaults are held by default', () => {
    const { template } = build({ tiers: [BackupTier.daily({ airGapped: true, retention: Duration.days(35) })], legalHolds: [MATTER] });
    const hold = Object.values(holds(template))[0];
    expect(hold.Properties.RecoveryPointSelection.VaultNames).toHaveLength(2);
  });

  test('the id depends on the title only: adding another hold before it does not rename it', () => {
    const first = Object.keys(holds(build({ legalHolds: [MATTER] }).template));
    const second = Object.keys(holds(build({ legalHolds: [{ title: 'Other', description: 'x' }, MATTER] }).template));
    expect(second).toEqual(expect.arrayContaining(first));
    expect(second).toHaveLength(2);
  });

  test('addLegalHold: explicit vaults, resources and date range (Unix seconds, as the CloudFormation reference writes them)', () => {
    const from = new Date('2025-01-01T00:00:00Z');
    const to = new Date('2025-12-31T23:59:59.500Z');
    const { template } = build({}, (system) => {
      const vault = AuditedVault.fromVaultArn(system, 'Other', 'arn:aws:backup:us-east-1:111111111111:backup-vault:ledger');
      const hold = system.addLegalHold('Fy2025', {
        ...MATTER,
        vaults: [vault],
        resourceArns: ['arn:aws:dynamodb:us-east-1:111111111111:table/ledger'],
        dateRange: { fromDate: from, toDate: to },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      expect(system.legalHolds).toEqual([hold]);
    });
    const [logicalId, hold] = Object.entries(holds(template))[0];
    expect(logicalId).toMatch(/^BackupsLegalHoldsFy2025/);
    expect(hold.DeletionPolicy).toBe('Delete');
    expect(hold.Properties.RecoveryPointSelection).toEqual({
      VaultNames: ['ledger'],
      ResourceIdentifiers: ['arn:aws:dynamodb:us-east-1:111111111111:table/ledger'],
      DateRange: { FromDate: '1735689600', ToDate: '1767225599.500' },
    });
    expect(unixSeconds(new Date(1516925490087))).toBe('1516925490.087');
  });

  test('no legal hold unless asked for', () => {
    expect(Object.keys(holds(build().template))).toEqual([]);
  });
});

describe('legal hold rules', () => {
  const rejects = (options: any, message: RegExp) => expect(() => build({ legalHolds: [options] })).toThrow(message);

  test('title and description are required and not blank', () => {
    rejects({ ...MATTER, title: '  ' }, /Sys\/Backups: legalHolds\[0\]\.title is "  "; a legal hold needs a title/);
    rejects({ title: 'x' }, /Sys\/Backups: legalHolds\[0\]\.description is missing; it is required/);
  });

  test('the date range is in order and not in the future', () => {
    rejects({ ...MATTER, dateRange: { fromDate: new Date('2025-02-01T00:00:00Z'), toDate: new Date('2025-01-01T00:00:00Z') } },
      /legalHolds\[0\]\.dateRange is 2025-02-01T00:00:00.000Z to 2025-01-01T00:00:00.000Z; fromDate must not be after toDate/);
    rejects({ ...MATTER, dateRange: { fromDate: new Date('2025-01-01T00:00:00Z'), toDate: new Date(Date.now() + 86_400_000) } },
      /legalHolds\[0\]\.dateRange\.toDate is .*; AWS Backup does not accept a date range that ends in the future/);
    rejects({ ...MATTER, dateRange: { fromDate: new Date('nope'), toDate: new Date('2025-01-01T00:00:00Z') } },
      /legalHolds\[0\]\.dateRange\.fromDate is Invalid Date; expected a valid Date/);
  });

  test('an empty vault list, a resource that is not an ARN, and a repeated title are rejected', () => {
    rejects({ ...MATTER, vaults: [] }, /legalHolds\[0\]\.vaults is \[\]; a legal hold holds recovery points of at least one vault/);
    rejects({ ...MATTER, resourceArns: ['ledger'] }, /legalHolds\[0\]\.resourceArns\[0\] is 'ledger'; expected the ARN of a backed-up resource/);
    expect(() => build({ legalHolds: [MATTER] }, (s) => s.addLegalHold('Again', MATTER)))
      .toThrow(/addLegalHold\('Again'\)\.title is 'Matter 2026-114'; each legal hold of a system has its own title/);
  });
});
