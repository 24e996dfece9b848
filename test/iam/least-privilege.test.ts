import * as fs from 'fs';
import * as path from 'path';
import { Category } from './expectations';
import { LEAST_PRIVILEGE_EVIDENCE, LEAST_PRIVILEGE_REPORT, LeastPrivilegeResult, WILDCARD_REASONS, judgeLeastPrivilege, summarize } from './least-privilege';
import { synthesizedApps } from '../judges/synth/synthesized-apps';
import { REFRESHING_EVIDENCE } from '../support/committed-evidence';

/**
 * Least privilege, simulated (issue 13 item 2) over every example and the coverage
 * app: what the library's handlers and services need is allowed, what nobody (or no
 * library role) may do is denied, and `Resource: "*"` only where IAM accepts nothing
 * else or with a listed reason. Writes test-reports/least-privilege.json.
 */
let result: LeastPrivilegeResult;

beforeAll(async () => {
  const apps = synthesizedApps();
  const failed = apps.filter((a) => a.error);
  if (failed.length > 0) throw new Error(`apps that did not synthesize: ${failed.map((a) => `${a.name}: ${a.error}`).join('\n')}`);
  result = await judgeLeastPrivilege(apps);
  fs.mkdirSync(path.dirname(LEAST_PRIVILEGE_REPORT), { recursive: true });
  fs.writeFileSync(LEAST_PRIVILEGE_REPORT, JSON.stringify({ summary: summarize(result), roles: result.roles, failing: result.judged.filter((j) => !j.ok) }, null, 2) + '\n');
}, 300_000);

const failing = (category: Category) => {
  const of = result.judged.filter((j) => j.category === category);
  // No category may pass vacuously.
  expect(of.length).toBeGreaterThan(0);
  return of.filter((j) => !j.ok).map((j) => `${j.app}: ${j.who} ${j.expect === 'allow' ? 'needs' : 'must not get'} ${j.what} — ${j.why}`);
};

describe('least privilege, simulated', () => {
  test('every SDK call of every handler is allowed to its role (with the keys of the topics and buckets it uses)', () => {
    expect(failing('handler calls')).toEqual([]);
  });

  test('S3 replication roles can do what replication needs on their source and replica', () => {
    expect(failing('replication needs')).toEqual([]);
  });

  test('nobody but the vault\'s break-glass roles deletes a recovery point or changes its lifecycle, an administrator included', () => {
    expect(failing('recovery point deletion')).toEqual([]);
  });

  test('no library role removes a vault, its lock or its access policy', () => {
    expect(failing('vault lock and policy')).toEqual([]);
  });

  test('no library role schedules the deletion of a key, disables it or changes its policy', () => {
    expect(failing('key deletion and policy')).toEqual([]);
  });

  test('a tenant reads and writes its own prefix of landing storage and nobody else\'s', () => {
    expect(failing('cross-tenant access')).toEqual([]);
  });

  test('no library role but the verifier and AWS Backup reads landed objects', () => {
    expect(failing('landing objects')).toEqual([]);
  });

  test('replication roles read only their source and write only their replica', () => {
    expect(failing('replication scope')).toEqual([]);
  });

  test('no library role changes IAM policies', () => {
    expect(failing('IAM changes')).toEqual([]);
  });

  test('the exemptions are checked too: break-glass roles may delete recovery points, tenants reach their own prefix', () => {
    const allowed = (category: Category) => result.judged.filter((j) => j.category === category && j.expect === 'allow' && j.ok).length;
    expect(allowed('recovery point deletion')).toBeGreaterThan(0);
    expect(allowed('cross-tenant access')).toBeGreaterThan(0);
  });

  test('Resource "*" only for actions without resource-level permission, or with a reason in wildcard-reasons.json; every action exists', () => {
    expect(result.reviewFindings).toEqual([]);
  });

  test('wildcard-reasons.json has no entry the library no longer needs', () => {
    expect(Object.keys(WILDCARD_REASONS).filter((a) => !result.usedReasons.has(a))).toEqual([]);
  });

  test('the summary matches the committed evidence (docs/evidence/least-privilege.json; regenerate with `npx projen docs`)', () => {
    if (REFRESHING_EVIDENCE) return; // `npx projen docs` is replacing the committed summary with this run's
    const committed = fs.existsSync(LEAST_PRIVILEGE_EVIDENCE) ? JSON.parse(fs.readFileSync(LEAST_PRIVILEGE_EVIDENCE, 'utf8')) : null;
    expect(committed).toEqual(JSON.parse(JSON.stringify(summarize(result))));
  });
});
