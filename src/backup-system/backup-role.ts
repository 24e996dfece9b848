import { Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createAcknowledgedPolicy } from './acknowledged-policy';
import { AdditionalResourceType } from './additional-resource-type';
import { additionalTypeStatements } from './additional-resource-types';
import { ALL_PROTECTED_RESOURCE_TYPES, backupServiceStatements, copyDestinationStatements, wildcardAcknowledgements } from './backup-service-policy';
import { regionOf } from './plan';
import { stableId } from '../private/ids';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { MANAGED_POLICIES_PER_ROLE, packStatements } from '../private/policy-size';
import { fail } from '../validation/errors';

/**
 * The role AWS Backup assumes for a CompliantBackupSystem: backup and restore of the
 * protected resource types, the vault keys, and one set of copy statements per copy
 * destination, each in customer managed policies that stay under 90% of IAM's size
 * limit in every partition. IAM attaches at most 10 managed policies to a role.
 */
export class BackupServiceRole {
  public readonly role: ManagedPolicyRole;
  private readonly destinations = new Set<backup.IBackupVault>();
  private policies = 0;

  constructor(private readonly scope: Construct, keys: Array<kms.IKey | undefined>) {
    this.role = new ManagedPolicyRole(scope, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup backs up and restores the resources of ${scope.node.path}`,
    });
    const stack = Stack.of(scope);
    // More than one managed policy can hold: the first part goes into the role's own policy.
    const [first, ...rest] = packStatements(stack, backupServiceStatements(stack, ALL_PROTECTED_RESOURCE_TYPES));
    this.role.policy.addStatements(...first);
    Validations.of(this.role.policy).acknowledge(...wildcardAcknowledgements(first, stack));
    this.policies = 1;
    rest.forEach((statements, i) => this.attach(`BackupServicePolicy${i + 2}`,
      `AWS Backup backs up and restores the resources of ${scope.node.path} (part ${i + 2})`, statements));
    const keyStatements = keys.filter((k): k is kms.IKey => k !== undefined).map((key) => new iam.PolicyStatement({
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'],
      resources: [key.keyArn],
    }));
    if (keyStatements.length > 0) this.attach('BackupKeyPolicy', `AWS Backup uses the vault keys of ${scope.node.path}`, keyStatements);
  }

  /**
   * Copy jobs run as this role: they need the destination vault and its key, authorized
   * in the destination's region. Each destination gets policies of its own, named after
   * the vault so that other destinations coming and going never rename them.
   */
  public allowCopiesInto(vault: backup.IBackupVault): void {
    if (this.destinations.has(vault)) return;
    this.destinations.add(vault);
    const stack = Stack.of(this.scope);
    const id = stableId(vault);
    const parts = packStatements(stack, copyDestinationStatements(stack, ALL_PROTECTED_RESOURCE_TYPES,
      { region: regionOf(vault, stack), vaultArn: vault.backupVaultArn }, `Copy${id}`));
    parts.forEach((statements, i) => this.attach(i === 0 ? `CopyPolicy${id}` : `CopyPolicy${id}Part${i + 1}`,
      `AWS Backup copies into ${vault.node.path}`, statements));
  }

  /**
   * Backup and restore of resource types beyond the default seven (EKS, Aurora DSQL), in managed
   * policies of their own, so the default policies stay as they are.
   */
  public allowAdditionalTypes(types: readonly AdditionalResourceType[]): void {
    const stack = Stack.of(this.scope);
    const parts = packStatements(stack, additionalTypeStatements(stack, types));
    parts.forEach((statements, i) => this.attach(i === 0 ? 'AdditionalTypesPolicy' : `AdditionalTypesPolicyPart${i + 1}`,
      `AWS Backup backs up and restores the ${types.join(', ')} resources of ${this.scope.node.path}${i > 0 ? ` (part ${i + 1})` : ''}`, statements));
  }

  /**
   * IAM's quota of managed policies per role, checked at synth when every destination is known.
   * Counts every managed policy attached to the role, also those other features attach (Windows
   * VSS, scanning, EBS indexes, additional types) and AWS managed policies.
   */
  public checkPolicyCount(scope: Construct): void {
    const attached = this.attachedPolicyCount();
    if (attached <= MANAGED_POLICIES_PER_ROLE) return;
    fail(scope, 'copy destinations', `${this.destinations.size} vaults`,
      `the backup role ${this.role.node.path} would have ${attached} managed policies (its own ${this.policies}, of which one per copy `
      + `destination, and ${attached - this.policies} from other features); IAM attaches at most `
      + `${MANAGED_POLICIES_PER_ROLE} managed policies to a role by default: copy into fewer vaults`);
  }

  /** Customer managed policies of the stack that name the role, plus the AWS managed policies it was given. */
  private attachedPolicyCount(): number {
    const stack = Stack.of(this.scope);
    const roleName = JSON.stringify(stack.resolve(this.role.roleName));
    const customer = stack.node.findAll().filter((c): c is iam.CfnManagedPolicy => c instanceof iam.CfnManagedPolicy)
      .filter((p) => ((stack.resolve(p.roles) ?? []) as unknown[]).some((r) => JSON.stringify(r) === roleName));
    const awsManaged = (stack.resolve((this.role.node.defaultChild as iam.CfnRole).managedPolicyArns) ?? []) as unknown[];
    return customer.length + awsManaged.length;
  }

  private attach(id: string, description: string, statements: iam.PolicyStatement[]): void {
    createAcknowledgedPolicy(this.scope, id, { description, statements, roles: [this.role] });
    this.policies += 1;
  }
}
