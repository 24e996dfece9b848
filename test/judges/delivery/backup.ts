import { BACKUP_RESOURCE_TYPES, BackupResourceType, arnPatternMatches } from './backup-resource-types';
import { publishToTopic, writeToBucket } from './deliver';
import { Check, Edge, access, externalRoleActor, roleActor, serviceActor, unproven } from './edge';
import { AppModel, ModelResource } from '../cfn/app-model';
import { vaultPolicy } from '../iam/policies';

/**
 * What AWS Backup does for the library: vault notifications to topics, audit
 * reports into the report bucket, copy jobs into destination vaults, and backup and
 * restore (test) jobs as the role of each selection, on every resource type the
 * selection can select.
 */
export function backupEdges(app: AppModel): Edge[] {
  return [...vaultNotificationEdges(app), ...reportPlanEdges(app), ...copyEdges(app), ...selectionEdges(app), ...restoreTestingEdges(app)];
}

function vaultNotificationEdges(app: AppModel): Edge[] {
  const vaults = [...app.ofType('AWS::Backup::BackupVault'), ...app.ofType('AWS::Backup::LogicallyAirGappedBackupVault')];
  return vaults.filter((v) => v.props.Notifications?.SNSTopicArn !== undefined).map((vault) => {
    const d = publishToTopic(app, serviceActor('backup.amazonaws.com'), vault.stack, String(vault.props.Notifications.SNSTopicArn), vault.attr('BackupVaultArn'));
    return { kind: 'vault notifications', source: vault, target: d.target, checks: d.checks };
  });
}

/**
 * AWS Backup Audit Manager delivers reports as its service-linked role, which the
 * template cannot show: only the bucket and key policies can be proven to allow it.
 */
function reportPlanEdges(app: AppModel): Edge[] {
  return app.ofType('AWS::Backup::ReportPlan').map((plan) => {
    const { stack } = plan;
    const roleArn = `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`;
    const actor = externalRoleActor(roleArn, stack.account, stack.partition, 'the service-linked role of AWS Backup Audit Manager; its AWS managed policy is not evaluated');
    const channel = plan.props.ReportDeliveryChannel ?? {};
    const prefix = channel.S3KeyPrefix ? `${channel.S3KeyPrefix}/` : '';
    const d = writeToBucket(app, actor, stack, channel.S3BucketName, {
      key: `${prefix}Backup/${stack.account}/${stack.region}/2026/01/01/report.csv`,
      acl: 'bucket-owner-full-control',
      keyActions: ['kms:GenerateDataKey'],
    });
    return { kind: 'report delivery', source: plan, target: d.target, checks: d.checks };
  });
}

/** The roles AWS Backup assumes for the jobs of a plan: those of its selections. */
function planRoles(app: AppModel, plan: ModelResource): ModelResource[] {
  const roles = app.ofType('AWS::Backup::BackupSelection')
    .filter((s) => s.props.BackupPlanId === plan.ref)
    .map((s) => app.role(String(s.props.BackupSelection?.IamRoleArn)))
    .filter((r): r is ModelResource => r !== undefined);
  return [...new Set(roles)];
}

function copyEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  for (const plan of app.ofType('AWS::Backup::BackupPlan')) {
    const roles = planRoles(app, plan);
    for (const rule of (plan.props.BackupPlan?.BackupPlanRule ?? []) as any[]) {
      for (const copy of (rule.CopyActions ?? []) as any[]) {
        const destination = String(copy.DestinationBackupVaultArn);
        const vault = app.byArn(destination);
        for (const role of roles) {
          const actor = roleActor(app, role);
          const checks: Check[] = vault
            ? [access(actor, 'backup:CopyIntoBackupVault', destination, vault.stack.account, { 'aws:SecureTransport': 'true' }, vaultPolicy(vault))]
            : [unproven(`the destination vault ${destination} is not a vault of this app`)];
          edges.push({ kind: `copy job (rule ${rule.RuleName})`, source: plan, target: vault ? vault.describe(plan.stack) : destination, checks });
        }
      }
    }
  }
  return edges;
}

/** The type of a concrete resource ARN: same service and resource type as the type's sample. */
function typeOfArn(arn: string): BackupResourceType | undefined {
  const kind = (a: string) => {
    const parts = a.split(':');
    // S3 ARNs name the bucket right after the service: arn:aws:s3:::bucket.
    return parts[2] === 's3' ? 's3' : `${parts[2]}:${parts.slice(5).join(':').split(/[:/]/)[0]}`;
  };
  return BACKUP_RESOURCE_TYPES.find((t) => kind(t.sampleArn('aws', 'r', '0')) === kind(arn));
}

/**
 * Each selection, for each resource type it can select: the selection's role must be
 * allowed the type's backup action. Tag-only selections and `*` select every type.
 */
function selectionEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  for (const selection of app.ofType('AWS::Backup::BackupSelection')) {
    const body = selection.props.BackupSelection ?? {};
    const role = app.role(String(body.IamRoleArn));
    const { partition, region, account } = selection.stack;
    const patterns: string[] = (body.Resources ?? ['*']).map(String);
    const excluded: string[] = (body.NotResources ?? []).map(String);
    const targets: Array<{ type: BackupResourceType; arn: string }> = [];
    for (const pattern of patterns) {
      if (pattern.includes('*') || pattern.includes('?')) {
        for (const type of BACKUP_RESOURCE_TYPES) {
          const sample = type.sampleArn(partition, region, account);
          if (arnPatternMatches(pattern, sample) && !excluded.some((e) => arnPatternMatches(e, sample))) targets.push({ type, arn: sample });
        }
      } else {
        const type = typeOfArn(pattern);
        if (type) targets.push({ type, arn: pattern });
        else edges.push({ kind: 'backup job', source: selection, target: pattern, checks: [unproven(`no resource type of AWS Backup has ARNs like ${pattern}`)] });
      }
    }
    for (const { type, arn } of targets) {
      const checks = role
        ? [access(roleActor(app, role), type.backup.action, type.backup.resource?.(partition, region, account) ?? arn, account, { 'aws:SecureTransport': 'true' })]
        : [unproven(`the selection's role ${body.IamRoleArn} is not a role of this app`)];
      edges.push({ kind: `backup job (${type.name})`, source: selection, target: arn, checks });
    }
  }
  return edges;
}

/** Each restore testing selection: its role must be allowed the restore of its resource type. */
function restoreTestingEdges(app: AppModel): Edge[] {
  return app.ofType('AWS::Backup::RestoreTestingSelection').map((selection) => {
    const { partition, region, account } = selection.stack;
    const typeName = String(selection.props.ProtectedResourceType);
    const type = BACKUP_RESOURCE_TYPES.find((t) => t.restoreTesting === typeName);
    const role = app.role(String(selection.props.IamRoleArn));
    let checks: Check[];
    if (!type) checks = [unproven(`no rule of the checker knows the restore of ${typeName}`)];
    else if (!role) checks = [unproven(`the selection's role ${selection.props.IamRoleArn} is not a role of this app`)];
    else checks = [access(roleActor(app, role), type.restore.action, type.restore.resource(partition, region, account), account, { 'aws:SecureTransport': 'true' })];
    return { kind: `restore test (${typeName})`, source: selection, target: typeName, checks };
  });
}
