import * as fs from 'fs';
import * as path from 'path';
import { AppRole, appRoles, describeKind, modelWithMembers } from './app-roles';
import { callChecks, callTargets } from './call-targets';
import { Category, Expectation, iamChangeExpectations, keyExpectations, landingExpectations, replicationExpectations, vaultExpectations } from './expectations';
import { handlerActions } from './handler-sdk-calls';
import { WildcardGrant, reviewRolePolicies } from './wildcards';
import { AppModel } from '../judges/cfn/app-model';
import { roleActor } from '../judges/delivery/edge';
import { evaluateAccess } from '../judges/iam/simulate';
import type { SynthesizedApp } from '../judges/synth/synthesized-apps';

/**
 * Least privilege over every synthesized app (the judges' cache): each expectation
 * (expectations.ts, and each SDK call of each handler) evaluated with
 * @cloud-copilot/iam-simulate, each library role's `Resource: "*"` grants reviewed,
 * and the result summarized per role kind for docs/reliability.md.
 */

const ROOT = path.resolve(__dirname, '..', '..');
export const LEAST_PRIVILEGE_REPORT = path.join(ROOT, 'test-reports', 'least-privilege.json');
export const LEAST_PRIVILEGE_EVIDENCE = path.join(ROOT, 'docs', 'evidence', 'least-privilege.json');
export const WILDCARD_REASONS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(__dirname, 'wildcard-reasons.json'), 'utf8'));

/**
 * Library roles that may read landed objects, and why. Every other library role is
 * expected to be denied (the landing bucket holds tenants' data).
 */
const MAY_READ_LANDING: Record<string, string> = {
  'handler verifier': 'verifies the checksum of every landed object version',
  'service role: AWS Backup (backup and restore jobs)': 'backs up the selected buckets, the landing bucket among them',
  'service role: AWS Backup (restore testing)': 'restores recovery points of the selected buckets to test them',
};

/** Where expectations about principals outside the library (an administrator, break-glass roles) are grouped. */
const OUTSIDE = '(principals outside the library)';

export interface Judged {
  readonly app: string;
  readonly category: Category;
  readonly expect: 'allow' | 'deny';
  readonly who: string;
  readonly what: string;
  readonly ok: boolean;
  readonly why?: string;
}

export interface RoleSummary {
  readonly app: string;
  readonly role: string;
  readonly kind: string;
  readonly allowedChecks: number;
  readonly deniedChecks: number;
  readonly wildcards: WildcardGrant[];
  /** Handler calls this app's configuration never makes (a failover without RDS replicas). */
  readonly notConfigured: string[];
}

export interface LeastPrivilegeResult {
  readonly judged: Judged[];
  readonly roles: RoleSummary[];
  readonly reviewFindings: string[];
  readonly usedReasons: Set<string>;
  /** Distinct identity and resource policies that took part in a simulation (per app). */
  readonly policiesSimulated: number;
  readonly simulations: number;
}

async function judgeExpectation(app: string, e: Expectation, policies: Set<string>): Promise<Judged> {
  if (e.check.kind === 'constraint') {
    return { app, category: e.category, expect: e.expect, who: e.who, what: 'constraint', ok: e.check.ok === (e.expect === 'allow'), why: e.check.message };
  }
  const r = e.check.request;
  for (const p of r.identityPolicies) policies.add(`${app}|identity|${p.label}`);
  if (r.resourcePolicy) policies.add(`${app}|resource|${r.resourcePolicy.label}`);
  const decision = await evaluateAccess(r);
  return {
    app,
    category: e.category,
    expect: e.expect,
    who: e.who,
    what: `${r.action} on ${r.resource}`,
    ok: decision.allowed === (e.expect === 'allow'),
    why: decision.allowed ? 'allowed' : decision.deniedBy,
  };
}

/** Every SDK call of a handler role's functions, as allow-expectations. */
async function handlerExpectations(model: AppModel, r: AppRole): Promise<{ expectations: Expectation[]; notConfigured: string[] }> {
  if (r.is.kind !== 'handler') return { expectations: [], notConfigured: [] };
  const actor = roleActor(model, r.role);
  const expectations: Expectation[] = [];
  const notConfigured = new Set<string>();
  for (const fn of r.is.functions) {
    for (const [action, sites] of handlerActions(r.is.handler)) {
      const { status, targets } = await callTargets(model, fn, r.is.handler, action);
      if (status === 'not-configured') notConfigured.add(action);
      for (const target of targets) {
        for (const check of callChecks(model, actor, fn, action, target)) {
          expectations.push({ category: 'handler calls', expect: 'allow', who: `${actor.label} (${r.is.handler}: ${sites[0]}, ${target.from})`, role: r.name, check });
        }
      }
    }
  }
  return { expectations, notConfigured: [...notConfigured].sort() };
}

