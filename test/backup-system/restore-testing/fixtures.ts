
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RestoreTesting, RestoreTestingDeps } from '../../../src/backup-system/restore-testing';
import { RestoreTestingOptions, RestoreTestingResourceType as T } from '../../../src/backup-system/restore-testing-options';
import { createEncryptedAlertTopic } from '../../../src/private/encrypted-topic';
import { createSecureKey } from '../../../src/private/secure-key';
import { testApp } from '../../support/compliance';

export const ENV = { account: '111111111111', region: 'us-east-1' };
export const VAULT_ARN = 'arn:aws:backup:us-east-1:111111111111:backup-vault:primary';
export const EBS_ONLY: RestoreTestingOptions = { selections: [{ resourceType: T.EBS }] };

export interface Fixture {
  readonly stack: Stack;
  readonly topic: sns.ITopic;
  readonly restoreRole: iam.Role;
}

export function fixture(stackName = 'RtStack'): Fixture & { app: ReturnType<typeof testApp> } {
  const app = testApp();
  const stack = new Stack(app, stackName, { env: ENV });
  const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarm topic' }), 'alarms');
  const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
  return { app, stack, topic, restoreRole };
}

export function deps(f: Fixture, more: Partial<RestoreTestingDeps> = {}): RestoreTestingDeps {
  return {
    sourceVaultArns: [VAULT_ARN],
    selectionTags: { Backup: 'true' },
    restoreRole: f.restoreRole,
    alarmTopic: f.topic,
    removalPolicy: RemovalPolicy.RETAIN,
    ...more,
  };
}

export function restoreTesting(options: RestoreTestingOptions = EBS_ONLY, more: Partial<RestoreTestingDeps> = {}) {
  const f = fixture();
  const rt = new RestoreTesting(f.stack, 'RestoreTesting', options, deps(f, more));
  return { ...f, rt, get template() { return Template.fromStack(f.stack); } };
}

/** The validator role's managed policy statements. */
export function validatorStatements(template: Template): any[] {
  const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p: any) =>
    p.Properties.Roles.some((r: any) => r.Ref.startsWith('RestoreTestingValidatorFunctionRole')));
  expect(policies).toHaveLength(1);
  return (policies[0] as any).Properties.PolicyDocument.Statement;
}

export const actionsOf = (statements: any[]) => statements.flatMap((s) => [s.Action].flat()).sort();
// kms:GenerateDataKey and kms:Decrypt on the handler key: Lambda dead-letters failed invocations as the role.
export const BASE_ACTIONS = ['backup:DescribeRestoreJob', 'backup:PutRestoreValidationResult', 'kms:Decrypt', 'kms:GenerateDataKey',
  'logs:CreateLogStream', 'logs:PutLogEvents', 'sqs:SendMessage'];
