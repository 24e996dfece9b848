import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { fail } from './errors';

/*
 * Rules of the tag selection (`AWS::Backup::BackupSelection`): its tag conditions and its
 * excluded resources. Sources:
 * - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html
 *   (Conditions AND together; NotResources: at most 500 ARNs without wildcards, or 30 with)
 * - https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Conditions.html
 *   (StringLike/StringNotLike: `*` anywhere in the value; condition keys `aws:ResourceTag/<key>`)
 * - https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 *   (a tag key is 1-128 characters, a tag value 0-256)
 */

export const SELECTION_LIMITS = {
  maxTagKeyLength: 128,
  maxTagValueLength: 256,
  maxArns: 500,
  maxArnsWithWildcards: 30,
} as const;

/** The library writes `aws:ResourceTag/` in front of every key: a key that already has it would never match. */
const CONDITION_KEY_PREFIX = 'aws:ResourceTag/';

/** One tag condition as the user wrote it: the prop it came from, the tag key and value. */
export interface TagCondition {
  readonly prop: string;
  readonly key: string;
  readonly value: string;
}

/** Every condition's tag key and value are ones a tag can have. */
export function checkTagConditions(scope: IConstruct, conditions: readonly TagCondition[]): void {
  for (const { prop, key, value } of conditions) {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) continue;
    if (key.startsWith(CONDITION_KEY_PREFIX)) {
      fail(scope, `${prop} key`, `'${key}'`, `pass the bare tag key ('${key.slice(CONDITION_KEY_PREFIX.length)}'): the library writes the ${CONDITION_KEY_PREFIX} prefix`);
    }
    if (key.length < 1 || key.length > SELECTION_LIMITS.maxTagKeyLength) {
      fail(scope, `${prop} key`, `'${key}' (${key.length} characters)`, `a tag key is 1-${SELECTION_LIMITS.maxTagKeyLength} characters`);
    }
    if (value.length > SELECTION_LIMITS.maxTagValueLength) {
      fail(scope, `${prop}['${key}']`, `${value.length} characters`, `a tag value is at most ${SELECTION_LIMITS.maxTagValueLength} characters`);
    }
  }
}

/**
 * A tag that must equal a value and must not equal the same value selects nothing: with
 * conditions ANDed, such a selection is empty, which is never what was meant.
 */
export function checkNoContradiction(scope: IConstruct, selectionTags: Record<string, string>, notEquals: Record<string, string>): void {
  for (const [key, value] of Object.entries(notEquals)) {
    if (selectionTags[key] === value) {
      fail(scope, `selectionConditions.stringNotEquals['${key}']`, `'${value}'`,
        `selectionTags requires ${key}=${value}, and all conditions must hold, so nothing would be selected: drop one of the two`);
    }
  }
}

/**
 * Excluded resources (`NotResources`): ARNs, at most 500, or 30 when any has a wildcard; and only
 * beside a tag condition (without one there is no tag selection to exclude them from).
 */
export function checkExcludeResources(scope: IConstruct, arns: readonly string[], hasTagCondition: boolean): void {
  if (arns.length === 0) return;
  if (!hasTagCondition) {
    fail(scope, 'excludeResources', `[${arns.length} ARNs]`,
      'excludeResources narrows the tag selection, and there is none (selectionTags is {} and selectionConditions is empty): '
      + 'select by tag, or leave the resources out of protect()');
  }
  arns.forEach((arn, i) => {
    if (Token.isUnresolved(arn)) return;
    if (!/^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9*-]*:(\d{12}|\*)?:.+$/.test(arn)) {
      fail(scope, `excludeResources[${i}]`, `'${arn}'`, 'expected a resource ARN (arn:partition:service:region:account:resource; `*` as a wildcard)');
    }
  });
  if (new Set(arns).size !== arns.length) {
    fail(scope, 'excludeResources', `[${arns.join(', ')}]`, 'each ARN once');
  }
  const wildcards = arns.some((a) => !Token.isUnresolved(a) && a.includes('*'));
  const max = wildcards ? SELECTION_LIMITS.maxArnsWithWildcards : SELECTION_LIMITS.maxArns;
  if (arns.length > max) {
    fail(scope, 'excludeResources', `${arns.length} ARNs${wildcards ? ' (some with wildcards)' : ''}`,
      `a selection excludes at most ${SELECTION_LIMITS.maxArns} ARNs, or ${SELECTION_LIMITS.maxArnsWithWildcards} when any has a wildcard: `
      + 'exclude by tag instead (selectionConditions.stringNotEquals)');
  }
}
