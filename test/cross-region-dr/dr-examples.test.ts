import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { HealthcarePrimaryStack } from '../../examples/dr-healthcare/stack';
import { SoxDrPrimaryStack } from '../../examples/dr-sox-estate/stack';
import { WebAppPrimaryStack } from '../../examples/dr-web-app/stack';
import { RECOMMENDED_CONTEXT } from '../../examples/shared/compliance-checks';
import { parseReadinessConfig } from '../../lambda-src/readiness/config';
import { CrossRegionDr } from '../../src';
import { Finding, describeFindings, synthFindings, testApp } from '../support/compliance';

const ACCOUNT = '123456789012';

/** Does the finding point at a construct of the library (the DR construct, its two stacks, the backup system)? */
function isLibraryPath(primary: string, path: string): boolean {
  return [`${primary}/Dr/`, `${primary}-DrFoundation/`, `${primary}-DrRecovery/`, `${primary}/Backups/`].some((p) => path.startsWith(p));
}

/** Findings with a path under the library's constructs, or with no path at all (not attributable: counted against the library). */
function libraryFindings(primary: string, findings: Finding[]): Finding[] {
  return findings.filter((f) => f.paths.length === 0 || f.paths.some((p) => isLibraryPath(primary, p)));
}

interface Example {
  readonly app: App;
  readonly primary: Stack & { readonly dr: CrossRegionDr };
  readonly findings: Finding[];
  readonly templates: { primary: Template; drFoundation: Template; recovery: Template };
}

/**
 * Builds the example as its app.ts does (RECOMMENDED_CONTEXT, the four cdk-nag packs and
 * cfn-guard), synthesizes it once and keeps the findings and the three templates.
 */
function synthExample(build: (app: App) => Stack & { readonly dr: CrossRegionDr }): Example {
  const app = testApp({ context: RECOMMENDED_CONTEXT });
  const primary = build(app);
  const findings = synthFindings(app);
  return {
    app,
    primary,
    findings,
    templates: {
      primary: Template.fromStack(primary),
      drFoundation: Template.fromStack(primary.dr.drStack),
      recovery: Template.fromStack(primary.dr.recoveryStack),
    },
  };
}

/** The three stacks: names, environments, deploy order, no cross-stack references. */
function expectThreeStacks(e: Example, name: string, primaryRegion: string, drRegion: string): void {
  const { drStack, recoveryStack } = e.primary.dr;
  expect([e.primary.stackName, drStack.stackName, recoveryStack.stackName]).toEqual([name, `${name}-DrFoundation`, `${name}-DrRecovery`]);
  expect([e.primary.region, drStack.region, recoveryStack.region]).toEqual([primaryRegion, drRegion, drRegion]);
  expect([e.primary.account, drStack.account, recoveryStack.account]).toEqual([ACCOUNT, ACCOUNT, ACCOUNT]);
  expect(e.primary.dependencies).toEqual([drStack]);
  expect(recoveryStack.dependencies).toEqual([e.primary]);
  for (const t of Object.values(e.templates)) {
    const json = JSON.stringify(t.toJSON());
    expect(json).not.toContain('Fn::ImportValue');
    expect(json).not.toContain('"Export"');
    expect(json).not.toMatch(/Custom::CrossRegionExport(Reader|Writer)/);
  }
}

/** The readiness function's environment, parsed by the handler's own parser. */
function readinessConfig(e: Example) {
  const fns = Object.entries(e.templates.recovery.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('Readiness'));
  expect(fns).toHaveLength(1);
  const env = { ...(fns[0][1] as any).Properties.Environment.Variables };
  // The health check id is a reference resolved at deploy: stand in a real-looking one.
  if (env.HEALTH_CHECK_ID !== undefined) env.HEALTH_CHECK_ID = 'a1b2c3d4-0000-4000-8000-123456789abc';
  return parseReadinessConfig(env);
}

describe('example: dr-healthcare (ap-southeast-1 -> ap-southeast-2)', () => {
  let e: Example;
  beforeAll(() => {
    e = synthExample((app) => new HealthcarePrimaryStack(app, 'HealthcarePrimary', { env: { account: ACCOUNT, region: 'ap-southeast-1' } }));
  });

  test('zero findings on the library\'s constructs', () => {
    expect(describeFindings(libraryFindings('HealthcarePrimary', e.findings))).toEqual([]);
  });

  test('zero findings on all three stacks', () => {
    expect(describeFindings(e.findings)).toEqual([]);
  });

  test('three stacks in deploy order, self-contained', () => {
    expectThreeStacks(e, 'HealthcarePrimary', 'ap-southeast-1', 'ap-southeast-2');
  });

  test('documents replicated with RTC, Aurora global secondary, health check on /health, both failed over by the plan', () => {
    const config = readinessConfig(e);
    expect(config).toMatchObject({ drRegion: 'ap-southeast-2', primaryRegion: 'ap-southeast-1', rpoSeconds: 900 });
    expect(config.replication.map((r) => r.sourceBucket)).toEqual([`patient-documents-${ACCOUNT}-ap-southeast-1`]);
    expect(config.databases).toEqual([{ kind: 'aurora-global', identifier: 'patient-records-dr', region: 'ap-southeast-2' }]);
    e.templates.primary.resourceCountIs('AWS::RDS::GlobalCluster', 1);
    e.templates.recovery.hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: 'patient-records-dr' });
    e.templates.recovery.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'portal.example-health.com', ResourcePath: '/health', Port: 443, RequestInterval: 30, FailureThreshold: 3 },
    });
    const [plan] = Object.values(e.templates.recovery.findResources('AWS::ARCRegionSwitch::Plan')) as any[];
    expect(plan.Properties.RecoveryTimeObjectiveMinutes).toBe(60);
    expect(plan.Properties.Workflows[0].Steps.map((s: any) => s.ExecutionBlockType)).toEqual(['AuroraGlobalDatabase', 'CustomActionLambda']);
    e.templates.drFoundation.resourceCountIs('AWS::Backup::BackupVault', 1);
  });
});

