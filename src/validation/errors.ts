import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';


/*
 * The one convention of every synth-time rule in src/validation/: a rule is a function
 * that throws `ComplianceRuleError` when its input breaks an AWS limit or a declared
 * guarantee, with a message that names the construct path, the prop, the value received
 * and what is allowed. It returns nothing, or the validated value in the unit AWS uses
 * (days, hours); it never returns an error or a message. Unresolved tokens are skipped:
 * their value is known only at deploy time. Checks that depend on later calls run in
 * `node.addValidation` through `collectViolations`.
 */

/**
 * Thrown for every input the library rejects at synth: a value AWS would refuse at
 * deploy time (names, ARNs, regions, windows, limits) or one that breaks a guarantee
 * the construct declares (vault locks, compliance profiles, RPOs).
 */
export class ComplianceRuleError extends Error {
  constructor(scope: IConstruct, prop: string, value: string, allowed: string) {
    super(`${scope.node.path}: ${prop} is ${value}; ${allowed}`);
    this.name = 'ComplianceRuleError';
  }
}

export const fail = (scope: IConstruct, prop: string, value: string, allowed: string): never => {
  throw new ComplianceRuleError(scope, prop, value, allowed);
};

/** A Duration as a person would write it, for messages. */
export function describeDuration(d: Duration): string {
  return Token.isUnresolved(d) ? '(token)' : d.toHumanString();
}

/** Whole days of a duration, or an error saying that AWS Backup counts in days. */
export function wholeDays(scope: IConstruct, prop: string, d: Duration): number {
  // Milliseconds, not toHours(): aws-cdk-lib's conversions throw on fractions, without a path.
  const days = d.toMilliseconds() / 86_400_000;
  if (!Number.isInteger(days)) {
    fail(scope, prop, describeDuration(d), 'AWS Backup counts retention in whole days (use Duration.days())');
  }
  return days;
}

/**
 * Runs rules for `node.addValidation`: the message of each violation they throw, so
 * that every violation is reported at synth (and makes it fail), not only the first.
 */
export function collectViolations(...rules: Array<() => void>): string[] {
  const messages: string[] = [];
  for (const rule of rules) {
    try {
      rule();
    } catch (e) {
      if (!(e instanceof ComplianceRuleError)) throw e;
      messages.push(e.message);
    }
  }
  return messages;
}

