import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVIDENCE_DIR } from './committed-evidence';
import type { FaultRecord } from './fault-matrix-model';

/**
 * The fault matrix in docs/reliability.md comes from docs/evidence/fault-matrix.json. A fault
 * test file checks that every cell it recorded is in that file, as recorded: same handler,
 * fault, case, outcome, defect or reason, test. Attempt counts and other evidence details are
 * left out of the comparison (they describe how a case ran, not what it decided). A test that
 * was removed is not noticed here; `npx projen docs` drops its cells.
 */
export const FAULT_EVIDENCE = join(EVIDENCE_DIR, 'fault-matrix.json');

function key(r: FaultRecord): string {
  return JSON.stringify([r.file, r.test, r.handler, r.fault, r.case, r.outcome, r.defect ?? null, r.reason ?? null]);
}

/** The recorded cells missing from the committed evidence, readable; empty when the evidence is current. */
export function cellsMissingFromEvidence(records: readonly FaultRecord[], evidenceFile = FAULT_EVIDENCE): string[] {
  const committed: FaultRecord[] = existsSync(evidenceFile) ? JSON.parse(readFileSync(evidenceFile, 'utf8')) : [];
  const known = new Set(committed.map(key));
  return records.filter((r) => !known.has(key(r))).map((r) => `${r.handler} × ${r.fault}: ${r.case} → ${r.outcome} (${r.test})`);
}
