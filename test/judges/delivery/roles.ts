import { Check, Edge, access, serviceActor, unproven } from './edge';
import { AppModel, ModelResource, ModelStack } from '../cfn/app-model';
import { trustPolicy } from '../iam/policies';

/** `service` assumes `role` for `sourceArn`: the role's trust policy must let it. */
export function assumeRole(service: string, from: ModelStack, role: ModelResource, sourceArn?: string): Check[] {
  const actor = serviceActor(service);
  return [access(actor, 'sts:AssumeRole', role.attr('Arn'), role.stack.account, {
    'aws:SecureTransport': 'true',
    'aws:SourceAccount': from.account,
    ...(sourceArn ? { 'aws:SourceArn': sourceArn } : {}),
  }, trustPolicy(role))];
}

/** Properties that hand a role to a service, which assumes it to act for the resource. */
const ROLE_HANDOVERS: Array<{ type: string; service: string; roles: (props: any) => unknown[] }> = [
  { type: 'AWS::Lambda::Function', service: 'lambda.amazonaws.com', roles: (p) => [p.Role] },
  { type: 'AWS::Backup::BackupSelection', service: 'backup.amazonaws.com', roles: (p) => [p.BackupSelection?.IamRoleArn] },
  { type: 'AWS::Backup::RestoreTestingSelection', service: 'backup.amazonaws.com', roles: (p) => [p.IamRoleArn] },
  // The plan's scanner role: AWS Backup passes it to GuardDuty Malware Protection, which assumes it.
  {
    type: 'AWS::Backup::BackupPlan',
    service: 'malware-protection.guardduty.amazonaws.com',
    roles: (p) => asArray(p.BackupPlan?.ScanSettings).map((s: any) => s.ScannerRoleArn),
  },
  { type: 'AWS::Config::ConfigurationRecorder', service: 'config.amazonaws.com', roles: (p) => [p.RoleARN] },
  { type: 'AWS::ARCRegionSwitch::Plan', service: 'arc-region-switch.amazonaws.com', roles: (p) => [p.ExecutionRole] },
  { type: 'AWS::S3::Bucket', service: 's3.amazonaws.com', roles: (p) => [p.ReplicationConfiguration?.Role] },
  { type: 'AWS::EC2::FlowLog', service: 'vpc-flow-logs.amazonaws.com', roles: (p) => [p.DeliverLogsPermissionArn] },
  { type: 'AWS::RDS::DBInstance', service: 'monitoring.rds.amazonaws.com', roles: (p) => [p.MonitoringRoleArn] },
  { type: 'AWS::RDS::DBCluster', service: 'monitoring.rds.amazonaws.com', roles: (p) => [p.MonitoringRoleArn] },
];

/** A property that is a list in the template (or absent). */
function asArray(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** A service assumes the role it was given: every handover above, to a role of the app (service-linked roles are AWS's). */
export function roleHandoverEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  for (const handover of ROLE_HANDOVERS) {
    for (const source of app.ofType(handover.type)) {
      for (const value of handover.roles(source.props).filter((v) => v !== undefined)) {
        const arn = String(value);
        if (/:role\/aws-service-role\//.test(arn)) continue;
        const role = app.role(arn);
        const checks = role ? assumeRole(handover.service, source.stack, role, source.arn)
          : [unproven(`the role ${arn} is not a role of this app`)];
        edges.push({ kind: `${handover.service} assumes role`, source, target: role ? role.describe(source.stack) : arn, checks });
      }
    }
  }
  return edges;
}
