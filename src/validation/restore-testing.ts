import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeDuration, fail } from './errors';

// --- Restore testing -------------------------------------------------------------

/** AWS Backup restore testing limits. */
export const RESTORE_TESTING_LIMITS = {
  minStartWindowHours: 1,
  maxStartWindowHours: 168,
  minSelectionWindowDays: 1,
  maxSelectionWindowDays: 365,
  minValidationWindowHours: 1,
  maxValidationWindowHours: 168,
  maxNameLength: 50,
  maxProtectedResourceArns: 30,
} as const;

/** Whole hours of a duration, or an error saying that restore testing counts in hours. */
export function restoreTestingHours(scope: IConstruct, prop: string, d: Duration): number {
  const hours = d.toMilliseconds() / 60_000 / 60;
  if (!Number.isInteger(hours)) {
    fail(scope, prop, describeDuration(d), 'restore testing counts this window in whole hours (use Duration.hours())');
  }
  return hours;
}

export function checkRestoreTestingName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[a-zA-Z0-9_]{1,50}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a restore testing plan or selection name is 1-50 letters, digits and underscores');
  }
}

/** Returns the start window in hours: 1-168. */
export function checkRestoreStartWindow(scope: IConstruct, prop: string, startWindow: Duration): number {
  const hours = restoreTestingHours(scope, prop, startWindow);
  if (hours < RESTORE_TESTING_LIMITS.minStartWindowHours || hours > RESTORE_TESTING_LIMITS.maxStartWindowHours) {
    fail(scope, prop, describeDuration(startWindow), 'the start window of a restore testing plan is 1-168 hours (one week)');
  }
  return hours;
}

/** Returns the selection window in days: 1-365. */
export function checkRestoreSelectionWindow(scope: IConstruct, prop: string, selectionWindow: Duration): number {
  const days = selectionWindow.toMilliseconds() / 60_000 / (24 * 60);
  if (!Number.isInteger(days)) {
    fail(scope, prop, describeDuration(selectionWindow), 'restore testing counts the selection window in whole days (use Duration.days())');
  }
  if (days < RESTORE_TESTING_LIMITS.minSelectionWindowDays || days > RESTORE_TESTING_LIMITS.maxSelectionWindowDays) {
    fail(scope, prop, describeDuration(selectionWindow), 'restore testing chooses recovery points from the last 1-365 days');
  }
  return days;
}

/** Returns the validation window in hours: 1-168. */
export function checkRestoreValidationWindow(scope: IConstruct, prop: string, validationWindow: Duration): number {
  const hours = restoreTestingHours(scope, prop, validationWindow);
  if (hours < RESTORE_TESTING_LIMITS.minValidationWindowHours || hours > RESTORE_TESTING_LIMITS.maxValidationWindowHours) {
    fail(scope, prop, describeDuration(validationWindow), 'the validation window of a restore testing selection is 1-168 hours');
  }
  return hours;
}

export function checkRestoreTestingSelectionCount(scope: IConstruct, prop: string, count: number): void {
  if (count < 1) {
    fail(scope, prop, '[]', 'restore testing needs at least one selection (one per resource type to test)');
  }
}

/** A selection names exactly one resource type, and it is one that restore testing supports. */
export function checkRestoreTestingResourceType(scope: IConstruct, prop: string, resourceType: string, supported: readonly string[]): void {
  if (Token.isUnresolved(resourceType)) return;
  if (!supported.includes(resourceType)) {
    fail(scope, prop, `'${resourceType}'`,
      `a restore testing selection names exactly one resource type, one of ${supported.join(', ')}; add a selection per type`);
  }
}

/** Restore testing runs as the system's backup role: a type that role cannot restore would fail every test. */
export function checkRestoreTypeCoveredByRole(scope: IConstruct, prop: string, resourceType: string, covered: readonly string[]): void {
  if (Token.isUnresolved(resourceType) || covered.includes(resourceType)) return;
  fail(scope, prop, `'${resourceType}'`, `restore tests run as the backup role of this system, which can restore ${covered.join(', ')} `
    + `only (the types its tag selection can select); ${resourceType} restores would fail on permissions`);
}

/**
 * `['*']`, or up to 30 ARNs, each of the selection's resource type (a selection
 * holds one resource type; an ARN of another service is another type).
 */
export function checkProtectedResourceArns(
  scope: IConstruct,
  prop: string,
  arns: readonly string[],
  resourceType: string,
  services: readonly string[],
): void {
  if (arns.length === 0) fail(scope, prop, '[]', "list the resources to test, or ['*'] for every protected resource of the type");
  if (arns.includes('*') && arns.length > 1) {
    fail(scope, prop, `[${arns.map((a) => (Token.isUnresolved(a) ? '(token)' : `'${a}'`)).join(', ')}]`,
      "it is either ['*'] or specific ARNs, not both");
  }
  if (arns.length > RESTORE_TESTING_LIMITS.maxProtectedResourceArns) {
    fail(scope, prop, `${arns.length} ARNs`, `a restore testing selection lists at most ${RESTORE_TESTING_LIMITS.maxProtectedResourceArns} resource ARNs`);
  }
  for (const arn of arns) {
    if (arn === '*' || Token.isUnresolved(arn)) continue;
    const service = arn.split(':')[2];
    if (!arn.startsWith('arn:') || !services.includes(service)) {
      fail(scope, prop, `'${arn}'`,
        `this selection's resource type is ${resourceType}, so it holds ${resourceType} resources only (ARNs of ${services.join(' or ')}); `
        + 'add a selection per resource type');
    }
  }
}

export function checkUniqueRestoreTestingSelectionName(scope: IConstruct, prop: string, name: string, taken: ReadonlySet<string>): void {
  if (Token.isUnresolved(name)) return;
  if (taken.has(name)) {
    fail(scope, prop, `'${name}'`, 'restore testing selection names must be unique within the plan');
  }
}