describe('example: dr-web-app (us-east-1 -> eu-west-1)', () => {
  let e: Example;
  beforeAll(() => {
    e = synthExample((app) => new WebAppPrimaryStack(app, 'WebAppPrimary', { env: { account: ACCOUNT, region: 'us-east-1' } }));
  });

  test('zero findings on the library\'s constructs', () => {
    expect(describeFindings(libraryFindings('WebAppPrimary', e.findings))).toEqual([]);
  });

  test('zero findings on all three stacks', () => {
    expect(describeFindings(e.findings)).toEqual([]);
  });

  test('three stacks in deploy order, self-contained', () => {
    expectThreeStacks(e, 'WebAppPrimary', 'us-east-1', 'eu-west-1');
  });

  test('assets replicated, an RDS read replica promoted on failover to eu-west-1 only', () => {
    const config = readinessConfig(e);
    expect(config).toMatchObject({ drRegion: 'eu-west-1', primaryRegion: 'us-east-1', rpoSeconds: 900 });
    expect(config.drVaultName).toBeUndefined();
    expect(config.replication.map((r) => r.sourceBucket)).toEqual([`webapp-assets-${ACCOUNT}-us-east-1`]);
    expect(config.databases).toEqual([{ kind: 'rds-replica', identifier: 'webapp-db-dr', region: 'eu-west-1' }]);
    e.templates.recovery.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceIdentifier: 'webapp-db-dr', SourceRegion: 'us-east-1' });
    const [plan] = Object.values(e.templates.recovery.findResources('AWS::ARCRegionSwitch::Plan')) as any[];
    expect(plan.Properties.RecoveryTimeObjectiveMinutes).toBe(120);
    expect(plan.Properties.Workflows.map((w: any) => [w.WorkflowTargetRegion, w.Steps.map((s: any) => s.ExecutionBlockType)])).toEqual([
      ['eu-west-1', ['RdsPromoteReadReplica', 'CustomActionLambda']],
      ['us-east-1', ['CustomActionLambda']],
    ]);
  });
});

describe('example: dr-sox-estate (us-east-1 -> us-west-2)', () => {
  let e: Example;
  beforeAll(() => {
    e = synthExample((app) => new SoxDrPrimaryStack(app, 'SoxDrPrimary', { env: { account: ACCOUNT, region: 'us-east-1' } }));
  });

  test('zero findings on the library\'s constructs', () => {
    expect(describeFindings(libraryFindings('SoxDrPrimary', e.findings))).toEqual([]);
  });

  test('zero findings on all three stacks', () => {
    expect(describeFindings(e.findings)).toEqual([]);
  });

  test('three stacks in deploy order, self-contained', () => {
    expectThreeStacks(e, 'SoxDrPrimary', 'us-east-1', 'us-west-2');
  });

  test('both tiers copy to the DR vault; readiness measures it against 24 hours', () => {
    const config = readinessConfig(e);
    expect(config).toMatchObject({ drRegion: 'us-west-2', primaryRegion: 'us-east-1', rpoSeconds: 86400 });
    const [vault] = Object.values(e.templates.drFoundation.findResources('AWS::Backup::BackupVault')) as any[];
    expect(config.drVaultName).toBe(vault.Properties.BackupVaultName);
    const [plan] = Object.values(e.templates.primary.findResources('AWS::Backup::BackupPlan')) as any[];
    const rules = plan.Properties.BackupPlan.BackupPlanRule;
    expect(rules.map((r: any) => r.RuleName)).toEqual(['daily', 'critical']);
    for (const rule of rules) {
      expect(JSON.stringify(rule.CopyActions)).toContain(`:backup:us-west-2:${ACCOUNT}:backup-vault:${vault.Properties.BackupVaultName}`);
    }
  });
});

// Zero findings means something only if the checks run and the library filter keeps what it should.
describe('control: the checks run on DR apps, and the library filter keeps only library paths', () => {
  test('a non-compliant user bucket next to a CrossRegionDr is reported, and only that bucket', () => {
    const app = testApp({ context: RECOMMENDED_CONTEXT });
    const primary = new Stack(app, 'Primary', { env: { account: ACCOUNT, region: 'us-east-1' } });
    new CrossRegionDr(primary, 'Dr', { drRegion: 'us-west-2', rpo: Duration.hours(1), rto: Duration.hours(1) });
    new s3.Bucket(primary, 'Loose');
    const findings = synthFindings(app);
    expect(new Set(findings.map((f) => f.plugin))).toEqual(new Set(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'cdk-validator-cfnguard']));
    expect(findings.flatMap((f) => f.paths).filter((p) => !p.startsWith('Primary/Loose/'))).toEqual([]);
    expect(libraryFindings('Primary', findings)).toEqual([]);
    expect(isLibraryPath('Primary', 'Primary-DrRecovery/Readiness/Resource')).toBe(true);
    expect(isLibraryPath('Primary', 'Primary/Loose/Resource')).toBe(false);
  });
});
