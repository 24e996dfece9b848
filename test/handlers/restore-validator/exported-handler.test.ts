/** Restore validator: the exported handler builds its clients from the environment. */
import { PutRestoreValidationResultCommand } from '@aws-sdk/client-backup';
import { DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { JOB_ID, VOLUME_ARN, restoreEvent } from './fixtures';
import {
  backupClient as moduleBackupClient, ec2Client as moduleEc2Client, handler as moduleHandler, metrics as moduleMetrics,
} from '../../../lambda-src/restore-validator.lambda';

describe('the exported handler', () => {
  const saved: Record<string, string | undefined> = {};
  const KEYS = ['TABLE_NAME', 'VALIDATION_WAIT_SECONDS', 'ALLOW_EMPTY_S3', 'ALLOW_EMPTY_DYNAMODB'];
  beforeAll(() => {
    for (const k of KEYS) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
  });
  afterAll(() => {
    for (const k of KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test('uses the module clients and metrics: an available EBS volume is reported SUCCESSFUL', async () => {
    const backup = mockClient(moduleBackupClient);
    const ec2 = mockClient(moduleEc2Client);
    const published = jest.spyOn(moduleMetrics, 'publishStoredMetrics').mockImplementation(() => {
      moduleMetrics.clearMetrics();
      moduleMetrics.clearDimensions();
      return moduleMetrics;
    });
    try {
      backup.on(PutRestoreValidationResultCommand).resolves({});
      ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ State: 'available' }] });

      const result = await moduleHandler(restoreEvent({ resourceType: 'EBS', createdResourceArn: VOLUME_ARN }), { getRemainingTimeInMillis: () => 60_000 });

      expect(result).toMatchObject({ outcome: 'reported', status: 'SUCCESSFUL', recorded: false });
      expect(backup).toHaveReceivedCommandWith(PutRestoreValidationResultCommand, { RestoreJobId: JOB_ID, ValidationStatus: 'SUCCESSFUL' });
      expect(published).toHaveBeenCalledTimes(1);
    } finally {
      backup.restore();
      ec2.restore();
      published.mockRestore();
    }
  });
});
