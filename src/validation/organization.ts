import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ComplianceRuleError } from './errors';

/**
 * The synth-time rules of the organization construct, one function each. Each throws
 * `ComplianceRuleError` (`<path>: <prop> is <value>; <what is allowed>`); unresolved
 * tokens are skipped or, where the value must reach another account, rejected.
 */

/** AWS limits the organization construct checks at synth. */
export const ORGANIZATION_LIMITS = {
  /** AWS Organizations quota: a BACKUP_POLICY document holds at most 10,000 characters (AWS::Organizations::Policy, Content). */
  backupPolicyMaxCharacters: 10_000,
  /** CloudFormation: a StackSet's TemplateBody is 1-51,200 bytes (AWS::CloudFormation::StackSet, TemplateBody). */
  templateBodyMaxBytes: 51_200,
  /** CloudFormation quota: stack instances per stack set. */
  stackInstancesPerStackSet: 100_000,
  /** CloudFormation quota: stack instances under operation at once, per region and administrator account, across stack sets. */
  concurrentStackInstanceOperations: 10_000,
  /** CreateStackInstances takes at most 50 organizational units per operation. */
  organizationalUnitsPerOperation: 50,
  /** Backup policy selections: at most 30 tag conditions per selection. */
  conditionsPerSelection: 30,
  /** Multi-party approval: at least 3 approvers per team and an approval threshold of at least 2. */
  minApprovers: 3,
  minApprovalThreshold: 2,
} as const;

const fail = (scope: IConstruct, prop: string, value: string, allowed: string): never => {
  throw new ComplianceRuleError(scope, prop, value, allowed);
};

const quoted = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;

/** Organizations policy names: 1-128 characters of the ASCII range. */
export function checkPolicyName(scope: IConstruct, prop: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  // eslint-disable-next-line no-control-regex
  if (!/^[\x20-\x7e]{1,128}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'an AWS Organizations policy name is 1-128 printable ASCII characters');
  }
}

/** The plan name becomes the backup plan's name in every member account and region. */
export function checkPlanName(scope: IConstruct, prop: string, name: string): void {
  if (!/^[a-zA-Z0-9\-_.]{1,50}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a backup plan name is 1-50 letters, digits, hyphens, underscores and periods');
  }
}

/** Regions are literal region codes, at least one, no duplicates. */
export function checkRegions(scope: IConstruct, prop: string, regions: readonly string[]): void {
  if (regions.length === 0) {
    fail(scope, prop, '[]', 'a backup policy must name at least one region');
  }
  for (const region of regions) {
    if (Token.isUnresolved(region) || !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
      fail(scope, prop, quoted(regions), `'${Token.isUnresolved(region) ? '(token)' : region}' is not a region code such as 'eu-west-1'; `
        + 'regions must be literal: the policy and the StackSet are rendered at synth');
    }
  }
  const duplicate = regions.find((r, i) => regions.indexOf(r) !== i);
  if (duplicate) fail(scope, prop, quoted(regions), `'${duplicate}' is listed twice`);
}

/** Targets: at least one, each a root, OU or account id of the right form; StackSet operations take at most 50 OUs. */
export function checkTargets(scope: IConstruct, prop: string, targets: ReadonlyArray<{ id: string; kind: string }>): void {
  if (targets.length === 0) {
    fail(scope, prop, '[]', 'attach the policy to at least one root, OU or account');
  }
  const patterns: Record<string, [RegExp, string]> = {
    ROOT: [/^r-[0-9a-z]{4,32}$/, "a root id looks like 'r-' and 4-32 lowercase letters or digits"],
    ORGANIZATIONAL_UNIT: [/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, "an OU id looks like 'ou-xxxx-xxxxxxxx'"],
    ACCOUNT: [/^\d{12}$/, 'an account id is 12 digits'],
  };
  for (const t of targets) {
    const [pattern, allowed] = patterns[t.kind];
    if (Token.isUnresolved(t.id) || !pattern.test(t.id)) {
      fail(scope, prop, `[..., '${Token.isUnresolved(t.id) ? '(token)' : t.id}' (${t.kind.toLowerCase()}), ...]`,
        `${allowed}, known at synth`);
    }
  }
  const units = targets.filter((t) => t.kind !== 'ACCOUNT');
  if (units.length > ORGANIZATION_LIMITS.organizationalUnitsPerOperation) {
    fail(scope, prop, `${units.length} roots and OUs`, `a StackSet operation deploys to at most ${ORGANIZATION_LIMITS.organizationalUnitsPerOperation} `
      + 'OUs; target a parent OU that contains them');
  }
}

