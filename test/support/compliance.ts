import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, AppProps, IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';

/** One unacknowledged finding from a validation plugin. */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/**
 * An App for tests that synthesize often: aws-cdk-lib's built-in CloudFormation
 * validation (~3 s per synth) is off unless asked for, and output goes to a temp dir.
 */
export function testApp(props: AppProps & { builtinValidation?: boolean } = {}): App {
  const { builtinValidation, ...appProps } = props;
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'ccb-test-')),
    builtinCloudFormationValidation: builtinValidation ?? false,
    ...appProps,
  });
}

/** cdk-nag's four packs and the AWS Control Tower proactive controls, as every example app adds them. */
export function compliancePlugins(app: App): IPolicyValidationPlugin[] {
  return [
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
    new CfnGuardValidator(),
  ];
}

/** Reads the findings of the validation report that `app.synth()` wrote. */
export function readFindings(outdir: string): Finding[] {
  const reportFile = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) return [];
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const findings: Finding[] = [];
  for (const plugin of report.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      findings.push({
        plugin: plugin.pluginName,
        rule: v.ruleName,
        severity: v.severity ?? 'error',
        paths: (v.violatingConstructs ?? v.violatingResources ?? []).map((c: any) => c.constructPath ?? c.resourceLogicalId),
      });
    }
  }
  return findings;
}

/** Adds the compliance plugins, synthesizes, and returns every unacknowledged finding. */
export function synthFindings(app: App, plugins: IPolicyValidationPlugin[] = compliancePlugins(app)): Finding[] {
  Validations.of(app).addPlugins(...plugins);
  try {
    app.synth();
  } catch (e) {
    if ((e as Error).name !== 'ValidationFailed' && !/Validation failed/.test(String((e as Error).message))) throw e;
  }
  return readFindings(app.outdir);
}

/** Findings as one line each, so a failing assertion shows what to fix. */
export function describeFindings(findings: Finding[]): string[] {
  return findings.map((f) => `${f.plugin} ${f.severity} ${f.rule} @ ${f.paths.join(', ')}`);
}
