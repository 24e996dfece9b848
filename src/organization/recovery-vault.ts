import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct } from 'constructs';
import { AuditedVault } from '../audited-vault';
import { checkNotEmpty } from '../validation/organization';
import { checkAccountIds, checkOrganizationId } from '../validation/vault';

/**
 * Properties of a `RecoveryVault`.
 */
export interface RecoveryVaultProps {
  /**
   * The vault's name: literal, because member accounts' policies copy into it by ARN.
   */
  readonly vaultName: string;
  /** The AWS Organizations id (`o-...`) whose accounts' AWS Backup may copy into the vault. */
  readonly organizationId: string;
  /** The recovery accounts the vault is shared with through AWS RAM (restores and restore testing run there). */
  readonly recoveryAccounts: string[];
  /**
   * The shortest retention of a recovery point in the vault. At least 7 days.
   *
   * @default Duration.days(7)
   */
  readonly minRetention?: Duration;
  /** The longest retention of a recovery point in the vault (logically air-gapped vaults need one). */
  readonly maxRetention: Duration;
  /**
   * The multi-party approval team (`AWS::MPA::ApprovalTeam`, shared with this account through
   * RAM) that must approve restore-access vaults of this vault. Cannot be changed by
   * CloudFormation once set.
   *
   * @default - no approval team
   */
  readonly approvalTeamArn?: string;
  /**
   * Share with accounts outside the organization (a recovery organization).
   *
   * @default false
   */
  readonly allowExternalPrincipals?: boolean;
  /**
   * What happens to the vault when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The central vault of an organization's backups, in the account that only holds
 * backups: a logically air-gapped `AuditedVault` (compliance-mode lock, AWS Backup-owned
 * storage) that the organization's accounts copy into, shared through AWS RAM with a
 * recovery account, and optionally guarded by a multi-party approval team.
 */
export class RecoveryVault extends Construct {
  /** The logically air-gapped vault. */
  public readonly vault: AuditedVault;
  /** The vault's literal ARN, for `copyTo` in an `OrganizationBackupPolicy` and for the recovery account. */
  public readonly vaultArn: string;
  /** The RAM share with the recovery accounts. */
  public readonly resourceShare: ram.CfnResourceShare;

  /**
   * @param scope where the construct is defined
   * @param id the construct id: part of every logical ID and derived name below it, so keep it stable
   * @param props the RecoveryVault's configuration
   */
  constructor(scope: Construct, id: string, props: RecoveryVaultProps) {
    super(scope, id);
    checkOrganizationId(this, 'organizationId', props.organizationId);
    checkNotEmpty(this, 'recoveryAccounts', props.recoveryAccounts, 'share the vault with at least one recovery account');
    checkAccountIds(this, 'recoveryAccounts', props.recoveryAccounts);

    this.vault = new AuditedVault(this, 'Vault', {
      vaultName: props.vaultName,
      airGapped: true,
      vaultLock: { minRetention: props.minRetention ?? Duration.days(7), maxRetention: props.maxRetention },
      allowCopyFromOrganization: props.organizationId,
      mpaApprovalTeamArn: props.approvalTeamArn,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const stack = Stack.of(this);
    this.vaultArn = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)
      ? this.vault.backupVaultArn
      : `arn:${stack.region.startsWith('cn-') ? 'aws-cn' : stack.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws'}:backup:${stack.region}:${stack.account}:backup-vault:${props.vaultName}`;

    this.resourceShare = new ram.CfnResourceShare(this, 'Share', {
      name: `${props.vaultName}-recovery`,
      resourceArns: [this.vault.backupVaultArn],
      principals: props.recoveryAccounts,
      allowExternalPrincipals: props.allowExternalPrincipals ?? false,
    });
  }
}
