import { writeToBucket } from './deliver';
import { Check, Edge, access, roleActor, serviceActor, unproven } from './edge';
import { AppModel } from '../cfn/app-model';
import { keyPolicy } from '../iam/policies';

/**
 * VPC flow logs into CloudWatch Logs (as the delivery role) or S3 (as the log
 * delivery service), and KMS-encrypted log groups (CloudWatch Logs of the region
 * uses the key, with the log group in the encryption context).
 */
export function logEdges(app: AppModel): Edge[] {
  const edges: Edge[] = [];
  for (const flowLog of app.ofType('AWS::EC2::FlowLog')) {
    const { stack } = flowLog;
    const type = flowLog.props.LogDestinationType ?? 'cloud-watch-logs';
    if (type === 'cloud-watch-logs') {
      const groupName = flowLog.props.LogGroupName ?? String(flowLog.props.LogDestination ?? '').replace(/^.*:log-group:/, '').replace(/:\*$/, '');
      const groupArn = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${groupName}`;
      const role = app.role(String(flowLog.props.DeliverLogsPermissionArn));
      const group = app.ofType('AWS::Logs::LogGroup').find((g) => g.stack.region === stack.region && g.ref === groupName);
      const checks: Check[] = [
        ...(group ? [] : [unproven(`the log group ${groupName} is not a log group of this app`)]),
        ...(role ? [
          access(roleActor(app, role), 'logs:CreateLogStream', `${groupArn}:log-stream:eni-0123456789abcdef0-all`, stack.account, { 'aws:SecureTransport': 'true' }),
          access(roleActor(app, role), 'logs:PutLogEvents', `${groupArn}:log-stream:eni-0123456789abcdef0-all`, stack.account, { 'aws:SecureTransport': 'true' }),
        ] : [unproven(`the delivery role ${flowLog.props.DeliverLogsPermissionArn} is not a role of this app`)]),
      ];
      edges.push({ kind: 'flow logs to CloudWatch Logs', source: flowLog, target: group?.logicalId ?? groupName, checks });
    } else if (type === 's3') {
      const destination = String(flowLog.props.LogDestination);
      const [bucketArn, ...prefixParts] = destination.replace(/^arn:[^:]+:s3:::/, '').split('/');
      const prefix = prefixParts.filter(Boolean).join('/');
      const d = writeToBucket(app, serviceActor('delivery.logs.amazonaws.com'), stack, bucketArn, {
        key: `${prefix ? `${prefix}/` : ''}AWSLogs/${stack.account}/vpcflowlogs/${stack.region}/2026/01/01/flowlog.log.gz`,
        acl: 'bucket-owner-full-control',
        bucketActions: ['s3:GetBucketAcl'],
        keyActions: ['kms:GenerateDataKey'],
      }, `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*`);
      edges.push({ kind: 'flow logs to S3', source: flowLog, target: d.target, checks: d.checks });
    } else {
      edges.push({ kind: 'flow logs', source: flowLog, target: type, checks: [unproven(`no rule of the checker judges flow logs into ${type}`)] });
    }
  }
  for (const group of app.ofType('AWS::Logs::LogGroup').filter((g) => g.props.KmsKeyId !== undefined)) {
    const { stack } = group;
    const { key } = app.key(String(group.props.KmsKeyId), stack.region);
    const logs = serviceActor(`logs.${stack.region}.amazonaws.com`);
    const context = { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${group.ref}` };
    const checks: Check[] = key
      ? ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'].map((a) => access(logs, a, key.attr('Arn'), key.stack.account, context, keyPolicy(key)))
      : [unproven(`the key ${group.props.KmsKeyId} is not a key of this app`)];
    edges.push({ kind: 'encrypted log group', source: group, target: key?.describe(stack) ?? String(group.props.KmsKeyId), checks });
  }
  return edges;
}
