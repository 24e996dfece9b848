import { AppRole } from './app-roles';
import { AppModel, ModelResource } from '../judges/cfn/app-model';
import { useKey } from '../judges/delivery/deliver';
import { Actor, Check, access, roleActor } from '../judges/delivery/edge';
import { bucketPolicy, keyPolicy, vaultPolicy } from '../judges/iam/policies';

/**
 * What must be allowed and what must be denied, as IAM requests over one app:
 *
 * - S3 replication roles can do what replication needs (Amazon S3 User Guide, "Setting
 *   up permissions for live replication"), on their source and replica only;
 * - nobody but a vault's break-glass roles (`allowDeletionBy`) deletes a recovery point
 *   or changes its lifecycle, not even an administrator of the account;
 * - the library's roles cannot remove a vault, its lock or its access policy, delete,
 *   disable or re-policy a KMS key, or change IAM policies;
 * - a tenant reaches only its own prefix of landing storage, and no library role but the
 *   verifier (and AWS Backup, which backs the bucket up) reads landed objects.
 */

export type Category =
  | 'handler calls' | 'replication needs'
  | 'recovery point deletion' | 'vault lock and policy' | 'key deletion and policy' | 'cross-tenant access' | 'landing objects'
  | 'replication scope' | 'IAM changes';

export interface Expectation {
  readonly category: Category;
  readonly expect: 'allow' | 'deny';
  /** The role (or principal) the expectation is about, in words. */
  readonly who: string;
  /** The app role it is about (`<stack>/<logical id>`), when it is one. */
  readonly role?: string;
  readonly check: Check;
}

const DANGEROUS_VAULT_ACTIONS = ['backup:DeleteBackupVaultLockConfiguration', 'backup:DeleteBackupVault', 'backup:DeleteBackupVaultAccessPolicy',
  'backup:PutBackupVaultAccessPolicy'];
const RECOVERY_POINT_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'];
const DANGEROUS_KEY_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKey'];
const IAM_CHANGES = ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:CreatePolicyVersion'];
export const TENANT_TAG = 'cdk-compliant-backup:tenant';

