import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { AuditedVaultProps } from './audited-vault-props';

/** Actions that destroy or shorten recovery points: denied to everybody but the break-glass roles. */
const DESTRUCTIVE_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'];

/**
 * The vault's access policy: deletion of recovery points denied, copies allowed in from the
 * listed accounts or organization (whose AWS Backup then encrypts with the vault key).
 */
export function renderAccessPolicy(vault: Construct, props: AuditedVaultProps, encryptionKey?: kms.IKey): iam.PolicyDocument {
  const policy = new iam.PolicyDocument();
  const exempt = (props.allowDeletionBy ?? []).map((role) => role.roleArn);
  policy.addStatements(new iam.PolicyStatement({
    sid: 'DenyRecoveryPointDeletion',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: DESTRUCTIVE_ACTIONS,
    resources: ['*'],
    conditions: exempt.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': exempt } } : undefined,
  }));

  const accounts = props.allowCopyFromAccounts ?? [];
  if (accounts.length > 0) {
    policy.addStatements(new iam.PolicyStatement({
      sid: 'AllowCopyFromAccounts',
      principals: accounts.map((a) => new iam.AccountPrincipal(a)),
      actions: ['backup:CopyIntoBackupVault'],
      resources: ['*'],
    }));
  }
  if (props.allowCopyFromOrganization) {
    policy.addStatements(new iam.PolicyStatement({
      sid: 'AllowCopyFromOrganization',
      principals: [new iam.AnyPrincipal()],
      actions: ['backup:CopyIntoBackupVault'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': props.allowCopyFromOrganization } },
    }));
  }
  // Copies made by another account's AWS Backup encrypt with this vault's key.
  if (encryptionKey && (accounts.length > 0 || props.allowCopyFromOrganization)) {
    const principals = accounts.length > 0 ? accounts.map((a) => new iam.AccountPrincipal(a)) : [new iam.AnyPrincipal()];
    encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCrossAccountBackupCopies',
      principals,
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey', 'kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'kms:ViaService': `backup.${Stack.of(vault).region}.amazonaws.com`,
          ...(props.allowCopyFromOrganization ? { 'aws:PrincipalOrgID': props.allowCopyFromOrganization } : {}),
        },
      },
    }));
  }
  return policy;
}
