import * as path from 'path';

/**
 * The committed test evidence that docs/reliability.md is generated from (docs/evidence/).
 * Tests that produce evidence compare what they measured with it, so stale docs fail the
 * suite. `npx projen docs` reruns those tests to refresh the evidence and sets
 * REFRESH_EVIDENCE=1 while it does: the comparisons are then skipped, since the committed
 * files are what is being replaced.
 */
export const EVIDENCE_DIR = path.resolve(__dirname, '..', '..', 'docs', 'evidence');

export const REFRESHING_EVIDENCE = process.env.REFRESH_EVIDENCE === '1';