const TLS = { 'aws:SecureTransport': 'true' };
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** An administrator of the account: an identity policy that allows everything. */
function administrator(account: string, partition: string, name = 'account-administrator', principalArn?: string): Actor {
  const arn = principalArn ?? `arn:${partition}:iam::${account}:role/${name}`;
  return {
    principal: `arn:${partition}:sts::${account}:assumed-role/${arn.split('/').pop()}/judge`,
    label: principalArn ? `break-glass role ${arn.split('/').pop()} (with an administrator's policy)` : 'an administrator of the account (Allow *:*)',
    identityPolicies: [{ label: 'Allow *:*', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
    context: { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': account, 'aws:PrincipalType': 'AssumedRole', 'aws:PrincipalIsAWSService': 'false' },
  };
}

const libraryRoles = (roles: AppRole[]) => roles.filter((r) => r.is.kind !== 'other');

/** The break-glass roles a vault's deletion deny exempts (`ArnNotEquals aws:PrincipalArn`). */
function exemptions(vault: ModelResource): string[] {
  const deny = asList<any>(vault.props.AccessPolicy?.Statement).find((s) => s.Effect === 'Deny' && asList(s.Action).includes('backup:DeleteRecoveryPoint'));
  return asList<string>(deny?.Condition?.ArnNotEquals?.['aws:PrincipalArn']);
}

export function vaultExpectations(app: AppModel, roles: AppRole[]): Expectation[] {
  const out: Expectation[] = [];
  for (const vault of [...app.ofType('AWS::Backup::BackupVault'), ...app.ofType('AWS::Backup::LogicallyAirGappedBackupVault')]) {
    const { partition, region, account } = vault.stack;
    const recoveryPoint = `arn:${partition}:backup:${region}:${account}:recovery-point:judge-sample`;
    const policy = vaultPolicy(vault) ?? { label: `vault ${vault.logicalId} (no access policy)`, document: { Version: '2012-10-17', Statement: [] } };
    const where = `vault ${vault.describe()}`;
    const actors: Array<{ actor: Actor; expect: 'allow' | 'deny'; role?: string }> = [
      ...libraryRoles(roles).map((r) => ({ actor: roleActor(app, r.role), expect: 'deny' as const, role: r.name })),
      { actor: administrator(account, partition), expect: 'deny' },
      ...exemptions(vault).map((arn) => ({ actor: administrator(account, partition, '', arn), expect: 'allow' as const })),
    ];
    for (const { actor, expect, role } of actors) {
      for (const action of RECOVERY_POINT_ACTIONS) {
        out.push({ category: 'recovery point deletion', expect, who: `${actor.label} on ${where}`, role, check: access(actor, action, recoveryPoint, account, TLS, policy) });
      }
    }
    for (const r of libraryRoles(roles)) {
      const actor = roleActor(app, r.role);
      for (const action of DANGEROUS_VAULT_ACTIONS) {
        out.push({
          category: 'vault lock and policy',
          expect: 'deny',
          who: `${actor.label} on ${where}`,
          role: r.name,
          check: access(actor, action, vault.attr('BackupVaultArn'), account, TLS, policy),
        });
      }
    }
  }
  return out;
}

export function keyExpectations(app: AppModel, roles: AppRole[]): Expectation[] {
  const out: Expectation[] = [];
  for (const key of app.ofType('AWS::KMS::Key')) {
    for (const r of libraryRoles(roles)) {
      const actor = roleActor(app, r.role);
      for (const action of DANGEROUS_KEY_ACTIONS) {
        out.push({
          category: 'key deletion and policy',
          expect: 'deny',
          who: `${actor.label} on key ${key.describe()}`,
          role: r.name,
          check: access(actor, action, key.attr('Arn'), key.stack.account, { ...TLS, 'kms:CallerAccount': r.role.stack.account }, keyPolicy(key)),
        });
      }
    }
  }
  return out;
}

export function iamChangeExpectations(app: AppModel, roles: AppRole[]): Expectation[] {
  return libraryRoles(roles).flatMap((r) => {
    const actor = roleActor(app, r.role);
    return IAM_CHANGES.map((action) => ({
      category: 'IAM changes' as const,
      expect: 'deny' as const,
      who: `${actor.label} on itself`,
      role: r.name,
      check: access(actor, action, action === 'iam:CreatePolicyVersion' ? `arn:${r.role.stack.partition}:iam::${r.role.stack.account}:policy/any` : r.role.attr('Arn'),
        r.role.stack.account, TLS),
    }));
  });
}

/** Buckets that tenant policies scope by the tenant tag: the landing buckets. */
function landingBuckets(app: AppModel): ModelResource[] {
  const marker = `\${aws:PrincipalTag/${TENANT_TAG}}`;
  const arns = new Set<string>();
  for (const policy of app.ofType('AWS::IAM::ManagedPolicy')) {
    for (const s of asList<any>(policy.props.PolicyDocument?.Statement)) {
      for (const resource of asList<string>(s.Resource).map(String).filter((x) => x.includes(marker))) arns.add(resource.split('/')[0]);
    }
  }
  return [...arns].map((arn) => app.bucket(arn)).filter((b): b is ModelResource => b !== undefined);
}

function tenantOf(role: ModelResource): string | undefined {
  return asList<any>(role.props.Tags).find((t) => t.Key === TENANT_TAG)?.Value;
}

export function landingExpectations(app: AppModel, roles: AppRole[], mayReadLanding: (r: AppRole) => string | undefined): Expectation[] {
  const out: Expectation[] = [];
  const tenantRoles = roles.filter((r) => tenantOf(r.role) !== undefined);
  const tenants = [...new Set(tenantRoles.map((r) => tenantOf(r.role)!)), 'not-a-tenant'];
  for (const bucket of landingBuckets(app)) {
    const bucketArn = `arn:${bucket.stack.partition}:s3:::${bucket.ref}`;
    const policy = bucketPolicy(app, bucket);
    const key = bucket.props.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
    const inBucket = (actor: Actor, tenant: string, expect: 'allow' | 'deny', who: string, withTag: string | undefined, role: string): Expectation[] => {
      const context = { ...TLS, 'aws:ResourceAccount': bucket.stack.account, ...(withTag ? { [`aws:PrincipalTag/${TENANT_TAG}`]: withTag } : {}) };
      const object = `${bucketArn}/${tenant}/judge-sample.bin`;
      const checks: Check[] = [
        access(actor, 's3:GetObject', object, bucket.stack.account, context, policy),
        access(actor, 's3:PutObject', object, bucket.stack.account, context, policy),
        access(actor, 's3:ListBucket', bucketArn, bucket.stack.account, { ...context, 's3:prefix': `${tenant}/` }, policy),
      ];
      // Reading a tenant's object also decrypts it: the key must agree for an allowed read.
      if (expect === 'allow' && key !== undefined) {
        checks.push(...useKey(app, actor, String(key), bucket.stack.region, ['kms:Decrypt', 'kms:GenerateDataKey'], {
          ...context, 'kms:ViaService': `s3.${bucket.stack.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': bucketArn,
        }, `bucket ${bucket.logicalId}`));
      }
      return checks.map((check) => ({ category: 'cross-tenant access' as const, expect, who, role, check }));
    };
    for (const r of tenantRoles) {
      const own = tenantOf(r.role)!;
      const actor = roleActor(app, r.role);
      const withTag = { ...actor, context: { ...actor.context, [`aws:PrincipalTag/${TENANT_TAG}`]: own } };
      out.push(...inBucket(withTag, own, 'allow', `tenant '${own}' (${actor.label}) in its own prefix of ${bucket.describe()}`, own, r.name));
      for (const other of tenants.filter((t) => t !== own)) {
        out.push(...inBucket(withTag, other, 'deny', `tenant '${own}' (${actor.label}) in the prefix of '${other}' of ${bucket.describe()}`, own, r.name));
      }
    }
    for (const r of libraryRoles(roles).filter((x) => mayReadLanding(x) === undefined)) {
      const actor = roleActor(app, r.role);
      out.push({
        category: 'landing objects',
        expect: 'deny',
        who: `${actor.label} reading ${bucket.describe()}`,
        role: r.name,
        check: access(actor, 's3:GetObject', `${bucketArn}/${tenants[0]}/judge-sample.bin`, bucket.stack.account,
          { ...TLS, 'aws:ResourceAccount': bucket.stack.account }, policy),
      });
    }
  }
  return out;
}

/** The source buckets a replication role serves and the destination buckets its rules write. */
function replicationOf(app: AppModel, role: ModelResource): { sources: ModelResource[]; rules: Array<{ source: ModelResource; rule: any }> } {
  const sources = app.ofType('AWS::S3::Bucket').filter((b) => b.props.ReplicationConfiguration?.Role === role.attr('Arn'));
  return { sources, rules: sources.flatMap((source) => asList<any>(source.props.ReplicationConfiguration.Rules).map((rule) => ({ source, rule }))) };
}

export function replicationExpectations(app: AppModel, roles: AppRole[]): Expectation[] {
  const out: Expectation[] = [];
  for (const r of roles.filter((x) => x.is.kind === 'service' && x.is.service === 'S3 replication')) {
    const actor = roleActor(app, r.role);
    const { sources, rules } = replicationOf(app, r.role);
    const arnOf = (b: ModelResource) => `arn:${b.stack.partition}:s3:::${b.ref}`;
    const need = (action: string, resource: string, bucket: ModelResource | undefined, context: Record<string, string> = {}) => out.push({
      category: 'replication needs',
      expect: 'allow',
      who: actor.label,
      role: r.name,
      check: access(actor, action, resource, bucket?.stack.account ?? r.role.stack.account, { ...TLS, ...context },
        bucket ? bucketPolicy(app, bucket) : undefined),
    });
    for (const { source, rule } of rules) {
      const sourceArn = arnOf(source);
      need('s3:GetReplicationConfiguration', sourceArn, source);
      need('s3:ListBucket', sourceArn, source);
      const locked = source.props.ObjectLockEnabled === true;
      for (const action of ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging',
        ...(locked ? ['s3:GetObjectRetention', 's3:GetObjectLegalHold'] : [])]) {
        need(action, `${sourceArn}/judge-sample.bin`, source);
      }
      const destination = app.bucket(String(rule.Destination?.Bucket));
      const destinationArn = String(rule.Destination?.Bucket);
      for (const action of ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags']) need(action, `${destinationArn}/judge-sample.bin`, destination);
      if (rule.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status === 'Enabled') {
        const sse = source.props.BucketEncryption?.ServerSideEncryptionConfiguration?.[0];
        const context = { ...TLS, 'kms:ViaService': `s3.${source.stack.region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': sse?.BucketKeyEnabled ? sourceArn : `${sourceArn}/judge-sample.bin` };
        for (const check of useKey(app, actor, sse?.ServerSideEncryptionByDefault?.KMSMasterKeyID, source.stack.region, ['kms:Decrypt'], context, `bucket ${source.logicalId}`)) {
          out.push({ category: 'replication needs', expect: 'allow', who: actor.label, role: r.name, check });
        }
        const replicaKey = rule.Destination?.EncryptionConfiguration?.ReplicaKmsKeyID;
        const region = destination?.stack.region ?? source.stack.region;
        const destinationContext = { ...TLS, 'kms:ViaService': `s3.${region}.amazonaws.com`, 'kms:EncryptionContext:aws:s3:arn': destinationArn };
        for (const check of useKey(app, actor, replicaKey, region, ['kms:Encrypt', 'kms:GenerateDataKey'], destinationContext, `replica key of ${source.logicalId}`)) {
          out.push({ category: 'replication needs', expect: 'allow', who: actor.label, role: r.name, check });
        }
      }
    }
    // Nothing else: every other bucket of the app, and one outside it.
    const destinations = new Set(rules.map(({ rule }) => String(rule.Destination?.Bucket)));
    const others = [...app.ofType('AWS::S3::Bucket').filter((b) => !sources.includes(b)).map((b) => ({ arn: arnOf(b), bucket: b as ModelResource | undefined })),
      { arn: `arn:${r.role.stack.partition}:s3:::someone-elses-bucket`, bucket: undefined }];
    for (const { arn, bucket } of others) {
      for (const action of ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectVersionForReplication']) {
        out.push({
          category: 'replication scope',
          expect: 'deny',
          who: `${actor.label} reading ${bucket ? bucket.describe() : arn}`,
          role: r.name,
          check: access(actor, action, `${arn}/judge-sample.bin`, bucket?.stack.account ?? r.role.stack.account, TLS, bucket ? bucketPolicy(app, bucket) : undefined),
        });
      }
      if (!destinations.has(arn)) {
        out.push({
          category: 'replication scope',
          expect: 'deny',
          who: `${actor.label} writing replicas into ${bucket ? bucket.describe() : arn}`,
          role: r.name,
          check: access(actor, 's3:ReplicateObject', `${arn}/judge-sample.bin`, bucket?.stack.account ?? r.role.stack.account, TLS, bucket ? bucketPolicy(app, bucket) : undefined),
        });
      }
    }
  }
  return out;
}
