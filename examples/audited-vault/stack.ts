import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AuditedVault } from 'cdk-compliant-backup';

/**
 * A platform team's audited vaults: a primary vault locked in compliance mode,
 * with a break-glass role and copies accepted from a sandbox account, and a
 * logically air-gapped vault for the copies that must survive an account compromise.
 */
export class AuditedVaultExampleStack extends Stack {
  public readonly vault: AuditedVault;
  public readonly isolatedVault: AuditedVault;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const breakGlass = iam.Role.fromRoleName(this, 'BreakGlass', 'backup-break-glass');

    this.vault = new AuditedVault(this, 'Vault', {
      vaultName: 'platform-primary',
      vaultLock: {
        minRetention: Duration.days(7),
        maxRetention: Duration.days(2555),
        changeableFor: Duration.hours(72),
      },
      allowDeletionBy: [breakGlass],
      allowCopyFromAccounts: ['210987654321'],
    });

    this.isolatedVault = new AuditedVault(this, 'IsolatedVault', {
      vaultName: 'platform-isolated',
      airGapped: true,
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365) },
    });
  }
}
