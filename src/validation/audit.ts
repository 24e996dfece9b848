import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeDuration, fail } from './errors';
import { checkObjectLockRetention } from './landing';
import { ReportTemplate } from '../backup-system/audit-options';

// --- Audit names ---------------------------------------------------------------

export function checkAuditName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!/^[a-zA-Z][_a-zA-Z0-9]{0,255}$/.test(name)) {
    fail(scope, prop, `'${name}'`, 'a framework or report plan name starts with a letter and has up to 256 letters, digits and underscores');
  }
}

/**
 * The report templates delivered when `audit.reportTemplates` is unset; the scan job report
 * joins them while a tier scans for malware (the system adds it then).
 */
export const DEFAULT_REPORT_TEMPLATES: readonly ReportTemplate[] = Object.values(ReportTemplate)
  .filter((t) => t !== ReportTemplate.SCAN_JOB_REPORT);

/** The report templates to deliver, checked: compliance reports need the framework, a profile needs both. */
export function checkAuditOptions(
  scope: IConstruct,
  options: { framework?: boolean; reportTemplates?: string[]; reportObjectLockRetention?: Duration; maxRestoreTime?: Duration },
  profile: { name: string } | undefined,
): ReportTemplate[] {
  const framework = options.framework ?? true;
  if (options.reportObjectLockRetention !== undefined && !Token.isUnresolved(options.reportObjectLockRetention)) {
    checkObjectLockRetention(scope, 'audit.reportObjectLockRetention', options.reportObjectLockRetention);
  }
  const restore = options.maxRestoreTime;
  if (restore !== undefined && !Token.isUnresolved(restore)
    && (restore.toMilliseconds() < 60_000 || restore.toMilliseconds() % 60_000 !== 0)) {
    // The control's maxRestoreTime parameter is a whole number of minutes, at least one.
    fail(scope, 'audit.maxRestoreTime', describeDuration(restore), 'the restore-time target is a whole number of minutes, at least 1');
  }
  const templates = (options.reportTemplates ?? [...DEFAULT_REPORT_TEMPLATES]) as ReportTemplate[];
  templates.forEach((t, i) => {
    if (!(Object.values(ReportTemplate) as string[]).includes(t)) {
      fail(scope, `audit.reportTemplates[${i}]`, `'${t}'`, `expected one of ${Object.values(ReportTemplate).join(', ')}`);
    }
  });
  if (new Set(templates).size !== templates.length) {
    fail(scope, 'audit.reportTemplates', `[${templates.join(', ')}]`, 'each report template once');
  }
  if (profile && !framework) {
    fail(scope, 'audit.framework', 'false', `the ${profile.name} profile needs the audit framework: its controls are the profile's evidence`);
  }
  const compliance = templates.filter((t) => t === ReportTemplate.CONTROL_COMPLIANCE_REPORT || t === ReportTemplate.RESOURCE_COMPLIANCE_REPORT);
  if (!framework && compliance.length > 0) {
    fail(scope, 'audit.reportTemplates', `[${compliance.join(', ')}]`, 'compliance reports report on the framework: leave audit.framework on, or drop them');
  }
  return templates;
}

/** AWS Backup Audit Manager quotas per account and region. */
export const AUDIT_QUOTAS = { frameworks: 15, controls: 50 } as const;

/**
 * Frameworks in one account and region of this app, with their control counts, against the
 * quotas: a deployment past them fails on the framework that crosses.
 */
export function checkAuditQuotas(scope: IConstruct, where: string, frameworks: ReadonlyArray<{ path: string; controls: number }>): void {
  if (frameworks.length > AUDIT_QUOTAS.frameworks) {
    fail(scope, 'audit frameworks', `${frameworks.length} in ${where}`,
      `AWS Backup Audit Manager allows ${AUDIT_QUOTAS.frameworks} frameworks per account and region: set audit.framework to false on some systems`);
  }
  const controls = frameworks.reduce((n, f) => n + f.controls, 0);
  if (controls > AUDIT_QUOTAS.controls) {
    fail(scope, 'audit controls', `${controls} in ${where} (${frameworks.map((f) => `${f.path}: ${f.controls}`).join(', ')})`,
      `AWS Backup Audit Manager allows ${AUDIT_QUOTAS.controls} controls per account and region: set audit.framework to false on some systems`);
  }
}
