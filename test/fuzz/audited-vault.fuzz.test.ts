import { Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as fc from 'fast-check';
import { AuditedVault } from '../../src';
import { lockSpec } from './support/backup-specs';
import { FuzzTally } from './support/counts';
import { materialize } from './support/inputs';
import { judge } from './support/outcome';
import { fuzz, summary } from './support/property';
import { removeFuzzOutdir } from './support/synth';
import { Mode, field, optional, ref, typical } from './support/values';

/**
 * AuditedVault under generated props: names, locks at and around every bound
 * (minimum 1 day, 7 when air-gapped, maximum 36500, grace time 72 hours), copy
 * grants, notification events (deprecated ones too), break-glass roles, multi-party
 * approval, removal policies, and a user's aws-cdk-lib plan that targets the vault
 * (which an air-gapped vault must refuse).
 */

const KNOWN_PROPS = ['vaultName', 'vaultLock', 'airGapped', 'allowCopyFromAccounts', 'allowCopyFromOrganization', 'notificationEvents',
  'allowDeletionBy', 'encryptionKey', 'notificationTopic', 'mpaApprovalTeamArn', 'failureAlerts', 'removalPolicy', 'handlerVpc',
  'TargetBackupVault'];

const EVENTS = [...Object.values(backup.BackupVaultEvents), 'NOT_AN_EVENT'];
/** Events AWS Backup still sends (the deprecated ones are rejected by the library). */
const CURRENT_EVENTS = [backup.BackupVaultEvents.BACKUP_JOB_COMPLETED, backup.BackupVaultEvents.COPY_JOB_FAILED,
  backup.BackupVaultEvents.RESTORE_JOB_COMPLETED, backup.BackupVaultEvents.RECOVERY_POINT_MODIFIED];

function vaultSpec(mode: Mode) {
  return fc.record({
    vaultName: optional(mode, typical(mode, fc.constantFrom('audit-vault', 'v_1', 'ab', 'x'.repeat(50)), fc.constantFrom('a', '', 'x'.repeat(51), 'bad name', 'vault.1'))),
    vaultLock: optional(mode, lockSpec(mode)),
    airGapped: optional(mode, fc.boolean()),
    allowCopyFromAccounts: optional(mode, fc.array(field(mode, typical(mode, fc.constantFrom('123456789012', '210987654321'),
      fc.constantFrom('12345678901', 'abcdefghijkl', ''))), { maxLength: 3 }), 2),
    allowCopyFromOrganization: optional(mode, typical(mode, fc.constantFrom('o-abcdefghij', 'o-a1b2c3d4e5f6'), fc.constantFrom('o-short', 'O-ABCDEFGHIJ', '')), 2),
    notificationEvents: optional(mode, typical(mode, fc.subarray(CURRENT_EVENTS, { maxLength: 4 }), fc.subarray(EVENTS, { maxLength: 4 })), 2),
    allowDeletionBy: optional(mode, fc.array(ref('role', 6), { maxLength: 6 }), 2),
    encryptionKey: optional(mode, ref('key', 1), 2),
    notificationTopic: optional(mode, ref('topic', 1), 2),
    mpaApprovalTeamArn: optional(mode, fc.constantFrom('arn:aws:mpa:eu-west-1:123456789012:approval-team/abc123', 'not-an-arn'), mode === 'plausible' ? 20 : 4),
    failureAlerts: optional(mode, fc.boolean(), 1, 2),
    removalPolicy: optional(mode, fc.constantFrom('retain', 'destroy', 'snapshot', 'retain-on-update-or-delete'), 2),
    targetedByPlan: fc.boolean(),
  });
}

type VaultSpec = ReturnType<typeof vaultSpec> extends fc.Arbitrary<infer T> ? T : never;

const env = { account: '123456789012', region: 'eu-west-1' };

/** A user's aws-cdk-lib plan that targets the vault, kept inside a well-typed lock (so that only the air-gapped rule can trip). */
function planRetentionDays(spec: VaultSpec): number {
  const lock: any = spec.vaultLock;
  const min = lock?.minRetention;
  return min?.$duration === 'days' && min.amount >= 1 ? min.amount : 7;
}

function run(spec: VaultSpec) {
  return judge((app) => {
    const stack = new Stack(app, 'Vaults', { env });
    const roles = Array.from({ length: 6 }, (_, i) => new iam.Role(stack, `BreakGlass${i}`, { assumedBy: new iam.AccountRootPrincipal() }));
    const key = new kms.Key(stack, 'UserKey', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'UserTopic');
    return { stack, refs: (kind: string, i: number) => (kind === 'role' ? roles[i] : kind === 'key' ? key : topic) };
  }, ({ stack, refs }) => {
    const { targetedByPlan, ...props } = spec;
    const vault = new AuditedVault(stack, 'Vault', materialize(props, refs));
    if (targetedByPlan) {
      new backup.BackupPlan(stack, 'UserPlan', {
        backupVault: vault,
        backupPlanRules: [new backup.BackupPlanRule({
          ruleName: 'user',
          deleteAfter: Duration.days(planRetentionDays(spec)),
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '3' }),
        })],
      });
    }
  }, KNOWN_PROPS);
}

describe('AuditedVault fuzz', () => {
  const tally = new FuzzTally('AuditedVault');
  afterAll(() => {
    tally.write();
    removeFuzzOutdir();
  });

  test('plausible props, an edge value now and then: consistent template or ComplianceRuleError naming the prop', () => {
    const defects = fuzz(tally, 'plausible props', 150, vaultSpec('plausible'), run);
    console.log(summary(tally, 'plausible props'));
    expect(defects).toEqual([]);
    expect(tally.tally('plausible props').valid).toBeGreaterThan(0);
  });

  test('well-typed props at and around every bound: consistent template or ComplianceRuleError naming the prop', () => {
    const defects = fuzz(tally, 'well-typed props', 250, vaultSpec('typed'), run);
    console.log(summary(tally, 'well-typed props'));
    expect(defects).toEqual([]);
  });

  test('the well-typed sample reaches both sides of the rules: some inputs synthesize, some are rejected', () => {
    expect(tally.tally('well-typed props').valid).toBeGreaterThan(0);
    expect(tally.tally('well-typed props').rejected).toBeGreaterThan(0);
  });

  test('values of the wrong type, as a JavaScript user can pass them: never a TypeError or an error without the path', () => {
    const defects = fuzz(tally, 'wrong-typed props', 200, vaultSpec('untyped'), run);
    console.log(summary(tally, 'wrong-typed props'));
    expect(defects).toEqual([]);
  });

  test('the counts match the committed evidence (docs/evidence/fuzz-counts.json; regenerate with `npx projen docs`)', () => {
    const committed = tally.committedEvidence();
    // FUZZ_RUNS or FUZZ_SEED set, or a property filtered out: another sample than the evidence's.
    if (committed === undefined || Object.keys(tally.result().properties).length < 3) return;
    expect(committed).toEqual(tally.result());
  });
});
