/**
 * RestoreTesting and malware scans (issue 14, item 1), construct side: the validator may list
 * scan jobs when it tests a type GuardDuty scans (EBS, EC2, S3); requireCleanScans() renders
 * MALWARE_SCAN_RULES for the handler (lambda-src/restore-validator/scan.ts) and grants
 * DescribeRecoveryPoint on the scannable recovery point ARN formats only. The IAM simulation of
 * the same grants is test/iam/scan-and-additional-types.test.ts.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RestoreTesting } from '../../src/backup-system/restore-testing';
import { RestoreTestingOptions, RestoreTestingResourceType as T } from '../../src/backup-system/restore-testing-options';
import { createEncryptedAlertTopic } from '../../src/private/encrypted-topic';
import { createSecureKey } from '../../src/private/secure-key';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };

function restoreTesting(options: RestoreTestingOptions) {
  const app = testApp();
  const stack = new Stack(app, 'RtStack', { env: ENV });
  const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarm topic' }), 'alarms');
  const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
  const rt = new RestoreTesting(stack, 'RestoreTesting', options, {
    sourceVaultArns: ['arn:aws:backup:us-east-1:111111111111:backup-vault:primary'],
    selectionTags: { Backup: 'true' },
    restoreRole,
    alarmTopic: topic,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { app, stack, rt };
}

function validatorStatements(stack: Stack): any[] {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).filter((p: any) =>
    p.Properties.Roles.some((r: any) => r.Ref.startsWith('RestoreTestingValidatorFunctionRole')));
  expect(policies).toHaveLength(1);
  return (policies[0] as any).Properties.PolicyDocument.Statement;
}

const validatorEnv = (stack: Stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function'))
  .find((f) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === 'restore-validator').Properties.Environment.Variables;

describe('restore testing and malware scans', () => {
  test('testing a scannable type: ListScanJobs on "*" (a list action IAM scopes no further); no scan rules, no DescribeRecoveryPoint', () => {
    const { stack } = restoreTesting({ selections: [{ resourceType: T.EBS }] });
    const statements = validatorStatements(stack);
    expect(statements.find((s) => s.Sid === 'ReadScanJobs')).toEqual({ Sid: 'ReadScanJobs', Effect: 'Allow', Action: 'backup:ListScanJobs', Resource: '*' });
    expect(JSON.stringify(statements)).not.toContain('backup:DescribeRecoveryPoint');
    expect(validatorEnv(stack).MALWARE_SCAN_RULES).toBeUndefined();
  });

  test('testing only types GuardDuty does not scan: no scan permission at all', () => {
    const { stack } = restoreTesting({ selections: [{ resourceType: T.DYNAMODB }, { resourceType: T.RDS }] });
    expect(JSON.stringify(validatorStatements(stack))).not.toContain('ListScanJobs');
  });

  test('requireCleanScans(): the rules reach the handler as JSON, non-scannable types dropped; DescribeRecoveryPoint on the scannable formats', () => {
    const { stack, rt } = restoreTesting({ selections: [{ resourceType: T.EBS }, { resourceType: T.S3 }] });
    rt.requireCleanScans({ planName: 'estate', ruleName: 'daily', resourceTypes: ['EBS', 'S3', 'RDS'] });
    rt.requireCleanScans({ planName: 'estate', ruleName: 'weekly', resourceTypes: ['EC2'] });
    rt.requireCleanScans({ planName: 'estate', ruleName: 'monthly', resourceTypes: ['DynamoDB'] });
    expect(JSON.parse(validatorEnv(stack).MALWARE_SCAN_RULES)).toEqual([
      { plan: 'estate', rule: 'daily', resourceTypes: ['EBS', 'S3'] },
      { plan: 'estate', rule: 'weekly', resourceTypes: ['EC2'] },
    ]);
    const describe = validatorStatements(stack).filter((s) => [s.Action].flat().includes('backup:DescribeRecoveryPoint'));
    expect(describe).toHaveLength(1);
    expect(JSON.stringify(describe[0].Resource)).toMatch(/recovery-point:\*.*snapshot\/\*.*image\/\*/);
    expect(describe[0].Resource).toHaveLength(3);
  });

  test('with scan rules, cdk-nag\'s four packs and the Control Tower rules find nothing unacknowledged', () => {
    const { app, rt } = restoreTesting({ selections: [{ resourceType: T.EBS }, { resourceType: T.S3 }] });
    rt.requireCleanScans({ planName: 'estate', ruleName: 'daily', resourceTypes: ['EBS', 'S3'] });
    expect(describeFindings(synthFindings(app))).toEqual([]);
  }, 300_000);
});
