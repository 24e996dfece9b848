import * as mpa from 'aws-cdk-lib/aws-mpa';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct } from 'constructs';
import { checkApprovalTeam, checkNotEmpty } from '../validation/organization';
import { checkAccountIds } from '../validation/vault';

/** The MPA policy that lets a team approve restore-access vaults of AWS Backup (AWS Backup developer guide, "Administrator tasks"). */
export const RESTORE_ACCESS_VAULT_POLICY = 'arn:aws:mpa::aws:policy/backup.amazonaws.com/CreateRestoreAccessVault';
/** The RAM permission that shares an approval team (AWS Backup developer guide, "Share a Multi-party approval team using AWS RAM"). */
export const APPROVAL_TEAM_RAM_PERMISSION = 'arn:aws:ram::aws:permission/AWSRAMMPAApprovalTeamAccess';

/**
 * Properties of a `RecoveryApprovalTeam`.
 */
export interface RecoveryApprovalTeamProps {
  /** The team's name. */
  readonly teamName: string;
  /** The MPA identity source (IAM Identity Center), `arn:aws:mpa:<region>:<account>:identity-sources/...`. */
  readonly identitySourceArn: string;
  /** IAM Identity Center user ids of the approvers: at least 3. */
  readonly approverIds: string[];
  /** Approvals needed: at least 2, at most the number of approvers. */
  readonly minApprovals: number;
  /** The accounts that own the logically air-gapped vaults the team guards (the team is shared with them through RAM). */
  readonly vaultAccounts: string[];
}

/**
 * A multi-party approval team for restore-access vaults of logically air-gapped vaults,
 * in the management account of the organization that runs Multi-party approval (AWS
 * recommends a separate recovery organization), shared through RAM with the accounts
 * that own the vaults. Pass `approvalTeamArn` to their `RecoveryVault` once it exists.
 */
export class RecoveryApprovalTeam extends Construct {
  /** The approval team. */
  public readonly team: mpa.CfnApprovalTeam;
  /** The team's ARN. */
  public readonly approvalTeamArn: string;
  /** The RAM share of the team with the vault accounts. */
  public readonly resourceShare: ram.CfnResourceShare;

  /**
   * @param scope where the construct is defined
   * @param id the construct id: part of every logical ID and derived name below it, so keep it stable
   * @param props the RecoveryApprovalTeam's configuration
   */
  constructor(scope: Construct, id: string, props: RecoveryApprovalTeamProps) {
    super(scope, id);
    checkApprovalTeam(this, props.approverIds.length, props.minApprovals);
    checkNotEmpty(this, 'vaultAccounts', props.vaultAccounts, 'share the team with at least one account that owns a logically air-gapped vault');
    checkAccountIds(this, 'vaultAccounts', props.vaultAccounts);

    this.team = new mpa.CfnApprovalTeam(this, 'Resource', {
      name: props.teamName,
      description: `Approves restore-access vaults of the organization's logically air-gapped backup vaults (${this.node.path})`,
      approvalStrategy: { mofN: { minApprovalsRequired: props.minApprovals } },
      approvers: props.approverIds.map((primaryIdentityId) => ({ primaryIdentityId, primaryIdentitySourceArn: props.identitySourceArn })),
      policies: [{ policyArn: RESTORE_ACCESS_VAULT_POLICY }],
    });
    this.approvalTeamArn = this.team.attrArn;
    this.resourceShare = new ram.CfnResourceShare(this, 'Share', {
      name: `${props.teamName}-share`,
      resourceArns: [this.approvalTeamArn],
      principals: props.vaultAccounts,
      permissionArns: [APPROVAL_TEAM_RAM_PERMISSION],
      allowExternalPrincipals: true,
    });
  }
}