/** StackSets with service-managed permissions reach single accounts only through an OU they belong to. */
export function checkAccountTargetsReachable(scope: IConstruct, prop: string, accountIds: readonly string[], rootId: string | undefined): void {
  if (accountIds.length > 0 && rootId === undefined) {
    fail(scope, prop, quoted(accountIds), 'a service-managed StackSet deploys to single accounts only through an OU that contains them: '
      + 'add OrganizationTarget.root() to targets, or set organizationRootId');
  }
}

/** The backup policy language has no time zone: `schedule_expression` is in UTC. */
export function checkPolicyTimeZone(scope: IConstruct, prop: string, zone: string | undefined): void {
  if (zone === undefined || zone === 'UTC' || zone === 'Etc/UTC') return;
  fail(scope, prop, `'${zone}'`, 'an AWS Organizations backup policy has no time zone setting (schedule_expression is in UTC): '
    + 'write the schedule in UTC and leave scheduleTimeZone unset');
}

/** A tag selection needs one tag for `tag_key`/`tag_value`; the others become its conditions (at most 30). */
export function checkSelectionTags(scope: IConstruct, prop: string, tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length === 0) {
    fail(scope, prop, '{}', 'an effective backup policy needs a selection: name at least one tag');
  }
  if (entries.length - 1 > ORGANIZATION_LIMITS.conditionsPerSelection) {
    fail(scope, prop, `${entries.length} tags`, `a backup policy selection takes one tag and at most ${ORGANIZATION_LIMITS.conditionsPerSelection} `
      + 'more conditions');
  }
  for (const [key, value] of entries) {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) {
      fail(scope, prop, '(token)', 'selection tags must be literal: the policy is rendered at synth');
    }
  }
}

/** A copy destination named in the policy must be a literal ARN: the policy runs in other accounts. */
export function checkLiteralVaultArn(scope: IConstruct, prop: string, arn: string | undefined): string {
  if (arn === undefined || Token.isUnresolved(arn)) {
    return fail(scope, prop, arn === undefined ? 'a vault without a known ARN' : '(token)',
      'the policy runs in other accounts, so a copy destination needs a literal ARN: import it with AuditedVault.fromVaultArn(), '
      + 'or create it with a literal vaultName in a stack with an explicit account and region');
  }
  if (!/^arn:aws[a-z-]*:backup:[a-z0-9-]+:(\d{12}|\$account):backup-vault:[a-zA-Z0-9\-_]{2,50}$/.test(arn)) {
    fail(scope, prop, `'${arn}'`, 'expected arn:<partition>:backup:<region>:<account or $account>:backup-vault:<name>');
  }
  return arn;
}

/** copyToDr in an organization copies into the member's own vault in `drRegion`. */
export function checkDrRegion(scope: IConstruct, prop: string, drRegion: string | undefined, regions: readonly string[]): void {
  if (drRegion === undefined) {
    fail(scope, prop, 'true', 'in an organization policy copyToDr copies into the member vault of drRegion: set drRegion');
  }
  if (regions.includes(drRegion!)) {
    fail(scope, 'drRegion', `'${drRegion}'`, `the plan also runs in ${drRegion}, where it would copy into the vault it backs up into: `
      + 'choose a DR region outside regions');
  }
}

/** The documented size limit of a BACKUP_POLICY document. */
export function checkPolicySize(scope: IConstruct, characters: number): void {
  if (characters > ORGANIZATION_LIMITS.backupPolicyMaxCharacters) {
    fail(scope, 'the backup policy document', `${characters} characters`,
      `AWS Organizations accepts at most ${ORGANIZATION_LIMITS.backupPolicyMaxCharacters} characters: use fewer tiers, regions `
      + 'or copy destinations, split the tiers across two OrganizationBackupPolicy constructs, or choose PolicyInheritance.LOCKED '
      + 'over a mode that writes operators on every node');
  }
}

/** The member template travels inline as TemplateBody. */
export function checkTemplateBodySize(scope: IConstruct, bytes: number): void {
  if (bytes > ORGANIZATION_LIMITS.templateBodyMaxBytes) {
    fail(scope, 'the member template', `${bytes} bytes`, `a StackSet TemplateBody holds at most ${ORGANIZATION_LIMITS.templateBodyMaxBytes} bytes`);
  }
}

/** StackSet operation preferences: percentages. */
export function checkPercentage(scope: IConstruct, prop: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > 100) {
    fail(scope, prop, String(value), `a whole percentage from ${min} to 100`);
  }
}

/**
 * StackSet quotas at the expected scale: stack instances (accounts x regions) per stack
 * set, and the instances one operation may touch at once in a region.
 */
