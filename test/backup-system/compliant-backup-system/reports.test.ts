/** CompliantBackupSystem: report plans and the report bucket. */
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { REPORT_ROLE_SUFFIX, build, only, statementsOf } from './fixtures';
import { KeyStrategy, ReportFormat } from '../../../src';

// ---------------------------------------------------------------------------------------------

describe('reports and the report bucket', () => {
  let template: Template;
  beforeAll(() => {
    template = build({ keyStrategy: KeyStrategy.PER_PURPOSE }).template;
  });
  const TEMPLATES = ['BACKUP_JOB_REPORT', 'COPY_JOB_REPORT', 'RESTORE_JOB_REPORT', 'CONTROL_COMPLIANCE_REPORT', 'RESOURCE_COMPLIANCE_REPORT'];

  function reportPlans(t: Template): any[] {
    return Object.values(t.findResources('AWS::Backup::ReportPlan')).map((r: any) => r.Properties);
  }

  test('five report plans, one per template', () => {
    template.resourceCountIs('AWS::Backup::ReportPlan', 5);
    expect(reportPlans(template).map((p) => p.ReportSetting.ReportTemplate).sort()).toEqual([...TEMPLATES].sort());
  });

  test('delivered to the report bucket as CSV and JSON, in PascalCase; names AWS accepts', () => {
    const [bucketId] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    for (const p of reportPlans(template)) {
      expect(p.ReportDeliveryChannel).toEqual({ S3BucketName: { Ref: bucketId }, S3KeyPrefix: 'backup-reports', Formats: ['CSV', 'JSON'] });
      expect(p.ReportPlanName).toMatch(/^[a-zA-Z][_a-zA-Z0-9]*$/);
      expect(p.ReportPlanName.length).toBeLessThanOrEqual(256);
    }
    const [, framework] = only(template, 'AWS::Backup::Framework');
    expect(framework.Properties.FrameworkName).toMatch(/^[a-zA-Z][_a-zA-Z0-9]*$/);
    expect(new Set(reportPlans(template).map((p) => p.ReportPlanName)).size).toBe(5);
  });

  test('framework ARNs only on the control- and resource-compliance reports', () => {
    const [frameworkId] = only(template, 'AWS::Backup::Framework');
    for (const p of reportPlans(template)) {
      if (/COMPLIANCE/.test(p.ReportSetting.ReportTemplate)) {
        expect(p.ReportSetting).toEqual({ ReportTemplate: p.ReportSetting.ReportTemplate, FrameworkArns: [{ 'Fn::GetAtt': [frameworkId, 'FrameworkArn'] }] });
      } else {
        expect(p.ReportSetting).toEqual({ ReportTemplate: p.ReportSetting.ReportTemplate });
      }
    }
  });

  test('report formats as configured', () => {
    const { template: t } = build({ audit: { reportFormats: [ReportFormat.JSON] } });
    const plans = reportPlans(t);
    expect(plans).toHaveLength(5);
    for (const p of plans) expect(p.ReportDeliveryChannel.Formats).toEqual(['JSON']);
  });

  test('the report bucket: KMS with the report key, versioned, public-blocked, access-logged, retained, no object lock by default', () => {
    const [keyId] = only(template, 'AWS::KMS::Key', 'BackupsReportKey');
    const [logsId] = only(template, 'AWS::S3::Bucket', 'BackupsAccessLogBucket');
    const [, bucket] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'report-bucket/' },
    });
    expect(bucket.Properties.ObjectLockEnabled).not.toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toBeUndefined();
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('audit reports'), EnableKeyRotation: true });
  });

  test('the report bucket is TLS-only', () => {
    const [bucketId] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('object lock (governance, days) when reportObjectLockRetention is set', () => {
    const { template: t } = build({ audit: { reportObjectLockRetention: Duration.days(400) } });
    const [, bucket] = only(t, 'AWS::S3::Bucket', 'BackupsReportBucket');
    expect(bucket.Properties.ObjectLockEnabled).toBe(true);
    expect(bucket.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 400 } },
    });
  });

  const deliveryConditions = {
    'aws:PrincipalAccount': '111111111111',
  };
  const reportRoleArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, REPORT_ROLE_SUFFIX]] };

  test('report delivery is granted by conditions on the service-linked role ARN, not by naming it as principal (bucket)', () => {
    const [bucketId] = only(template, 'AWS::S3::Bucket', 'BackupsReportBucket');
    const statements = statementsOf(template, 'AWS::S3::BucketPolicy', 'PolicyDocument').filter((s) => s.Sid === 'AllowBackupReportDelivery');
    expect(statements).toEqual([{
      Sid: 'AllowBackupReportDelivery',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      Condition: {
        StringEquals: { ...deliveryConditions, 's3:x-amz-acl': 'bucket-owner-full-control' },
        ArnEquals: { 'aws:PrincipalArn': reportRoleArn },
      },
    }]);
  });

  test('report delivery is granted by conditions on the service-linked role ARN, not by naming it as principal (key)', () => {
    const [, key] = only(template, 'AWS::KMS::Key', 'BackupsReportKey');
    const statements = key.Properties.KeyPolicy.Statement.filter((s: any) => s.Sid === 'AllowBackupReportDelivery');
    expect(statements).toEqual([{
      Sid: 'AllowBackupReportDelivery',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: deliveryConditions, ArnEquals: { 'aws:PrincipalArn': reportRoleArn } },
    }]);
  });

  test('no policy statement anywhere names AWSServiceRoleForBackupReports as a principal', () => {
    const statements = [
      ...statementsOf(template, 'AWS::S3::BucketPolicy', 'PolicyDocument'),
      ...statementsOf(template, 'AWS::KMS::Key', 'KeyPolicy'),
      ...statementsOf(template, 'AWS::SNS::TopicPolicy', 'PolicyDocument'),
      ...statementsOf(template, 'AWS::IAM::Role', 'AssumeRolePolicyDocument'),
    ];
    expect(statements.length).toBeGreaterThan(5);
    expect(statements.filter((s) => JSON.stringify(s.Principal ?? '').includes('AWSServiceRoleForBackupReports'))).toEqual([]);
    expect(JSON.stringify(template.toJSON())).toContain('AWSServiceRoleForBackupReports');
  });
});
