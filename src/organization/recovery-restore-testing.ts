import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALL_PROTECTED_RESOURCE_TYPES, backupServiceStatements, wildcardAcknowledgements } from '../backup-system/backup-service-policy';
import { RestoreTesting } from '../backup-system/restore-testing';
import { RestoreTestingOptions } from '../backup-system/restore-testing-options';
import { createEncryptedAlertTopic } from '../private/encrypted-topic';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { recordRemovalPolicy } from '../private/removal';
import { createSecureKey } from '../private/secure-key';
import { checkSameRegion, checkSharedVaultArn } from '../validation/organization';

/**
 * Properties of a `RecoveryRestoreTesting`.
 */
export interface RecoveryRestoreTestingProps {
  /** The literal ARN of the logically air-gapped vault shared with this account through RAM (`RecoveryVault.vaultArn`). */
  readonly sharedVaultArn: string;
  /** The restore testing plan: schedule, windows and one selection per resource type. */
  readonly restoreTesting: RestoreTestingOptions;
  /**
   * Receives the validator's dead-letter alarm.
   *
   * @default - a new KMS-encrypted, TLS-only topic
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * What happens to the keys when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Restore testing in the recovery account, against the logically air-gapped vault that
 * the vault account shares with it through RAM (AWS names restore testing a primary use
 * of RAM sharing): restores run in the recovery account, away from the accounts whose
 * data they prove, and the library's validator checks each restored resource.
 */
export class RecoveryRestoreTesting extends Construct {
  /** The restore testing plan. */
  public readonly plan: backup.CfnRestoreTestingPlan;
  /** The role AWS Backup assumes to restore the test resources. */
  public readonly restoreRole: iam.IRole;
  /** Receives the validator's alarms. */
  public readonly alarmTopic: sns.ITopic;

  /**
   * @param scope where the construct is defined
   * @param id the construct id: part of every logical ID and derived name below it, so keep it stable
   * @param props the RecoveryRestoreTesting's configuration
   */
  constructor(scope: Construct, id: string, props: RecoveryRestoreTestingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    checkSharedVaultArn(this, 'sharedVaultArn', props.sharedVaultArn);
    checkSameRegion(this, 'sharedVaultArn', props.sharedVaultArn.split(':')[3], stack.region);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    recordRemovalPolicy(props.removalPolicy, this);

    const role = new ManagedPolicyRole(this, 'RestoreRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup restores test resources from the shared vault ${props.sharedVaultArn}`,
    });
    const statements = backupServiceStatements(stack, ALL_PROTECTED_RESOURCE_TYPES);
    role.policy.addStatements(...statements);
    Validations.of(role.policy).acknowledge(...wildcardAcknowledgements(statements, stack));
    this.restoreRole = role;

    if (props.alarmTopic) {
      this.alarmTopic = props.alarmTopic;
    } else {
      const key = createSecureKey(this, 'AlarmKey', { description: `Encrypts the alarm topic of ${this.node.path}`, removalPolicy });
      this.alarmTopic = createEncryptedAlertTopic(this, 'AlarmTopic', key, `Restore testing alarms: ${this.node.path}`);
    }

    const testing = new RestoreTesting(this, 'RestoreTesting', props.restoreTesting, {
      sourceVaultArns: [props.sharedVaultArn],
      // The shared vault holds other accounts' recovery points: no tag of this account narrows them.
      selectionTags: {},
      restoreRole: role,
      alarmTopic: this.alarmTopic,
      removalPolicy,
    });
    this.plan = testing.plan;
  }
}
