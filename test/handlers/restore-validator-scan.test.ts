/**
 * Restore testing and malware scans (issue 14, item 1): the restore validator reports a
 * recovery point that did not scan clean as FAILED. The decision (lambda-src/restore-validator/
 * scan.ts) is tested on its own; the handler runs against SDK clients stubbed with
 * aws-sdk-client-mock and a fake clock.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  BackupClient,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  ListScanJobsCommand,
  PutRestoreValidationResultCommand,
  type ScanJob,
} from '@aws-sdk/client-backup';
import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseValidatorConfig } from '../../lambda-src/restore-validator/config';
import { parseScanRules, scanRequirement, scanVerdict, type ScanJobFacts } from '../../lambda-src/restore-validator/scan';
import { createRestoreValidatorHandler, type ValidatorConfig } from '../../lambda-src/restore-validator.lambda';
import { FAKE_CREDENTIALS as CREDENTIALS } from '../support/fake-aws';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const JOB_ID = 'AB123456-78C9-0123-456D-789012E34567';
const PLAN_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:restore-testing-plan:weekly-8f6c1a2b`;
const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:primary`;
const RP_ARN = `arn:aws:ec2:${REGION}::snapshot/snap-0123456789abcdef0`;
const BASE_RP_ARN = `arn:aws:ec2:${REGION}::snapshot/snap-0fedcba9876543210`;
const VOLUME_ARN = `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-0123456789abcdef0`;
const RULES = [{ plan: 'estate-plan', rule: 'daily', resourceTypes: ['EBS', 'S3'] }];

const job = (o: Partial<ScanJobFacts> = {}): ScanJobFacts => ({
  scanJobId: 'scan-1',
  state: 'COMPLETED',
  resultStatus: 'NO_THREATS_FOUND',
  scanMode: 'FULL_SCAN',
  createdAt: new Date('2026-03-01T04:00:00Z'),
  completedAt: new Date('2026-03-01T04:20:00Z'),
  ...o,
});
const required = { required: true, reason: 'tier daily scans EBS recovery points' };
const optional = { required: false, reason: 'no tier of this system scans EBS recovery points' };

describe('scan verdict (pure)', () => {
  test('a clean full scan is no objection, and says which scan', () => {
    const v = scanVerdict({ recoveryPointArn: RP_ARN, jobs: [job()], requirement: required });
    expect(v).toEqual({ status: 'SUCCESSFUL', message: expect.stringMatching(/^malware scan job scan-1 \(FULL_SCAN, COMPLETED, NO_THREATS_FOUND, completed 2026-03-01T04:20:00.000Z\) found no threats$/) });
  });

  test('threats found fail it, even when an older scan was clean and no scan is required', () => {
    const v = scanVerdict({
      recoveryPointArn: RP_ARN,
      jobs: [job(), job({ scanJobId: 'scan-2', resultStatus: 'THREATS_FOUND', createdAt: new Date('2026-03-02T04:00:00Z'), statusMessage: '3 infected files' })],
      requirement: optional,
    });
    expect(v.status).toBe('FAILED');
    expect(v.message).toBe(`recovery point ${RP_ARN} did not scan clean: malware scan job scan-2 (FULL_SCAN, COMPLETED, THREATS_FOUND, completed 2026-03-01T04:20:00.000Z): 3 infected files found threats`);
  });

  test('an incremental scan is only as clean as the base it compared against', () => {
    const v = scanVerdict({
      recoveryPointArn: RP_ARN,
      jobs: [job({ scanMode: 'INCREMENTAL_SCAN', baseRecoveryPointArn: BASE_RP_ARN })],
      baseJobs: [job({ scanJobId: 'scan-0', resultStatus: 'THREATS_FOUND' })],
      requirement: required,
    });
    expect(v.status).toBe('FAILED');
    expect(v.message).toMatch(/its latest scan was incremental, and scan job scan-0 .* of the base recovery point it compared against found threats/);
  });

  test.each([
    ['FAILED', undefined, /the latest malware scan job scan-1 \(FULL_SCAN, FAILED.*ended FAILED/],
    ['CANCELED', undefined, /ended CANCELED/],
    ['COMPLETED_WITH_ISSUES', 'NO_THREATS_FOUND', /completed with issues \(not every file was scanned\)/],
    ['COMPLETED', 'UNKNOWN', /ended COMPLETED with result UNKNOWN/],
  ])('a latest scan %s (%s) did not scan clean, required or not', (state, resultStatus, expected) => {
    for (const requirement of [required, optional]) {
      const v = scanVerdict({ recoveryPointArn: RP_ARN, jobs: [job({ state, resultStatus })], requirement });
      expect(v.status).toBe('FAILED');
      expect(v.message).toMatch(expected);
    }
  });

  test('no scan fails only when the tier requires one', () => {
    expect(scanVerdict({ recoveryPointArn: RP_ARN, jobs: [], requirement: required })).toEqual({
      status: 'FAILED',
      message: `recovery point ${RP_ARN} did not scan clean: tier daily scans EBS recovery points, but ListScanJobs returns no scan of it (scan jobs are kept 90 days)`,
    });
    expect(scanVerdict({ recoveryPointArn: RP_ARN, jobs: [], requirement: optional })).toEqual({ status: 'SUCCESSFUL', message: '' });
  });

  test('a running scan is waited for only when required', () => {
    const running = [job({ state: 'RUNNING', resultStatus: undefined, completedAt: undefined })];
    expect(scanVerdict({ recoveryPointArn: RP_ARN, jobs: running, requirement: required }).status).toBe('PENDING');
    const v = scanVerdict({ recoveryPointArn: RP_ARN, jobs: running, requirement: optional });
    expect(v.status).toBe('SUCCESSFUL');
    expect(v.message).toMatch(/has not finished; not waited for/);
  });

  test('DescribeRecoveryPoint findings fail it even without listed scan jobs', () => {
    const v = scanVerdict({
      recoveryPointArn: RP_ARN,
      jobs: [],
      requirement: required,
      recoveryPoint: { isCopy: false, rule: 'daily', scanResults: [{ state: 'COMPLETED', findings: ['MALWARE'] }] },
    });
    expect(v).toEqual({ status: 'FAILED', message: `recovery point ${RP_ARN} did not scan clean: DescribeRecoveryPoint reports findings MALWARE` });
  });

  test('a scan is required for the recovery points a scanning rule creates, not for copies or other rules', () => {
    const rp = { plan: 'estate-plan', rule: 'daily', resourceType: 'EBS', isCopy: false, scanResults: [] };
    expect(scanRequirement(RULES, 'EBS', rp)).toEqual({ required: true, reason: 'tier daily scans EBS recovery points' });
    expect(scanRequirement(RULES, 'EBS', { ...rp, isCopy: true }).required).toBe(false);
    expect(scanRequirement(RULES, 'EBS', { ...rp, rule: 'monthly' })).toEqual({ required: false, reason: 'tier monthly does not scan EBS recovery points' });
    expect(scanRequirement(RULES, 'EBS', { ...rp, plan: 'someone-elses-plan' }).required).toBe(false);
    expect(scanRequirement(RULES, 'EC2', { ...rp, resourceType: 'EC2' }).required).toBe(false);
    expect(scanRequirement(RULES, 'EBS', { ...rp, rule: undefined }).required).toBe(false);
  });

  test('MALWARE_SCAN_RULES: unset is none; a malformed value is thrown with the variable named', () => {
    expect(parseScanRules(undefined)).toEqual([]);
    expect(parseScanRules(JSON.stringify(RULES))).toEqual(RULES);
    expect(() => parseScanRules('{not json')).toThrow(/^MALWARE_SCAN_RULES is not valid JSON/);
    expect(() => parseScanRules('{"rule":"daily"}')).toThrow('MALWARE_SCAN_RULES must be a JSON list of {plan?, rule, resourceTypes}');
    expect(() => parseScanRules('[{"rule":"daily","resourceTypes":"EBS"}]')).toThrow(/^MALWARE_SCAN_RULES\[0\] must be/);
    const config = parseValidatorConfig({ MALWARE_SCAN_RULES: JSON.stringify(RULES) }, () => undefined);
    expect(config.scanRules).toEqual(RULES);
    expect(parseValidatorConfig({}, () => undefined).scanRules).toBeUndefined();
  });
});

function restoreEvent(detail: Record<string, unknown> = {}) {
  return {
    'version': '0',
    'id': 'ab32977c-378d-2122-e985-fgh4596f0709',
    'detail-type': 'Restore Job State Change',
    'source': 'aws.backup',
    'account': ACCOUNT,
    'time': '2026-03-01T05:00:00Z',
    'region': REGION,
    'resources': [RP_ARN],
    'detail': {
      restoreJobId: JOB_ID,
      status: 'COMPLETED',
      resourceType: 'EBS',
      createdResourceArn: VOLUME_ARN,
      recoveryPointArn: RP_ARN,
      restoreTestingPlanArn: PLAN_ARN,
      ...detail,
    },
  };
}

function setup(config: Partial<ValidatorConfig> = {}) {
  const clients = {
    backup: new BackupClient({ region: REGION, credentials: CREDENTIALS }),
    s3: new S3Client({ region: REGION, credentials: CREDENTIALS }),
    dynamodb: new DynamoDBClient({ region: REGION, credentials: CREDENTIALS }),
    ec2: new EC2Client({ region: REGION, credentials: CREDENTIALS }),
    rds: new RDSClient({ region: REGION, credentials: CREDENTIALS }),
  };
  const mocks = {
    backup: mockClient(clients.backup),
    ec2: mockClient(clients.ec2),
    s3: mockClient(clients.s3),
    dynamodb: mockClient(clients.dynamodb),
  };
  mocks.backup.on(PutRestoreValidationResultCommand).resolves({});
  mocks.ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-0123456789abcdef0', State: 'available', Size: 8 }] });
  let t = Date.parse('2026-03-01T05:00:00Z');
  const run = createRestoreValidatorHandler({
    ...clients,
    config: { waitMs: 600_000, pollIntervalMs: 60_000, allowEmptyS3: false, allowEmptyDynamoDb: false, ...config },
    logger: new Logger({ serviceName: 'restore-validator-scan-test', logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'RestoreValidatorScanTest', serviceName: 'restore-validator' }),
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  });
  return { run, mocks };
}

const scanJob = (o: Partial<ScanJob> = {}): ScanJob => ({
  AccountId: ACCOUNT,
  BackupVaultArn: VAULT_ARN,
  BackupVaultName: 'primary',
  CreatedBy: undefined,
  IamRoleArn: 'r',
  MalwareScanner: 'GUARDDUTY',
  RecoveryPointArn: RP_ARN,
  ResourceArn: 'arn:aws:ec2:eu-west-1:111122223333:volume/vol-1',
  ResourceName: undefined,
  ResourceType: 'EBS',
  ScanJobId: 'scan-1',
  ScanMode: 'FULL_SCAN',
  ScannerRoleArn: 's',
  State: 'COMPLETED',
  ScanResult: { ScanResultStatus: 'NO_THREATS_FOUND' },
  CreationDate: new Date('2026-03-01T04:00:00Z'),
  CompletionDate: new Date('2026-03-01T04:20:00Z'),
  ...o,
});

const putOf = (mocks: ReturnType<typeof setup>['mocks']) => {
  const calls = mocks.backup.commandCalls(PutRestoreValidationResultCommand);
  expect(calls).toHaveLength(1);
  return calls[0].args[0].input;
};

describe('restore validator with malware scans', () => {
  test('an EBS recovery point whose scan found threats is reported FAILED, and the volume is not checked', async () => {
    const { run, mocks } = setup();
    mocks.backup.on(ListScanJobsCommand).resolves({ ScanJobs: [scanJob({ ScanResult: { ScanResultStatus: 'THREATS_FOUND' }, StatusMessage: 'EICAR test file' })] });
    const result = await run(restoreEvent());
    expect(result).toMatchObject({ outcome: 'reported', status: 'FAILED' });
    expect(putOf(mocks)).toEqual({
      RestoreJobId: JOB_ID,
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: `recovery point ${RP_ARN} did not scan clean: malware scan job scan-1 (FULL_SCAN, COMPLETED, THREATS_FOUND, completed 2026-03-01T04:20:00.000Z): EICAR test file found threats`,
    });
    expect(mocks.backup).toHaveReceivedCommandWith(ListScanJobsCommand, { ByRecoveryPointArn: RP_ARN });
    expect(mocks.ec2).not.toHaveReceivedCommand(DescribeVolumesCommand);
  });

  test('a clean scan adds its evidence to the message of the volume check', async () => {
    const { run, mocks } = setup();
    mocks.backup.on(ListScanJobsCommand).resolves({ ScanJobs: [scanJob()] });
    await run(restoreEvent());
    expect(putOf(mocks)).toMatchObject({
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: 'EBS volume vol-0123456789abcdef0: state available, 8 GiB; malware scan job scan-1 (FULL_SCAN, COMPLETED, NO_THREATS_FOUND, completed 2026-03-01T04:20:00.000Z) found no threats',
    });
    // Without scan rules the recovery point is not described: nothing requires a scan.
    expect(mocks.backup).not.toHaveReceivedCommand(DescribeRecoveryPointCommand);
  });

  test('no scan of a recovery point whose tier scans EBS: FAILED, found through DescribeRestoreJob and DescribeRecoveryPoint', async () => {
    const { run, mocks } = setup({ scanRules: RULES });
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, BackupVaultArn: VAULT_ARN });
    mocks.backup.on(DescribeRecoveryPointCommand).resolves({
      RecoveryPointArn: RP_ARN, ResourceType: 'EBS', CreatedBy: { BackupPlanName: 'estate-plan', BackupRuleName: 'daily' },
    });
    mocks.backup.on(ListScanJobsCommand).resolves({ ScanJobs: [] });
    await run(restoreEvent());
    expect(putOf(mocks)).toMatchObject({
      ValidationStatus: 'FAILED',
      ValidationStatusMessage: `recovery point ${RP_ARN} did not scan clean: tier daily scans EBS recovery points, but ListScanJobs returns no scan of it (scan jobs are kept 90 days)`,
    });
    expect(mocks.backup).toHaveReceivedCommandWith(DescribeRecoveryPointCommand, { BackupVaultName: 'primary', RecoveryPointArn: RP_ARN });
    expect(mocks.ec2).not.toHaveReceivedCommand(DescribeVolumesCommand);
  });

  test('the same recovery point made by a tier that does not scan is validated as before', async () => {
    const { run, mocks } = setup({ scanRules: RULES });
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, BackupVaultArn: VAULT_ARN });
    mocks.backup.on(DescribeRecoveryPointCommand).resolves({ ResourceType: 'EBS', CreatedBy: { BackupPlanName: 'estate-plan', BackupRuleName: 'monthly' } });
    mocks.backup.on(ListScanJobsCommand).resolves({ ScanJobs: [] });
    await run(restoreEvent());
    expect(putOf(mocks)).toMatchObject({ ValidationStatus: 'SUCCESSFUL', ValidationStatusMessage: 'EBS volume vol-0123456789abcdef0: state available, 8 GiB' });
  });

  test('a required scan still running is waited for; finished clean, the restore is validated', async () => {
    const { run, mocks } = setup({ scanRules: RULES });
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, BackupVaultArn: VAULT_ARN });
    mocks.backup.on(DescribeRecoveryPointCommand).resolves({ ResourceType: 'EBS', CreatedBy: { BackupPlanName: 'estate-plan', BackupRuleName: 'daily' } });
    mocks.backup.on(ListScanJobsCommand)
      .resolvesOnce({ ScanJobs: [scanJob({ State: 'RUNNING', ScanResult: undefined, CompletionDate: undefined })] })
      .resolves({ ScanJobs: [scanJob()] });
    const result = await run(restoreEvent());
    expect(result).toMatchObject({ status: 'SUCCESSFUL' });
    expect(mocks.backup).toHaveReceivedCommandTimes(ListScanJobsCommand, 2);
  });

  test('a required scan that never finishes inside the wait is TIMED_OUT, not FAILED', async () => {
    const { run, mocks } = setup({ scanRules: RULES, waitMs: 120_000 });
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, BackupVaultArn: VAULT_ARN });
    mocks.backup.on(DescribeRecoveryPointCommand).resolves({ ResourceType: 'EBS', CreatedBy: { BackupPlanName: 'estate-plan', BackupRuleName: 'daily' } });
    mocks.backup.on(ListScanJobsCommand).resolves({ ScanJobs: [scanJob({ State: 'RUNNING', ScanResult: undefined, CompletionDate: undefined })] });
    await run(restoreEvent());
    expect(putOf(mocks)).toMatchObject({ ValidationStatus: 'TIMED_OUT', ValidationStatusMessage: expect.stringMatching(/scan-1 .* has not finished; still not ready after waiting 120 s/) });
  });

  test('when a scan is required, an error reading it reports nothing (it would be final) and is thrown', async () => {
    const { run, mocks } = setup({ scanRules: RULES });
    mocks.backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: JOB_ID, BackupVaultArn: VAULT_ARN });
    mocks.backup.on(DescribeRecoveryPointCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(run(restoreEvent())).rejects.toThrow('denied');
    expect(mocks.backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
  });

  test('when no scan is required, an error reading scans is a note, not a verdict', async () => {
    const { run, mocks } = setup();
    mocks.backup.on(ListScanJobsCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await run(restoreEvent());
    expect(putOf(mocks)).toMatchObject({
      ValidationStatus: 'SUCCESSFUL',
      ValidationStatusMessage: 'EBS volume vol-0123456789abcdef0: state available, 8 GiB; malware scan results could not be read (AccessDeniedException)',
    });
  });

  test('DynamoDB restores are not scanned: no scan lookups at all', async () => {
    const { run, mocks } = setup({ scanRules: RULES, allowEmptyDynamoDb: true });
    mocks.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: 'ACTIVE' } });
    mocks.dynamodb.on(ScanCommand).resolves({ Count: 0, Items: [] });
    await run(restoreEvent({ resourceType: 'DynamoDB', createdResourceArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/restored` }));
    expect(putOf(mocks)).toMatchObject({ ValidationStatus: 'SUCCESSFUL' });
    expect(mocks.backup).not.toHaveReceivedCommand(ListScanJobsCommand);
    expect(mocks.backup).not.toHaveReceivedCommand(DescribeRecoveryPointCommand);
    expect(mocks.s3).not.toHaveReceivedCommand(HeadBucketCommand);
  });

  test('an infected EC2 recovery point fails although EC2 instances have no check of their own', async () => {
    const { run, mocks } = setup();
    mocks.backup.on(ListScanJobsCommand).resolves({ ScanJobs: [scanJob({ ResourceType: 'EC2', ScanResult: { ScanResultStatus: 'THREATS_FOUND' } })] });
    const result = await run(restoreEvent({ resourceType: 'EC2', createdResourceArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0` }));
    expect(result).toMatchObject({ outcome: 'reported', status: 'FAILED' });
  });

  test('a clean EC2 recovery point stays not validated: a clean scan is no check of the restored instance', async () => {
    const { run, mocks } = setup();
    mocks.backup.on(ListScanJobsCommand).resolves({ ScanJobs: [scanJob({ ResourceType: 'EC2' })] });
    const result = await run(restoreEvent({ resourceType: 'EC2', createdResourceArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0123456789abcdef0` }));
    expect(result).toMatchObject({ outcome: 'not-validated' });
    expect(mocks.backup).not.toHaveReceivedCommand(PutRestoreValidationResultCommand);
  });
});
