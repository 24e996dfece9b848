import { Acknowledgement } from './acknowledgements';
import { GENERATED, code, table } from './markdown';
import { ConstructRule, Limit, Rule } from './rules';
import { ComplianceProfile, VaultLockMode } from '../../src/compliance/compliance-profile';

/**
 * docs/compliance.md: what the library enforces when an app is synthesized, which
 * findings of the compliance rule packs it acknowledges and why, and what each
 * compliance profile requires and where each minimum comes from.
 */

export interface ComplianceInputs {
  readonly rules: Rule[];
  readonly limits: Limit[];
  readonly constructRules: ConstructRule[];
  readonly acknowledgements: Acknowledgement[];
}

const PROFILES: Array<[string, () => ComplianceProfile]> = [
  ['ComplianceProfile.sox()', ComplianceProfile.sox],
  ['ComplianceProfile.hipaa()', ComplianceProfile.hipaa],
  ['ComplianceProfile.pciDss()', ComplianceProfile.pciDss],
];

function humanName(fn: string): string {
  return fn.replace(/^check/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
}

function rulesSection(inputs: ComplianceInputs): string[] {
  const out: string[] = [];
  out.push('## 1. Controls enforced at synth', '');
  out.push('Each control below runs when a CDK app that uses the library is synthesized (`cdk synth`, `cdk deploy`). An input '
    + 'that breaks one stops the synthesis with an error of the library\'s own type (`ComplianceRuleError`), whose message '
    + 'names the construct, the property, the value received and what is allowed: nothing is deployed. The example messages '
    + 'below were produced by running each control on the input shown in `scripts/docs/rule-examples.ts`, in an app whose '
    + 'construct is `Estate/Backups`.', '');
  const domains = [...new Set(inputs.rules.map((r) => r.domain))];
  let n = 0;
  for (const domain of domains) {
    const rules = inputs.rules.filter((r) => r.domain === domain);
    out.push(`### 1.${++n} ${domain} (${code(rules[0].file)})`, '');
    const limits = inputs.limits.filter((l) => l.domain === domain);
    if (limits.length > 0) {
      out.push('Limits the controls use:', '');
      out.push(...table(['limit', 'value', 'meaning'], limits.map((l) => [`${l.group}.${l.name}`, l.value, l.doc ?? ''])), '');
    }
    out.push(...table(['control', 'what it checks', 'example rejection'], rules.map((r) => [
      `${humanName(r.name)} (${code(r.name)})`,
      r.doc ?? (r.section ? `${r.section}.` : ''),
      r.exampleOk ? r.example : `⚠ ${r.example}`,
    ])), '');
  }
  out.push(`### 1.${++n} Controls inside the constructs`, '');
  out.push('Controls that a construct applies itself, where the input concerns how the constructs fit together. The message is '
    + '`<construct path>: <property> is <value>; <what is allowed>`; `…` stands for a value filled in at synth.', '');
  out.push(...table(['source', 'property', 'what is allowed'], inputs.constructRules.map((r) => [r.file, r.prop, r.allowed])), '');
  return out;
}

function acknowledgementsSection(acks: Acknowledgement[]): string[] {
  const out: string[] = [];
  out.push('## 2. Acknowledged findings', '');
  out.push('The example apps and the coverage app run the cdk-nag packs (AWS Solutions, HIPAA Security, NIST 800-53 rev 5, '
    + 'PCI DSS 3.2.1) and the AWS Control Tower proactive controls (cfn-guard) on everything the library creates. Where a '
    + 'finding does not apply, the library acknowledges it on the resource, with its reason; every acknowledgement the '
    + 'library makes in those apps is listed here (account ids and regions of the apps generalized). "Resources" are the '
    + 'construct ids of the acknowledged resources; "made in" is the library source that makes the acknowledgement.', '');
  const packs = [...new Set(acks.map((a) => a.pack))];
  for (const p of packs) {
    const of = acks.filter((a) => a.pack === p);
    out.push(`### ${p} (${of.reduce((n, a) => n + a.count, 0)} acknowledgements in ${of.length} rows)`, '');
    out.push(...table(['rule', 'resources', 'reason', 'made in'], of.map((a) => [
      code(a.rule),
      a.resources.slice(0, 4).join(', ') + (a.resources.length > 4 ? `, and ${a.resources.length - 4} more` : ''),
      a.reason,
      a.madeIn,
    ])), '');
  }
  return out;
}

function profilesSection(): string[] {
  const out: string[] = [];
  out.push('## 3. Compliance profiles', '');
  out.push('A profile is an opinionated bundle of minimums that a `CompliantBackupSystem` (or an organization backup policy) '
    + 'must meet at synth. Each minimum says whether its source states it (REGULATION) or whether it is the library\'s reading '
    + '(LIBRARY_OPINION). None is legal advice: `ComplianceProfile.custom()` takes your auditor\'s minimums.', '');
  for (const [call, make] of PROFILES) {
    const p = make();
    out.push(`### ${p.name} (${code(call)})`, '');
    out.push(...table(['setting', 'value'], [
      ['at least one tier keeps recovery points', p.minRetention ? `${p.minRetention.toDays()} days` : 'no minimum'],
      ['that tier backs up at least every', p.maxBackupInterval ? p.maxBackupInterval.toHumanString() : 'no minimum'],
      ['vault lock mode', p.lockMode === VaultLockMode.COMPLIANCE ? 'compliance (immutable once its grace time has passed)' : 'governance or stronger'],
      ['a tier copies to another region', p.requireCrossRegionCopy ? 'required' : 'not required'],
      ['customer-managed KMS key on the vault', p.requireCustomerManagedKey ? 'required' : 'not required'],
    ]), '');
    out.push(...table(['requirement', 'value', 'basis', 'source'], p.requirements.map((r) => [r.name, r.value, r.basis, r.source])), '');
  }
  return out;
}

export function renderCompliance(inputs: ComplianceInputs): string {
  const lines = [
    '# Compliance evidence: cdk-compliant-backup', '',
    `> ${GENERATED}`, '',
    'This document lists (1) every control the library enforces when an app is synthesized, with the message a user gets, '
    + '(2) every finding of the compliance rule packs that the library acknowledges, with its reason, and (3) what each '
    + 'compliance profile requires and where each minimum comes from. `docs/reliability.md` holds the test evidence: '
    + 'fuzzing, faults in the handlers, and least privilege.', '',
    ...rulesSection(inputs),
    ...acknowledgementsSection(inputs.acknowledgements),
    ...profilesSection(),
  ];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
