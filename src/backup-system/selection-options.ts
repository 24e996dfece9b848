/**
 * Tag conditions that refine the tag selection beyond `selectionTags` (whose tags match
 * exactly). Each map is tag key -> value; every condition, `selectionTags` included, must
 * hold for a resource to be selected (CloudFormation `BackupSelection.Conditions`, AND).
 */
export interface SelectionConditions {
  /**
   * Tags whose value matches a pattern: `*` matches any run of characters, anywhere in the
   * value (`prod*`, `*rod*`). A resource is selected only if it carries each of these tags
   * with a matching value.
   *
   * @default - no pattern condition
   */
  readonly stringLike?: Record<string, string>;
  /**
   * Opt-out tags matched exactly: a resource carrying one of these tags with this value is
   * not selected (for example `{ Env: 'scratch' }`). `*` is an ordinary character here.
   *
   * @default - no exact opt-out condition
   */
  readonly stringNotEquals?: Record<string, string>;
  /**
   * Opt-out tags matched by pattern: a resource carrying one of these tags with a value that
   * matches the pattern (`*` matches any run of characters) is not selected.
   *
   * @default - no pattern opt-out condition
   */
  readonly stringNotLike?: Record<string, string>;
}
