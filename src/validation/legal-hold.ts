import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/*
 * Rules of legal holds (`AWS::Backup::LegalHold`). Sources:
 * - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_CreateLegalHold.html (Title and Description required)
 * - https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-backup-legalhold-daterange.html
 *   (FromDate and ToDate both required, inclusive; "Future DateTime values are not permitted")
 * AWS documents no length limit for Title or Description, so none is checked here.
 */

/** A hold's title and description are present and not blank (AWS requires both). */
export function checkLegalHoldText(scope: IConstruct, prop: string, field: 'title' | 'description', text: string): void {
  if (Token.isUnresolved(text)) return;
  if (typeof text !== 'string' || text.trim().length === 0) {
    fail(scope, `${prop}.${field}`, JSON.stringify(text), `a legal hold needs a ${field} (AWS requires one): say what the hold is for`);
  }
}

/** The range is in order and not in the future (judged at synth: a deployment later only moves "now" forward). */
export function checkLegalHoldDateRange(scope: IConstruct, prop: string, range: { fromDate: Date; toDate: Date }, now: Date = new Date()): void {
  const { fromDate: from, toDate: to } = range;
  for (const [name, d] of [['fromDate', from], ['toDate', to]] as const) {
    if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
      fail(scope, `${prop}.dateRange.${name}`, String(d), 'expected a valid Date');
    }
  }
  if (from.getTime() > to.getTime()) {
    fail(scope, `${prop}.dateRange`, `${from.toISOString()} to ${to.toISOString()}`, 'fromDate must not be after toDate (both are inclusive)');
  }
  if (to.getTime() > now.getTime()) {
    fail(scope, `${prop}.dateRange.toDate`, to.toISOString(),
      'AWS Backup does not accept a date range that ends in the future: hold recovery points already taken (leave dateRange unset to hold every one)');
  }
}

/** Resource identifiers are ARNs; an explicit vault list is not empty. */
export function checkLegalHoldSelection(scope: IConstruct, prop: string, o: { vaultCount?: number; resourceArns?: readonly string[] }): void {
  if (o.vaultCount === 0) {
    fail(scope, `${prop}.vaults`, '[]', 'a legal hold holds recovery points of at least one vault: name one, or leave vaults unset for this system\'s vaults');
  }
  (o.resourceArns ?? []).forEach((arn, i) => {
    if (Token.isUnresolved(arn)) return;
    if (!/^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9*-]*:(\d{12}|\*)?:.+$/.test(arn)) {
      fail(scope, `${prop}.resourceArns[${i}]`, `'${arn}'`, 'expected the ARN of a backed-up resource');
    }
  });
}

/** Titles are unique within a system: each hold's construct id is derived from its title. */
export function checkLegalHoldTitleUnique(scope: IConstruct, prop: string, title: string, existing: readonly string[]): void {
  if (existing.includes(title)) {
    fail(scope, `${prop}.title`, `'${title}'`, 'each legal hold of a system has its own title (its construct id is derived from it)');
  }
}
