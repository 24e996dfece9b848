import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import { Construct } from 'constructs';
import { LegalHoldOptions } from './legal-hold-options';
import { contentId } from '../private/ids';
import { checkLegalHoldDateRange, checkLegalHoldSelection, checkLegalHoldText, checkLegalHoldTitleUnique } from '../validation/legal-hold';
import { LEGAL_HOLD_SHAPE } from '../validation/prop-shapes';
import { checkPropType } from '../validation/prop-types';

/**
 * Renders one legal hold as `AWS::Backup::LegalHold`. Rendered from the CloudFormation
 * reference (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-backup-legalhold.html):
 * `Title`, `Description`, `RecoveryPointSelection { VaultNames, ResourceIdentifiers, DateRange }`.
 * The hold is RETAINed unless its own options say otherwise: deleting the stack must not
 * release recovery points that are held for litigation or an investigation.
 */
export function createLegalHold(
  system: Construct, parent: Construct, id: string, prop: string, options: LegalHoldOptions, defaultVaults: readonly backup.IBackupVault[],
): backup.CfnLegalHold {
  checkLegalHoldText(system, prop, 'title', options.title);
  checkLegalHoldText(system, prop, 'description', options.description);
  checkLegalHoldSelection(system, prop, { vaultCount: options.vaults?.length, resourceArns: options.resourceArns });
  if (options.dateRange) checkLegalHoldDateRange(system, prop, options.dateRange);
  const vaults = options.vaults ?? defaultVaults;
  const hold = new backup.CfnLegalHold(parent, id, {
    title: options.title,
    description: options.description,
    recoveryPointSelection: {
      vaultNames: vaults.map((v) => v.backupVaultName),
      resourceIdentifiers: options.resourceArns && options.resourceArns.length > 0 ? [...options.resourceArns] : undefined,
      dateRange: options.dateRange ? {
        fromDate: unixSeconds(options.dateRange.fromDate),
        toDate: unixSeconds(options.dateRange.toDate),
      } : undefined,
    },
  });
  hold.applyRemovalPolicy(options.removalPolicy ?? RemovalPolicy.RETAIN);
  return hold;
}

/**
 * The construct id of a hold given in props: derived from its title alone (readable part plus
 * a hash of the whole title), so adding, removing or reordering other holds never renames it.
 */
export function legalHoldId(title: string): string {
  return `${title.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}${contentId(title)}`;
}

/**
 * A date as CloudFormation's `DateRange` writes it: Unix seconds in UTC, milliseconds optional
 * ("1516925490.087" in the reference). aws-cdk-lib's generated docs say "ISO 8601 date-time";
 * the CloudFormation and API references both say Unix format, and the API takes a number.
 */
export function unixSeconds(date: Date): string {
  const ms = date.getTime();
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(3);
}

/** A system's legal holds: all under one `LegalHolds` scope, titles unique. */
export class LegalHoldRegistry {
  /** Every hold created so far, in order. */
  public readonly holds: backup.CfnLegalHold[] = [];
  private scope?: Construct;
  private readonly titles: string[] = [];

  /**
   * @param system the system the holds belong to: errors name its path
   * @param defaultVaults the vaults a hold covers when its options name none
   */
  constructor(private readonly system: Construct, private readonly defaultVaults: readonly backup.IBackupVault[]) {}

  /**
   * Checks and creates one hold; `prop` is how the user asked for it (for error messages).
   * Without `id` (holds given in props) the id is derived from the title.
   */
  public add(id: string | undefined, prop: string, options: LegalHoldOptions): backup.CfnLegalHold {
    checkPropType(this.system, prop, options, { kind: 'shape', shape: LEGAL_HOLD_SHAPE, required: true });
    checkLegalHoldTitleUnique(this.system, prop, options.title, this.titles);
    this.scope ??= new Construct(this.system, 'LegalHolds');
    const hold = createLegalHold(this.system, this.scope, id ?? legalHoldId(options.title), prop, options, this.defaultVaults);
    this.titles.push(options.title);
    this.holds.push(hold);
    return hold;
  }
}
