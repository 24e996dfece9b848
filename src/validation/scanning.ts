import { IConstruct } from 'constructs';
import { fail } from './errors';

/*
 * Malware scanning and backup indexes of a tier: what AWS Backup accepts in a rule's
 * `ScanActions` and `IndexActions`, and where the library can render them.
 */

/**
 * A tier's indexes (each an IndexedResourceType, EBS or S3: the props' shape check has seen to
 * that): one type per tier (a rule takes at most one index action with one resource type:
 * API_IndexAction, BackupRuleInput.IndexActions), and never on an air-gapped
 * tier, whose EBS and S3 recovery points land in the logically air-gapped vault, which AWS
 * Backup does not index (https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-search.html).
 */
export function checkBackupIndexes(scope: IConstruct, prop: string, types: readonly string[] | undefined, airGapped: boolean): void {
  if (types === undefined || types.length === 0) return;
  if (types.length > 1) {
    fail(scope, prop, `[${types.join(', ')}]`,
      'a backup rule takes one index action with one resource type: index each type in a tier of its own');
  }
  if (airGapped) {
    fail(scope, prop, `[${types.join(', ')}]`,
      'the tier is airGapped, and AWS Backup does not index recovery points in a logically air-gapped vault: '
      + 'index a tier that is not air-gapped');
  }
}

/**
 * An organization backup policy is rendered in the backup policy language, in which this library
 * renders neither scanning nor indexes (member accounts would also need a scanner role the
 * member template does not create): a tier that asks for them is rejected rather than silently
 * rendered without them.
 */
export function checkPolicyTierFeatures(
  scope: IConstruct, path: string, tier: { malwareScan?: string; backupIndexes?: readonly string[] },
): void {
  if (tier.malwareScan !== undefined) {
    fail(scope, `${path}.malwareScan`, `'${tier.malwareScan}'`,
      'OrganizationBackupPolicy does not render malware scanning into the backup policy: leave it unset here and scan with a '
      + 'CompliantBackupSystem (which creates the GuardDuty scanner role) in the member account');
  }
  if (tier.backupIndexes !== undefined && tier.backupIndexes.length > 0) {
    fail(scope, `${path}.backupIndexes`, `[${tier.backupIndexes.join(', ')}]`,
      'OrganizationBackupPolicy does not render backup indexes into the backup policy: leave it unset here and index with a '
      + 'CompliantBackupSystem in the member account');
  }
}
