/*
 * The benchmark's event burst: the same generator as the catalog burst integration test
 * (test/support/job-event-burst.ts), so the benchmark measures exactly what the test proves
 * correct. Only the sizing differs: the benchmark asks for a total number of events.
 */
import {
  BURST_ACCOUNT, BURST_REGION, BURST_TENANTS, BURST_VAULT_ARN, BurstJob, TRANSITIONS, eventTimeOf, makeBurst,
} from '../../test/support/job-event-burst';

export { TRANSITIONS, eventTimeOf };
export const ACCOUNT = BURST_ACCOUNT;
export const REGION = BURST_REGION;
export const VAULT_ARN = BURST_VAULT_ARN;
export const TENANTS = BURST_TENANTS;
export type Job = BurstJob;

/** `total` event bodies for total × 0.8 / TRANSITIONS jobs: every transition once, 20% of them again, shuffled. */
export function burst(total: number, seed: number): { jobs: Job[]; bodies: string[]; duplicates: number } {
  const { jobs, bodies, duplicates } = makeBurst(Math.round((total * 0.8) / TRANSITIONS), total, seed);
  return { jobs, bodies, duplicates: duplicates.length };
}
