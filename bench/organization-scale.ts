/**
 * How an OrganizationBackupPolicy scales: synth time and template sizes for 1 to 1,000
 * member accounts and 1 to 17 regions. Standalone: prints a table and writes
 * bench/results-organization.json.
 *
 *   npx ts-node --transpile-only bench/organization-scale.ts
 *
 * The accounts are not an input of the construct (the policy and the StackSet name
 * OUs; AWS fans out to the accounts), so they enter only through
 * `expectedMemberAccounts`, which checks the StackSet quotas at synth.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Duration, Stack } from 'aws-cdk-lib';
import { AuditedVault, BackupTier, ComplianceProfile, OrganizationBackupPolicy, OrganizationTarget } from '../src';

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
  'eu-north-1', 'eu-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-south-1', 'sa-east-1'];
const ACCOUNTS = [1, 10, 100, 1000];
const REGION_COUNTS = [1, 2, 4, 8, 17];

interface Row {
  readonly accounts: number;
  readonly regions: number;
  readonly stackInstances: number;
  readonly synthMs: number;
  readonly managementTemplateBytes: number;
  readonly policyCharacters: number;
  readonly memberTemplateBytes: number;
}

function measure(accounts: number, regionCount: number): Row {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'org-bench-'));
  const started = process.hrtime.bigint();
  const app = new App({ outdir, ...{ builtinCloudFormationValidation: false } as AppProps });
  const stack = new Stack(app, 'Management', { env: { account: '111111111111', region: 'us-east-1' } });
  const central = AuditedVault.fromVaultArn(stack, 'Central', 'arn:aws:backup:eu-west-1:222222222222:backup-vault:central');
  const policy = new OrganizationBackupPolicy(stack, 'Policy', {
    profile: ComplianceProfile.pciDss(),
    targets: [OrganizationTarget.organizationalUnit('ou-ab12-11111111'), OrganizationTarget.organizationalUnit('ou-ab12-22222222')],
    regions: REGIONS.slice(0, regionCount),
    tiers: [
      BackupTier.daily({ retention: Duration.days(400), copyTo: [central], copyRetention: Duration.days(35) }),
      BackupTier.hourly({ retention: Duration.days(7) }),
    ],
    expectedMemberAccounts: accounts,
  });
  const assembly = app.synth();
  const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
  const template = assembly.getStackArtifact(stack.artifactId).template;
  fs.rmSync(outdir, { recursive: true, force: true });
  return {
    accounts,
    regions: regionCount,
    stackInstances: accounts * regionCount,
    synthMs: Math.round(synthMs),
    managementTemplateBytes: JSON.stringify(template).length,
    policyCharacters: JSON.stringify(policy.policyDocument).length,
    memberTemplateBytes: JSON.stringify(policy.renderMemberTemplate()).length,
  };
}

function main(): void {
  measure(1, 1); // warm-up: module loading and JIT are not the construct's cost
  const rows: Row[] = [
    ...ACCOUNTS.map((a) => measure(a, 2)),
    ...REGION_COUNTS.map((r) => measure(1000, r)),
  ];
  const header = ['accounts', 'regions', 'stack instances', 'synth ms', 'management template B', 'policy chars (max 10000)', 'member template B (max 51200)'];
  const cells = rows.map((r) => [
    r.accounts, r.regions, r.stackInstances, r.synthMs, r.managementTemplateBytes, r.policyCharacters, r.memberTemplateBytes,
  ].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => v.padStart(widths[i])).join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
  const out = path.join(__dirname, 'results-organization.json');
  fs.writeFileSync(out, JSON.stringify({
    description: 'OrganizationBackupPolicy: synth time and sizes by member accounts (policy and StackSet on 2 OUs) and regions; '
      + 'built-in CloudFormation validation off; 2 tiers, one copy into a central vault',
    machine: { cpus: os.cpus().length, node: process.version },
    rows,
  }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main();
