import { Evidence, FUZZ_CONSTRUCTS } from './evidence';
import { GENERATED, code, table } from './markdown';
import type { FaultRecord } from '../../test/support/fault-matrix-model';
import { renderFaultMatrix } from '../fault-matrix';

/**
 * docs/reliability.md: the fuzz counts, the fault matrix and the least-privilege
 * table, from the committed evidence (docs/evidence/*.json). A part whose evidence is
 * missing says "not generated" and how to generate it.
 */

const PROPERTY_MEANING: Record<string, string> = {
  'plausible props': 'what users typically write, with an edge value now and then',
  'well-typed props': 'every prop at and around the bounds of the rules',
  'wrong-typed props': 'values of another type, as a JavaScript or Python user can pass them',
};

function fuzzSection(fuzz: any): string[] {
  const out = ['## 1. Fuzzing', ''];
  if (!fuzz) return [...out, 'Not generated: run `npx projen docs` (it runs the fuzz tests, test/fuzz).', ''];
  out.push('Each construct was given generated props and calls (fast-check, seed '
    + `${fuzz.seed}; \`FUZZ_RUNS\` scales the runs, \`FUZZ_SEED\` changes the sample). Every input must either synthesize into `
    + 'templates that an independent checker finds consistent (lifecycles, retention inside the vault locks, audit framework '
    + 'parameters against the plan, copy regions, replication against the declared RPO, schedules AWS Backup accepts), or be '
    + 'rejected with the library\'s own error naming the construct and the prop. Anything else (a TypeError, an error without '
    + 'the construct path, an inconsistent template) is a defect.', '');
  const rows = FUZZ_CONSTRUCTS.flatMap((c) => {
    const counts = fuzz.constructs[c];
    if (!counts) return [[c, 'not run', '', '', '', '']];
    return Object.entries<any>(counts.properties).map(([p, t]) => [c, `${p}: ${PROPERTY_MEANING[p] ?? ''}`, t.runs, t.valid, t.rejected, t.defects]);
  });
  const total = (k: string) => FUZZ_CONSTRUCTS.reduce((n, c) => n + (fuzz.constructs[c]?.[k] ?? 0), 0);
  out.push(...table(['construct', 'inputs', 'runs', 'synthesized, consistent', 'rejected by a rule', 'defects'],
    [...rows, ['**all**', '', total('runs'), total('valid'), total('rejected'), total('defects')]]), '');
  out.push('### Rejections by rule', '', 'How often each prop was rejected (indices generalized), per construct:', '');
  for (const c of FUZZ_CONSTRUCTS) {
    const by = fuzz.constructs[c]?.rejectedByRule ?? {};
    out.push(`- ${c}: ${Object.entries(by).map(([k, n]) => `${code(k)} ${n}`).join(', ') || 'none'}`);
  }
  out.push('', '### Defects', '');
  const defects = FUZZ_CONSTRUCTS.flatMap((c) => Object.entries<number>(fuzz.constructs[c]?.defectsByCause ?? {}).map(([cause, n]) => [c, cause, n]));
  if (defects.length === 0) {out.push('None.', '');} else {
    out.push('Each cause is a known defect of the library, not yet fixed: the test that finds it is marked as expected to fail '
      + '(`test.failing`) until the fix, and its output names the smallest input of each cause. "inputs" counts the generated '
      + 'inputs that hit it.', '', ...table(['construct', 'cause', 'inputs'], defects), '');
  }
  return out;
}

function faultSection(records: FaultRecord[] | undefined): string[] {
  const out = ['## 2. Faults in the handlers', ''];
  if (!records || records.length === 0) {
    return [...out, 'Not generated: run `npx projen docs` (it runs the fault tests, test/handlers/faults).', ''];
  }
  out.push('Each handler was driven into each fault AWS produces (throttling, 5xx, timeouts, a connection reset mid-stream, '
    + 'malformed and unexpected events, a resource that no longer exists, partial batch failure). Every cell must end in a '
    + 'retry that succeeds, a recorded failure with an alarm, or a dead-letter entry; never a silent drop, never a partial record.', '');
  // The matrix as scripts/fault-matrix.ts renders it (summary, matrix, legend, defects, every case).
  return [...out, ...renderFaultMatrix(records).trimEnd().split('\n'), ''];
}

function leastPrivilegeSection(lp: any): string[] {
  const out = ['## 3. Least privilege, simulated', ''];
  if (!lp) return [...out, 'Not generated: run `npx projen docs` (it runs the least-privilege tests, test/iam).', ''];
  out.push(`${lp.policiesSimulated} policies (identity policies of the roles, and resource policies: vault access, key, bucket, `
    + `topic and queue policies) took part in ${lp.simulations} IAM decisions, evaluated offline with @cloud-copilot/iam-simulate over `
    + 'the synthesized templates of every example and of the coverage app (every option of every construct). Each role\'s '
    + 'needs come from the code: the AWS SDK calls each Lambda handler makes (read from `lambda-src/`), the S3 replication '
    + 'permissions AWS documents; what must be denied is listed below.', '');
  out.push(...table(['check', 'expected', 'decisions', 'failing'], Object.entries<any>(lp.checks).map(([c, v]) => [c, v.expect === 'allow' ? 'allowed' : 'denied', v.checks, v.failing])), '');
  out.push('What the denied checks cover: deleting a recovery point or changing its lifecycle (everybody, an administrator of the account '
    + 'included, except the vault\'s break-glass roles, which are checked to be allowed); removing a vault, its lock or its '
    + 'access policy, and scheduling the deletion of a KMS key, disabling it or changing its policy (every role the library '
    + 'creates); IAM policy changes (every library role, on itself); a tenant\'s access to another tenant\'s prefix of landing '
    + 'storage; reading landed objects (every library role but the verifier and AWS Backup); S3 replication roles reading any '
    + 'other bucket or writing into any bucket but their replica.', '');
  out.push('### Per role', '');
  out.push(...table(['role', 'roles in the apps', 'allowed checks', 'denied checks', 'Resource "*" grants (action: reason)'],
    lp.roleKinds.map((k: any) => [
      k.kind, k.roles, k.allowedChecks, k.deniedChecks,
      k.wildcardResources.length === 0 ? 'none' : k.wildcardResources.map((w: any) => `${w.action}: ${w.reason}`).join('; '),
    ])), '');
  return out;
}

export function renderReliability(evidence: Evidence): string {
  const lines = [
    '# Reliability evidence: cdk-compliant-backup', '',
    `> ${GENERATED}`, '',
    'This document reports (1) how the constructs behave under thousands of generated inputs, (2) how each Lambda handler '
    + 'behaves under each fault AWS produces, and (3) that every role and resource policy the library creates allows what '
    + 'its handler or service needs and denies what nobody should do. `docs/compliance.md` lists the controls themselves.', '',
    ...fuzzSection(evidence.fuzz),
    ...faultSection(evidence.faultMatrix),
    ...leastPrivilegeSection(evidence.leastPrivilege),
  ];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
