import { Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { Construct } from 'constructs';
import { BackupTier } from './backup-tier';
import { S3LowCostTierOptions } from './s3-tiering-options';
import { IAuditedVault } from '../audited-vault-props';
import { collectViolations } from '../validation/errors';
import { checkTieringBeforeDeletion, checkTieringDays } from '../validation/storage-tiers';
import { vaultLockDays } from '../validation/vault';

/** What the tiering configuration needs from the system. */
export interface S3LowCostTierContext {
  readonly vault: IAuditedVault;
  /** The tiers at synth time (tiers added with addTier() count). */
  readonly tiers: () => readonly BackupTier[];
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Renders `AWS::Backup::TieringConfiguration` for every S3 resource (`*`) in the primary vault,
 * as `<system>/S3LowCostTier/Resource`. Air-gapped tiers are left out of the check: a logically
 * air-gapped vault holds their S3 backups directly, and AWS documents tiering for backup vaults only.
 */
export function createS3LowCostTier(system: Construct, options: S3LowCostTierOptions, ctx: S3LowCostTierContext): backup.CfnTieringConfiguration {
  const prop = 's3LowCostTier.tierDownAfter';
  const days = checkTieringDays(system, prop, options.tierDownAfter);
  const scope = new Construct(system, 'S3LowCostTier');
  const resource = new backup.CfnTieringConfiguration(scope, 'Resource', {
    // Unique per account and region, letters, digits and underscores only, immutable: derived from the path.
    tieringConfigurationName: Names.uniqueResourceName(scope, { maxLength: 200, separator: '_' }).replace(/[^A-Za-z0-9_]/g, '_'),
    backupVaultName: ctx.vault.backupVaultName,
    resourceSelection: [{
      resourceType: 'S3',
      resources: ['*'],
      tieringDownSettingsInDays: Token.isUnresolved(options.tierDownAfter) ? options.tierDownAfter.toDays() : days,
    }],
  });
  resource.applyRemovalPolicy(ctx.removalPolicy);
  const lock = ctx.vault.vaultLock ? vaultLockDays(ctx.vault.vaultLock) : undefined;
  system.node.addValidation({
    validate: () => collectViolations(() => checkTieringBeforeDeletion(system, prop, days,
      ctx.tiers().filter((t) => !t.airGapped).map((t) => ({ name: t.name, retentionDays: t.retention.toDays() })),
      `the primary vault ${ctx.vault.node.path}`, lock)),
  });
  return resource;
}
