/**
 * Synthetic AWS Backup job events for the catalog burst: every job goes through four
 * state changes, a share of the events is delivered twice, and all of them are
 * shuffled. Deterministic (seeded), so a failure can be replayed. Adapted from
 * test/handlers/catalog-burst.integ.test.ts.
 */
import type { JobKind } from '../../lambda-src/shared/catalog-schema';

export const TRANSITIONS = 4;
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
const VAULT = 'primary-vault';
export const VAULT_ARN = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:${VAULT}`;
export const TENANTS = ['acme', 'globex'];
const T0 = Date.parse('2026-03-01T00:00:00Z');

/** Park-Miller minimal standard PRNG. */
export function prng(seed: number): () => number {
  let state = seed % 2147483647;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

export interface Job {
  readonly kind: JobKind;
  readonly id: string;
  readonly states: readonly string[];
  readonly resourceArn: string;
  readonly recoveryPointArn: string;
  /** Its Describe call answers "not found", so it is recorded from events alone. */
  readonly unknownToApi: boolean;
}

export const eventTimeOf = (jobIndex: number, transition: number) => new Date(T0 + (jobIndex * 10 + transition) * 1000);

export function makeJobs(count: number, random: () => number): Job[] {
  return Array.from({ length: count }, (_, i) => {
    const kind: JobKind = i % 10 < 6 ? 'BACKUP_JOB' : i % 10 < 8 ? 'COPY_JOB' : 'RESTORE_JOB';
    const r = random();
    const states = {
      BACKUP_JOB: ['CREATED', 'PENDING', 'RUNNING', r < 0.85 ? 'COMPLETED' : r < 0.95 ? 'FAILED' : 'EXPIRED'],
      COPY_JOB: ['CREATED', 'RUNNING', 'RUNNING', r < 0.9 ? 'COMPLETED' : 'FAILED'],
      RESTORE_JOB: ['CREATED', 'PENDING', 'RUNNING', r < 0.85 ? 'COMPLETED' : r < 0.95 ? 'FAILED' : 'ABORTED'],
    }[kind];
    const tenantId = i % 10 === 3 ? TENANTS[Math.floor(i / 10) % 2] : undefined;
    return {
      kind,
      id: `job-${String(i).padStart(6, '0')}`,
      states,
      resourceArn: tenantId
        ? `arn:aws:s3:::landing-bucket/${tenantId}/exports/${i}.json`
        : `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/vol-${i.toString(16).padStart(17, '0')}`,
      recoveryPointArn: `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:rp-${i}`,
      unknownToApi: i % 50 === 0,
    };
  });
}

export function eventBody(job: Job, jobIndex: number, transition: number): string {
  const state = job.states[transition];
  const completed = state === 'COMPLETED';
  const common = { creationDate: eventTimeOf(jobIndex, 0).toISOString(), resourceType: 'EBS' };
  const detail = {
    BACKUP_JOB: { ...common, backupJobId: job.id, state, backupVaultArn: VAULT_ARN, backupVaultName: VAULT, resourceArn: job.resourceArn },
    COPY_JOB: {
      ...common,
      copyJobId: job.id,
      state,
      resourceArn: job.resourceArn,
      sourceBackupVaultArn: VAULT_ARN,
      destinationBackupVaultArn: VAULT_ARN,
      destinationRecoveryPointArn: completed ? job.recoveryPointArn : {},
    },
    // A restore's CREATED event says `state`, the others `status` (as AWS sends them).
    RESTORE_JOB: {
      ...common,
      restoreJobId: job.id,
      ...(state === 'CREATED' ? { state } : { status: state }),
      ...(completed ? { recoveryPointArn: job.recoveryPointArn, backupVaultArn: VAULT_ARN, sourceResourceArn: job.resourceArn } : {}),
    },
  }[job.kind];
  return JSON.stringify({
    'version': '0',
    'id': `${job.id}-${transition}`,
    'detail-type': { BACKUP_JOB: 'Backup Job State Change', COPY_JOB: 'Copy Job State Change', RESTORE_JOB: 'Restore Job State Change' }[job.kind],
    'source': 'aws.backup',
    'account': ACCOUNT,
    'time': eventTimeOf(jobIndex, transition).toISOString().replace('.000Z', 'Z'),
    'region': REGION,
    'resources': job.kind === 'BACKUP_JOB' && completed ? [job.recoveryPointArn] : [],
    detail,
  });
}

/** `total` event bodies for total × 0.8 / TRANSITIONS jobs: every transition once, 20% of them again, shuffled. */
export function burst(total: number, seed: number): { jobs: Job[]; bodies: string[]; duplicates: number } {
  const random = prng(seed);
  const jobs = makeJobs(Math.round((total * 0.8) / TRANSITIONS), random);
  const unique = jobs.flatMap((job, i) => job.states.map((_, t) => eventBody(job, i, t)));
  const duplicates = total - unique.length;
  const bodies = [...unique, ...Array.from({ length: duplicates }, () => unique[Math.floor(random() * unique.length)])];
  for (let i = bodies.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [bodies[i], bodies[j]] = [bodies[j], bodies[i]];
  }
  return { jobs, bodies, duplicates };
}
