/** RestoreTesting: the compliance packs pass. */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ENV, VAULT_ARN, EBS_ONLY, fixture, deps } from './fixtures';
import { BackupCatalog } from '../../../src/backup-system/catalog';
import { RestoreTesting } from '../../../src/backup-system/restore-testing';
import { RestoreTestingAlgorithm, RestoreTestingResourceType as T } from '../../../src/backup-system/restore-testing-options';
import { createEncryptedAlertTopic } from '../../../src/private/encrypted-topic';
import { createSecureKey } from '../../../src/private/secure-key';
import { describeFindings, synthFindings, testApp } from '../../support/compliance';

describe('RestoreTesting passes the compliance packs', () => {
  test('BackupCatalog and RestoreTesting with their defaults in one stack: zero unacknowledged findings', () => {
    const f = fixture('Packs');
    const catalog = new BackupCatalog(f.stack, 'Catalog', { alarmTopic: f.topic, tenants: [], vaultNames: [], removalPolicy: RemovalPolicy.RETAIN });
    new RestoreTesting(f.stack, 'RestoreTesting', EBS_ONLY, deps(f, { catalog }));
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('every resource type selected (every wildcard the validator can need): zero unacknowledged findings', () => {
    const f = fixture('AllTypes');
    new RestoreTesting(f.stack, 'RestoreTesting', {
      selections: Object.values(T).map((resourceType) => ({ resourceType })),
    }, deps(f));
    expect(describeFindings(synthFindings(f.app))).toEqual([]);
  });

  test('in a stack whose account is not known at synth time', () => {
    const app = testApp();
    const stack = new Stack(app, 'RegionOnly', { env: { region: 'eu-west-1' } });
    const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarm topic' }), 'alarms');
    const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
    const catalog = new BackupCatalog(stack, 'Catalog', { alarmTopic: topic, tenants: ['acme'], vaultNames: ['primary'], removalPolicy: RemovalPolicy.RETAIN });
    new RestoreTesting(stack, 'RestoreTesting', { selections: Object.values(T).map((resourceType) => ({ resourceType })) }, {
      sourceVaultArns: [VAULT_ARN], selectionTags: { Backup: 'true' }, restoreRole, catalog, alarmTopic: topic, removalPolicy: RemovalPolicy.RETAIN,
    });
    expect(describeFindings(synthFindings(app))).toEqual([]);
  });

  test('the template conforms to the CloudFormation schemas (built-in validation on, every option set)', () => {
    const app = testApp({ builtinValidation: true });
    const stack = new Stack(app, 'Schemas', { env: ENV });
    const topic = createEncryptedAlertTopic(stack, 'AlarmTopic', createSecureKey(stack, 'AlarmKey', { description: 'alarm topic' }), 'alarms');
    const restoreRole = new iam.Role(stack, 'RestoreRole', { assumedBy: new iam.ServicePrincipal('backup.amazonaws.com') });
    const catalog = new BackupCatalog(stack, 'Catalog', { alarmTopic: topic, tenants: ['acme'], vaultNames: ['primary'], removalPolicy: RemovalPolicy.RETAIN });
    new RestoreTesting(stack, 'RestoreTesting', {
      planName: 'all_options',
      schedule: events.Schedule.cron({ minute: '0', hour: '3' }),
      scheduleTimeZone: 'Europe/Berlin',
      startWindow: Duration.hours(6),
      selectionWindow: Duration.days(14),
      algorithm: RestoreTestingAlgorithm.RANDOM_WITHIN_WINDOW,
      selections: [
        { resourceType: T.S3, protectedResourceArns: ['arn:aws:s3:::documents'], restoreMetadataOverrides: { Encrypted: 'true' }, validationWindow: Duration.hours(8), name: 'docs' },
        { resourceType: T.RDS },
      ],
    }, { sourceVaultArns: [VAULT_ARN], selectionTags: { Backup: 'true' }, restoreRole, catalog, alarmTopic: topic, removalPolicy: RemovalPolicy.RETAIN });
    expect(describeFindings(synthFindings(app, []))).toEqual([]);
  });
});
