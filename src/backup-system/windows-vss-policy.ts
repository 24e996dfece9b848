import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { createAcknowledgedPolicy } from './acknowledged-policy';

/*
 * What AWS Backup's role needs for Windows VSS backups: it asks Systems Manager to run the
 * AWS-owned document AWSEC2-CreateVssSnapshot on the instance, then follows the command.
 * The same three actions as the SSMPermissions and SSMSendPermissions statements of AWS's
 * AWSBackupServiceRolePolicyForBackup, scoped to this stack's region and account (the library's
 * own backup policy leaves them out, so without this a VSS backup cannot start).
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
 */

/** The VSS document, owned by AWS (not by this account: the ARN leaves the account open, as AWS's managed policy does). */
export const VSS_DOCUMENT = 'AWSEC2-CreateVssSnapshot';

/** `region`: where the role acts ('*' for a role used in every region, as an organization member's is). */
export function windowsVssStatements(stack: Stack, region: string = stack.region): iam.PolicyStatement[] {
  const { partition, account } = stack;
  return [
    new iam.PolicyStatement({
      sid: 'WindowsVssSendCommand',
      // SendCommand is authorized on the document and on the instance: both are named.
      actions: ['ssm:SendCommand'],
      resources: [
        `arn:${partition}:ssm:${region}:*:document/${VSS_DOCUMENT}`,
        `arn:${partition}:ec2:${region}:${account}:instance/*`,
      ],
    }),
    new iam.PolicyStatement({
      sid: 'WindowsVssFollowCommand',
      actions: ['ssm:CancelCommand', 'ssm:GetCommandInvocation'],
      resources: ['*'],
    }),
  ];
}

/** A managed policy (the packs reject inline ones) with the VSS statements, attached to the backup role. */
export function grantWindowsVss(scope: Construct, role: iam.IRole, region?: string): iam.ManagedPolicy {
  return createAcknowledgedPolicy(scope, 'WindowsVssPolicy', {
    description: `AWS Backup runs the ${VSS_DOCUMENT} document on Windows instances backed up by ${scope.node.path}`,
    statements: windowsVssStatements(Stack.of(scope), region),
    roles: [role],
    reasonFor,
  });
}

function reasonFor(acknowledgement: string): string {
  if (acknowledgement.includes('instance/*')) {
    return 'The Windows instances are selected by tag, so they are not known at synth; ssm:SendCommand also needs the document, '
      + `which is only the AWS-owned ${VSS_DOCUMENT}.`;
  }
  if (acknowledgement.includes(VSS_DOCUMENT)) {
    return `${VSS_DOCUMENT} is an AWS-owned document, so its ARN does not carry this account: the account is left open and the name fixes the document.`;
  }
  return 'ssm:CancelCommand and ssm:GetCommandInvocation support no resource-level permissions (Service Authorization Reference), '
    + 'so IAM accepts them only with Resource \'*\'.';
}