export function checkStackSetScale(scope: IConstruct, accounts: number, regions: number, maxConcurrentPercentage: number): void {
  if (!Number.isInteger(accounts) || accounts < 1) {
    fail(scope, 'expectedMemberAccounts', String(accounts), 'a whole number of accounts, at least 1');
  }
  const instances = accounts * regions;
  if (instances > ORGANIZATION_LIMITS.stackInstancesPerStackSet) {
    fail(scope, 'expectedMemberAccounts', `${accounts} (x ${regions} regions = ${instances} stack instances)`,
      `a StackSet holds at most ${ORGANIZATION_LIMITS.stackInstancesPerStackSet} stack instances (a quota you can ask AWS to raise); `
      + 'split the targets across two OrganizationBackupPolicy constructs');
  }
  const concurrent = Math.max(1, Math.floor(accounts * maxConcurrentPercentage / 100));
  if (concurrent > ORGANIZATION_LIMITS.concurrentStackInstanceOperations) {
    fail(scope, 'maxConcurrentPercentage', `${maxConcurrentPercentage} (${concurrent} of ${accounts} accounts at once per region)`,
      `CloudFormation runs at most ${ORGANIZATION_LIMITS.concurrentStackInstanceOperations} stack instance operations at once per region `
      + 'and administrator account: lower maxConcurrentPercentage');
  }
}

/** StackSet names start with a letter: letters, digits and hyphens, up to 128. */
export function checkStackSetName(scope: IConstruct, prop: string, name: string): void {
  if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a StackSet name starts with a letter and has up to 128 letters, digits and hyphens');
  }
}

/** The backup role is named in the policy (`iam_role_arn`), so its name is literal. */
export function checkRoleName(scope: IConstruct, prop: string, name: string): void {
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'an IAM role name is 1-64 letters, digits and +=,.@_-');
  }
}

/** Multi-party approval teams: at least 3 approvers, a threshold of at least 2 and at most the team. */
export function checkApprovalTeam(scope: IConstruct, approvers: number, minApprovals: number): void {
  if (approvers < ORGANIZATION_LIMITS.minApprovers) {
    fail(scope, 'approverIds', `${approvers} approvers`, `a multi-party approval team has at least ${ORGANIZATION_LIMITS.minApprovers} approvers`);
  }
  if (!Number.isInteger(minApprovals) || minApprovals < ORGANIZATION_LIMITS.minApprovalThreshold || minApprovals > approvers) {
    fail(scope, 'minApprovals', String(minApprovals), `the approval threshold is at least ${ORGANIZATION_LIMITS.minApprovalThreshold} and at most `
      + `the ${approvers} approvers (below it, so one unreachable approver does not block a recovery)`);
  }
}

/** Something that must be shared needs somebody to share it with. */
export function checkNotEmpty(scope: IConstruct, prop: string, values: readonly string[], what: string): void {
  if (values.length === 0) fail(scope, prop, '[]', what);
}

/** The shared vault of restore testing lives in another account: its ARN must be literal. */
export function checkSharedVaultArn(scope: IConstruct, prop: string, arn: string): void {
  if (Token.isUnresolved(arn) || !/^arn:aws[a-z-]*:backup:[a-z0-9-]+:\d{12}:backup-vault:[a-zA-Z0-9\-_]{2,50}$/.test(arn)) {
    fail(scope, prop, Token.isUnresolved(arn) ? '(token)' : `'${arn}'`,
      'expected the literal ARN of the shared vault, arn:<partition>:backup:<region>:<account>:backup-vault:<name> '
      + '(it lives in another account, so no reference can carry it)');
  }
}

/** A vault shared with RAM is one whose owner shares it: restore testing reads it in the vault's region. */
export function checkSameRegion(scope: IConstruct, prop: string, vaultRegion: string, stackRegion: string): void {
  if (Token.isUnresolved(stackRegion)) {
    fail(scope, 'the stack region', '(token)', 'restore testing of a shared vault runs in the vault\'s region: set env: { region } on the stack');
  }
  if (vaultRegion !== stackRegion) {
    fail(scope, prop, `a vault in ${vaultRegion}`, `restore testing runs in the region of the vault it tests; this stack is in ${stackRegion}`);
  }
}

/** A profile that requires a cross-region copy needs, in every region of the policy, a tier copying to another region. */
export function checkOrganizationCrossRegionCopy(
  scope: IConstruct, profile: { name: string; requireCrossRegionCopy: boolean }, uncoveredRegions: readonly string[],
): void {
  if (!profile.requireCrossRegionCopy || uncoveredRegions.length === 0) return;
  fail(scope, 'tiers', `without a copy out of ${uncoveredRegions.join(', ')}`,
    `the ${profile.name} profile requires at least one tier to copy to another region, in every region the policy covers`);
}
