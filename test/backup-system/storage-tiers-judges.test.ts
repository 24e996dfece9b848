import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { AuditedVault, BackupTier, CompliantBackupSystem } from '../../src';
import { AppModel } from '../judges/cfn/app-model';
import { AllowedRule, cfnLintVersion, describeMatch, isAllowed, runCfnLint } from '../judges/cfn-lint';
import { judgeDeliveryPaths } from '../judges/delivery-paths';
import { describeFindings, synthFindings, testApp } from '../support/compliance';

/*
 * Storage tiers and advanced backup settings, all on, judged like an example app: the four
 * cdk-nag packs and the Control Tower rules, cfn-lint 1.51 in the stack's region, and the
 * delivery-path checker. cfn-lint takes 10-60 s per template here.
 */
jest.setTimeout(10 * 60_000);

const ENV = { account: '111111111111', region: 'eu-west-1' };
const OFFSITE_ARN = 'arn:aws:backup:eu-central-1:111111111111:backup-vault:offsite';
const allowlist: Record<string, AllowedRule> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'judges', 'cfn-lint-allowlist.json'), 'utf8'));

/**
 * Every storage option of this slice on, in one system, copying into a vault of the same app in
 * another region (imported by its literal ARN, as a cross-region destination must be).
 */
function storageStack(app: App): Stack {
  const offsiteStack = new Stack(app, 'Offsite', { env: { ...ENV, region: 'eu-central-1' } });
  new AuditedVault(offsiteStack, 'Vault', {
    vaultName: 'offsite', vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(3650) },
  });
  const stack = new Stack(app, 'Storage', { env: ENV });
  const offsite = AuditedVault.fromVaultAttributes(stack, 'Offsite', {
    backupVaultArn: OFFSITE_ARN, vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(3650) },
  });
  new CompliantBackupSystem(stack, 'Backups', {
    tiers: [
      BackupTier.daily(),
      BackupTier.monthly({
        retention: Duration.days(2555),
        moveToColdStorageAfter: Duration.days(90),
        archiveEbsSnapshots: true,
        copyTo: [offsite],
        copyRetention: Duration.days(1095),
        copyMoveToColdStorageAfter: Duration.days(180),
      }),
    ],
    s3LowCostTier: { tierDownAfter: Duration.days(120) },
    advancedBackupSettings: { windowsVss: true, s3BackupAcls: true, s3BackupObjectTags: false },
  });
  return stack;
}

test('the four cdk-nag packs and the Control Tower rules find nothing', () => {
  const app = testApp();
  storageStack(app);
  expect(describeFindings(synthFindings(app))).toEqual([]);
});

describe('synthesized once for cfn-lint and the delivery checker', () => {
  const app = testApp();
  const stack = storageStack(app);
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const stacks = assembly.stacks.map((a) => ({ artifact: a, region: a.environment.region }));

  test('cfn-lint 1.51 reports nothing outside the allowlist', () => {
    expect(cfnLintVersion().problem).toBeUndefined();
    const run = runCfnLint(stacks.map(({ artifact: a, region }) => ({ app: 'storage', stackName: a.stackName, region, templateFile: a.templateFullPath })));
    console.log(`cfn-lint ${cfnLintVersion().version} on ${stacks.length} templates: ${JSON.stringify(run.secondsByRegion)} s; `
      + `${run.matches.length} matches, all of them: ${run.matches.map((m) => `${m.rule}@${m.path}`).join('; ')}`);
    // The template carries what the lint is asked to judge.
    const types = Object.values<any>(artifact.template.Resources).map((r) => r.Type);
    expect(types).toContain('AWS::Backup::TieringConfiguration');
    expect(run.matches.filter((m) => !isAllowed(m, allowlist)).map(describeMatch)).toEqual([]);
  });

  test('the delivery-path checker finds no failing edge and judges every resource type', async () => {
    const model = new AppModel('storage', stacks.map(({ artifact: a, region }) => ({
      id: a.id, stackName: a.stackName, account: ENV.account, region, template: a.template,
    })));
    const judgement = await judgeDeliveryPaths(model);
    expect(judgement.edges).toBeGreaterThan(0);
    expect(judgement.findings).toEqual([]);
  });
});
