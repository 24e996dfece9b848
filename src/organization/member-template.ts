import * as path from 'path';
import { App, Aws, CfnCondition, CfnResource, DefaultStackSynthesizer, Fn, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AuditedVault } from '../audited-vault';
import { VaultLock } from '../audited-vault-props';
import { createAcknowledgedPolicy } from '../backup-system/acknowledged-policy';
import { AuditControl, renderControls } from '../backup-system/audit-controls';
import { ALL_PROTECTED_RESOURCE_TYPES, backupServiceStatements, copyDestinationStatements, wildcardAcknowledgements } from '../backup-system/backup-service-policy';
import { grantWindowsVss } from '../backup-system/windows-vss-policy';
import { contentId } from '../private/ids';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { packStatements } from '../private/policy-size';

/**
 * The template the member StackSet deploys to every account and region of the
 * targets: the locked vault the policy names, its key, an air-gapped vault when a
 * tier asks for one, the backup role the policy names, and an audit framework with
 * the controls derived from the tiers.
 *
 * It is built in an App of its own (a StackSet template is not a stack of the
 * user's app) and must carry no asset: member accounts have no CDK bootstrap bucket.
 */
export interface MemberTemplateSpec {
  readonly outdir: string;
  readonly vaultName: string;
  readonly vaultLock: VaultLock;
  readonly airGappedVaultName?: string;
  readonly airGappedLock?: VaultLock;
  readonly roleName: string;
  /** IAM roles are global: only the stack in this region creates the role. */
  readonly homeRegion: string;
  /** Copy destinations other than the member's own vaults; `$account` stands for the member account. */
  readonly copyDestinations: ReadonlyArray<{ readonly region: string; readonly vaultArn: string }>;
  readonly frameworkName: string;
  readonly controls: readonly AuditControl[];
  readonly tags: Record<string, string>;
  /** The policy turns on Windows VSS: the role may run AWS's VSS document through Systems Manager. */
  readonly windowsVss?: boolean;
}

/** The member stack's name. */
export const MEMBER_STACK_NAME = 'OrganizationBackupMember';

export function buildMemberStack(spec: MemberTemplateSpec): Stack {
  const app = new App({ outdir: spec.outdir, analyticsReporting: false, autoSynth: false, ...{ builtinCloudFormationValidation: false } as {} });
  const stack = new Stack(app, MEMBER_STACK_NAME, {
    // Member accounts are not bootstrapped: no bootstrap-version rule.
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    description: `AWS Backup prerequisites of an AWS Organizations backup policy: vault '${spec.vaultName}', its key, role '${spec.roleName}', audit framework`,
  });
  for (const [key, value] of Object.entries(spec.tags)) Tags.of(stack).add(key, value);

  // A StackSet template carries no code asset: the member vaults have no alert handler. Vault,
  // lock, keys, access policy and notification topic stay; AWS Backup still publishes to the topic.
  const vault = new AuditedVault(stack, 'Vault', {
    vaultName: spec.vaultName, vaultLock: spec.vaultLock, removalPolicy: RemovalPolicy.RETAIN, failureAlerts: false,
  });
  if (spec.airGappedVaultName) {
    new AuditedVault(stack, 'AirGappedVault', {
      vaultName: spec.airGappedVaultName,
      airGapped: true,
      vaultLock: spec.airGappedLock,
      notificationTopic: vault.notificationTopic,
      removalPolicy: RemovalPolicy.RETAIN,
      failureAlerts: false,
    });
  }

  createBackupRole(stack, spec);

  const framework = new backup.CfnFramework(stack, 'Framework', {
    frameworkName: spec.frameworkName,
    frameworkDescription: `Controls derived from the tiers of the organization backup policy (vault ${spec.vaultName})`,
    frameworkControls: renderControls(spec.controls),
  });
  // The member account's compliance history outlives a removal of the StackSet instance.
  framework.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return stack;
}

/**
 * The role the policy names in iam_role_arn. IAM is global, so only the stack in the
 * home region creates it; its ARNs name every region ('*'), where the policy's plans run.
 */
function createBackupRole(stack: Stack, spec: MemberTemplateSpec): void {
  const isHome = new CfnCondition(stack, 'IsHomeRegion', { expression: Fn.conditionEquals(Aws.REGION, spec.homeRegion) });
  const role = new ManagedPolicyRole(stack, 'BackupRole', {
    roleName: spec.roleName,
    assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    description: `AWS Backup backs up and restores the resources selected by the organization backup policy (vault ${spec.vaultName})`,
  });
  // The statements' ARNs name every region ('*'), packed into policies under 90% of IAM's limit.
  const [first, ...rest] = packStatements(stack, backupServiceStatements(stack, ALL_PROTECTED_RESOURCE_TYPES, '*'));
  role.policy.addStatements(...first);
  Validations.of(role.policy).acknowledge(...wildcardAcknowledgements(first, stack));
  const conditional: CfnResource[] = [role.node.defaultChild as CfnResource, role.policy.node.defaultChild as CfnResource];
  rest.forEach((statements, i) => {
    const policy = createAcknowledgedPolicy(stack, `BackupServicePolicy${i + 2}`, {
      description: `AWS Backup backs up and restores the resources selected by the organization backup policy (part ${i + 2})`,
      statements,
      roles: [role],
    });
    conditional.push(policy.node.defaultChild as CfnResource);
  });

  for (const destination of spec.copyDestinations) {
    const vaultArn = destination.vaultArn.replace('$account', Aws.ACCOUNT_ID);
    // Named by the destination, so adding or removing another destination renames nothing.
    const id = contentId(destination.vaultArn);
    // IAM caps a managed policy at 6,144 characters: one per destination.
    const policy = createAcknowledgedPolicy(stack, `CopyPolicy${id}`, {
      description: `AWS Backup copies into ${destination.vaultArn}`,
      statements: copyDestinationStatements(stack, ALL_PROTECTED_RESOURCE_TYPES, { region: destination.region, vaultArn }, `Copy${id}`),
      roles: [role],
    });
    conditional.push(policy.node.defaultChild as CfnResource);
  }
  if (spec.windowsVss) conditional.push(grantWindowsVss(stack, role, '*').node.defaultChild as CfnResource);
  for (const resource of conditional) resource.cfnOptions.condition = isHome;
}

/** Synthesizes the member app once and returns the member template. */
export function synthesizeMemberTemplate(stack: Stack): any {
  const assembly = (stack.node.root as App).synth();
  return assembly.getStackArtifact(stack.artifactId).template;
}

/** Where the member app writes its assembly: beside the user's, so cfn-lint can read it. */
export function memberOutdir(parentOutdir: string, uniqueId: string): string {
  return path.join(parentOutdir, `member-template.${uniqueId}`);
}