export async function judgeLeastPrivilege(apps: SynthesizedApp[]): Promise<LeastPrivilegeResult> {
  const judged: Judged[] = [];
  const roles: RoleSummary[] = [];
  const reviewFindings: string[] = [];
  const usedReasons = new Set<string>();
  const policies = new Set<string>();
  for (const synthesized of apps) {
    const model = modelWithMembers(synthesized);
    const outdirs = new Map(synthesized.stacks.map((s) => [s.stackName, path.dirname(s.templateFile)]));
    const all = appRoles(model, (name) => outdirs.get(name));
    const byRole = new Map<string, Expectation[]>();
    const push = (name: string, e: Expectation) => byRole.set(name, [...(byRole.get(name) ?? []), e]);
    const notConfigured = new Map<string, string[]>();
    for (const r of all) {
      const h = await handlerExpectations(model, r);
      h.expectations.forEach((e) => push(r.name, e));
      notConfigured.set(r.name, h.notConfigured);
    }
    const general = [
      ...vaultExpectations(model, all), ...keyExpectations(model, all), ...iamChangeExpectations(model, all),
      ...landingExpectations(model, all, (r) => MAY_READ_LANDING[describeKind(r.is)]), ...replicationExpectations(model, all),
    ];
    general.forEach((e) => push(e.role ?? OUTSIDE, e));
    for (const [name, expectations] of byRole) {
      const role = all.find((r) => r.name === name);
      const results = [];
      for (const e of expectations) results.push(await judgeExpectation(synthesized.name, e, policies));
      judged.push(...results);
      if (!role || role.is.kind === 'other') continue;
      const review = await reviewRolePolicies(model, role, WILDCARD_REASONS);
      review.used.forEach((u) => usedReasons.add(u));
      reviewFindings.push(...review.findings.map((f) => `${synthesized.name}/${f}`));
      roles.push({
        app: synthesized.name,
        role: name,
        kind: describeKind(role.is),
        allowedChecks: results.filter((x) => x.expect === 'allow').length,
        deniedChecks: results.filter((x) => x.expect === 'deny').length,
        wildcards: review.wildcards,
        notConfigured: notConfigured.get(name) ?? [],
      });
    }
    // Library roles with no expectation at all still get their policies reviewed.
    for (const role of all.filter((r) => r.is.kind !== 'other' && !byRole.has(r.name))) {
      const review = await reviewRolePolicies(model, role, WILDCARD_REASONS);
      review.used.forEach((u) => usedReasons.add(u));
      reviewFindings.push(...review.findings.map((f) => `${synthesized.name}/${f}`));
      roles.push({
        app: synthesized.name,
        role: role.name,
        kind: describeKind(role.is),
        allowedChecks: 0,
        deniedChecks: 0,
        wildcards: review.wildcards,
        notConfigured: [],
      });
    }
  }
  return { judged, roles, reviewFindings, usedReasons, policiesSimulated: policies.size, simulations: judged.filter((j) => j.what !== 'constraint').length };
}

/** Per role kind: what docs/reliability.md tabulates (deterministic: no timings, sorted). */
export function summarize(result: LeastPrivilegeResult) {
  const kinds = [...new Set(result.roles.map((r) => r.kind))].sort();
  return {
    policiesSimulated: result.policiesSimulated,
    simulations: result.simulations,
    checks: Object.fromEntries([...new Set(result.judged.map((j) => j.category))].sort().map((c) => {
      const of = result.judged.filter((j) => j.category === c);
      return [c, { expect: of[0].expect, checks: of.length, failing: of.filter((j) => !j.ok).length }];
    })),
    roleKinds: kinds.map((kind) => {
      const of = result.roles.filter((r) => r.kind === kind);
      const wildcards = new Map<string, WildcardGrant>();
      of.flatMap((r) => r.wildcards).forEach((w) => wildcards.set(w.action, w));
      return {
        kind,
        roles: of.length,
        apps: [...new Set(of.map((r) => r.app))].sort(),
        allowedChecks: of.reduce((n, r) => n + r.allowedChecks, 0),
        deniedChecks: of.reduce((n, r) => n + r.deniedChecks, 0),
        wildcardResources: [...wildcards.values()].sort((a, b) => a.action.localeCompare(b.action)),
      };
    }),
  };
}

export type LeastPrivilegeSummary = ReturnType<typeof summarize>;
