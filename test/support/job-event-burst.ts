/**
 * A reproducible burst of AWS Backup job state-change events, as the catalog receives them: every
 * job goes through four states, a share of the events arrives twice, and everything arrives
 * shuffled, in SQS batches. Used by the catalog integration test (correctness) and by the
 * benchmarks (throughput); the Backup API stub answers what the API says after the burst.
 */
import {
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  DescribeRecoveryPointCommand,
  DescribeRestoreJobCommand,
  ResourceNotFoundException,
  type BackupClient,
  type DescribeBackupJobInput,
  type DescribeCopyJobInput,
  type DescribeRestoreJobInput,
} from '@aws-sdk/client-backup';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { JobKind } from '../../lambda-src/shared/catalog-schema';

export const TRANSITIONS = 4;
export const BURST_ACCOUNT = '111122223333';
export const BURST_REGION = 'us-east-1';
export const BURST_VAULT = 'primary-vault';
export const BURST_VAULT_ARN = `arn:aws:backup:${BURST_REGION}:${BURST_ACCOUNT}:backup-vault:${BURST_VAULT}`;
export const BURST_TENANTS = ['acme', 'globex'];
const T0 = Date.parse('2026-03-01T00:00:00Z');

/** Deterministic PRNG (Park-Miller minimal standard), so a failure can be reproduced from its seed. */
export function prng(seed: number): () => number {
  let state = seed % 2147483647;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

export interface BurstJob {
  readonly kind: JobKind;
  readonly id: string;
  readonly states: readonly string[];
  readonly resourceArn: string;
  readonly recoveryPointArn: string;
  readonly tenantId?: string;
  /** Its Describe call answers "not found", so it is recorded from events alone. */
  readonly unknownToApi: boolean;
}

/** When the n-th transition of the i-th job happened (transitions are one second apart). */
export const eventTimeOf = (jobIndex: number, transition: number): Date => new Date(T0 + (jobIndex * 10 + transition) * 1000);

export function makeJobs(count: number, random: () => number): BurstJob[] {
  return Array.from({ length: count }, (_, i) => {
    const kind: JobKind = i % 10 < 6 ? 'BACKUP_JOB' : i % 10 < 8 ? 'COPY_JOB' : 'RESTORE_JOB';
    const r = random();
    const states = {
      // CREATED and PENDING share a rank, as do a copy job's two RUNNING progress events: the later one must win.
      BACKUP_JOB: ['CREATED', 'PENDING', 'RUNNING', r < 0.85 ? 'COMPLETED' : r < 0.95 ? 'FAILED' : 'EXPIRED'],
      COPY_JOB: ['CREATED', 'RUNNING', 'RUNNING', r < 0.9 ? 'COMPLETED' : 'FAILED'],
      RESTORE_JOB: ['CREATED', 'PENDING', 'RUNNING', r < 0.85 ? 'COMPLETED' : r < 0.95 ? 'FAILED' : 'ABORTED'],
    }[kind];
    const tenantId = i % 10 === 3 ? BURST_TENANTS[Math.floor(i / 10) % 2] : undefined;
    return {
      kind,
      id: `job-${String(i).padStart(5, '0')}`,
      states,
      resourceArn: tenantId
        ? `arn:aws:s3:::landing-bucket/${tenantId}/exports/${i}.json`
        : `arn:aws:ec2:${BURST_REGION}:${BURST_ACCOUNT}:volume/vol-${i.toString(16).padStart(17, '0')}`,
      recoveryPointArn: `arn:aws:backup:${BURST_REGION}:${BURST_ACCOUNT}:recovery-point:rp-${i}`,
      tenantId,
      unknownToApi: i % 50 === 0,
    };
  });
}

/** The EventBridge event (as an SQS message body) of one transition of one job. */
export function eventBody(job: BurstJob, jobIndex: number, transition: number): string {
  const state = job.states[transition];
  const completed = state === 'COMPLETED';
  const common = { creationDate: eventTimeOf(jobIndex, 0).toISOString(), resourceType: 'EBS' };
  const detail = {
    BACKUP_JOB: {
      ...common, backupJobId: job.id, state, backupVaultArn: BURST_VAULT_ARN, backupVaultName: BURST_VAULT, resourceArn: job.resourceArn,
    },
    COPY_JOB: {
      ...common,
      copyJobId: job.id,
      state,
      resourceArn: job.resourceArn,
      sourceBackupVaultArn: BURST_VAULT_ARN,
      destinationBackupVaultArn: BURST_VAULT_ARN,
      destinationRecoveryPointArn: completed ? job.recoveryPointArn : {},
    },
    // A restore's CREATED event says `state`, the others `status` (as AWS sends them).
    RESTORE_JOB: {
      ...common,
      restoreJobId: job.id,
      ...(state === 'CREATED' ? { state } : { status: state }),
      ...(completed ? { recoveryPointArn: job.recoveryPointArn, backupVaultArn: BURST_VAULT_ARN, sourceResourceArn: job.resourceArn } : {}),
    },
  }[job.kind];
  return JSON.stringify({
    'version': '0',
    'id': `${job.id}-${transition}`,
    'detail-type': { BACKUP_JOB: 'Backup Job State Change', COPY_JOB: 'Copy Job State Change', RESTORE_JOB: 'Restore Job State Change' }[job.kind],
    'source': 'aws.backup',
    'account': BURST_ACCOUNT,
    // EventBridge times have whole seconds.
    'time': eventTimeOf(jobIndex, transition).toISOString().replace('.000Z', 'Z'),
    'region': BURST_REGION,
    'resources': job.kind === 'BACKUP_JOB' && completed ? [job.recoveryPointArn] : [],
    detail,
  });
}

export interface Burst {
  readonly jobs: BurstJob[];
  /** Every transition of every job once. */
  readonly unique: string[];
  /** Repeats of randomly chosen events (redeliveries). */
  readonly duplicates: string[];
  /** unique + duplicates, shuffled. */
  readonly bodies: string[];
}

/** `jobs` jobs, each with TRANSITIONS events, plus repeats up to `totalEvents`, shuffled, from `seed`. */
export function makeBurst(jobCount: number, totalEvents: number, seed: number): Burst {
  const random = prng(seed);
  const jobs = makeJobs(jobCount, random);
  const unique = jobs.flatMap((job, i) => job.states.map((_, t) => eventBody(job, i, t)));
  const duplicates = Array.from({ length: Math.max(0, totalEvents - unique.length) }, () => unique[Math.floor(random() * unique.length)]);
  const bodies = [...unique, ...duplicates];
  for (let i = bodies.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [bodies[i], bodies[j]] = [bodies[j], bodies[i]];
  }
  return { jobs, unique, duplicates, bodies };
}

/** The bodies as SQS batches of `size`, as the event source mapping would deliver them. */
export function sqsBatches(bodies: readonly string[], size: number): SQSEvent[] {
  const batches: SQSEvent[] = [];
  for (let i = 0; i < bodies.length; i += size) {
    batches.push({
      Records: bodies.slice(i, i + size).map((body, k) => ({
        messageId: `m-${i + k}`,
        receiptHandle: `rh-${i + k}`,
        body,
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${BURST_REGION}:${BURST_ACCOUNT}:catalog-events`,
        awsRegion: BURST_REGION,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'AIDAEVENTBRIDGE', ApproximateFirstReceiveTimestamp: '0' },
      })),
    });
  }
  return batches;
}

/** Stubs `backup` as the Backup API looks after the burst: every job in its final state. */
export function stubBackupApiAfterBurst(backup: BackupClient, jobs: readonly BurstJob[]) {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const backupMock = mockClient(backup);
  const find = (id: string | undefined) => {
    const job = byId.get(id ?? '');
    if (!job || job.unknownToApi) throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
    return job;
  };
  const final = (job: BurstJob) => job.states[job.states.length - 1];
  backupMock.on(DescribeBackupJobCommand).callsFake((input: DescribeBackupJobInput) => {
    const job = find(input.BackupJobId);
    return {
      BackupJobId: job.id,
      State: final(job),
      BackupVaultName: BURST_VAULT,
      BackupVaultArn: BURST_VAULT_ARN,
      ResourceArn: job.resourceArn,
      ResourceType: 'EBS',
      RecoveryPointArn: job.recoveryPointArn,
      AccountId: BURST_ACCOUNT,
    };
  });
  backupMock.on(DescribeCopyJobCommand).callsFake((input: DescribeCopyJobInput) => {
    const job = find(input.CopyJobId);
    return {
      CopyJob: {
        CopyJobId: job.id,
        State: final(job),
        DestinationBackupVaultArn: BURST_VAULT_ARN,
        SourceBackupVaultArn: BURST_VAULT_ARN,
        DestinationRecoveryPointArn: job.recoveryPointArn,
        ResourceArn: job.resourceArn,
        ResourceType: 'EBS',
      },
    };
  });
  backupMock.on(DescribeRestoreJobCommand).callsFake((input: DescribeRestoreJobInput) => {
    const job = find(input.RestoreJobId);
    return {
      RestoreJobId: job.id,
      Status: final(job),
      BackupVaultArn: BURST_VAULT_ARN,
      RecoveryPointArn: job.recoveryPointArn,
      SourceResourceArn: job.resourceArn,
      ResourceType: 'EBS',
    };
  });
  backupMock.on(DescribeRecoveryPointCommand).resolves({ Status: 'COMPLETED', IsEncrypted: true });
  return backupMock;
}

/** Runs `fn` over `items` with at most `limit` in flight (several Lambda invocations at once). */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }));
  return results;
}
