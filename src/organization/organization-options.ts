/**
 * Value types of the organization construct: where a policy attaches, how child
 * policies may change it, and how the member StackSet rolls out.
 */

/** What an AWS Organizations policy attaches to: the root, an OU or an account. */
export class OrganizationTarget {
  /** The organization's root (`r-...`): every account. */
  public static root(rootId: string): OrganizationTarget {
    return new OrganizationTarget(rootId, OrganizationTargetKind.ROOT);
  }

  /** An organizational unit (`ou-...`) and every account below it, including accounts added later. */
  public static organizationalUnit(ouId: string): OrganizationTarget {
    return new OrganizationTarget(ouId, OrganizationTargetKind.ORGANIZATIONAL_UNIT);
  }

  /** One account (12 digits). The member StackSet reaches it through the root, filtered to the account. */
  public static account(accountId: string): OrganizationTarget {
    return new OrganizationTarget(accountId, OrganizationTargetKind.ACCOUNT);
  }

  /** The root, OU or account id. */
  public readonly id: string;
  /** What the id names. */
  public readonly kind: OrganizationTargetKind;

  private constructor(id: string, kind: OrganizationTargetKind) {
    this.id = id;
    this.kind = kind;
  }
}

/** What an `OrganizationTarget` names. */
export enum OrganizationTargetKind {
  /** The organization's root. */
  ROOT = 'ROOT',
  /** An organizational unit. */
  ORGANIZATIONAL_UNIT = 'ORGANIZATIONAL_UNIT',
  /** A single account. */
  ACCOUNT = 'ACCOUNT',
}

/**
 * How policies attached lower in the organization may change this policy's plan
 * (the child-control operator `@@operators_allowed_for_child_policies`).
 */
export enum PolicyInheritance {
  /**
   * Child policies cannot change this plan (`@@none` on every node of the plan, as
   * in AWS's "a parent policy prevents changes to one backup plan" example), but
   * may add plans of their own (`@@append` on `plans`).
   */
  LOCKED = 'LOCKED',
  /** Child policies can neither change this plan nor add plans (`@@none` on every node, `plans` included). */
  LOCKED_NO_OTHER_PLANS = 'LOCKED_NO_OTHER_PLANS',
  /**
   * Child policies may only add to this plan's lists (`@@append` on every node):
   * more regions, more tag values, more copy destinations; nothing can be removed or overwritten.
   */
  APPEND_ONLY = 'APPEND_ONLY',
  /** No child-control operator: child policies may `@@assign`, `@@append` or `@@remove` anything. */
  OPEN = 'OPEN',
}

/** How this policy's regions combine with regions inherited from parent policies. */
export enum RegionsOperator {
  /** `@@assign`: the plan runs in exactly these regions, whatever a parent policy says. */
  ASSIGN = 'ASSIGN',
  /** `@@append`: these regions are added to the ones inherited from parent policies. */
  APPEND = 'APPEND',
}

/** Whether the StackSet deploys to its regions one at a time or all at once. */
export enum RegionConcurrency {
  /** One region after another, in the order of `regions`: a failure stops before the next region. */
  SEQUENTIAL = 'SEQUENTIAL',
  /** All regions at once. */
  PARALLEL = 'PARALLEL',
}
