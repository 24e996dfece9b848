import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { AllowedRule, LintMatch, cfnLintVersion, describeMatch, isAllowed, runCfnLint } from './cfn-lint';
import { AuditedVault, BackupTier, CompliantBackupSystem, VaultEvent } from '../../src';
import { Finding, describeFindings, synthFindings, testApp } from '../support/compliance';

/**
 * Vault notification events under the judges: a vault subscribed to every VaultEvent
 * member (a standard and an air-gapped one) and a system with continuous tiers, one
 * air-gapped and one added later, synthesized once with cdk-nag's four packs and the
 * Control Tower rules, then linted by cfn-lint in the stacks' region.
 * cfn-lint takes 10-60 s per region here, hence the long timeout.
 */
jest.setTimeout(10 * 60_000);

const REGION = 'eu-west-1';
const ENV = { account: '111111111111', region: REGION };
const allowlist: Record<string, AllowedRule> = JSON.parse(fs.readFileSync(path.join(__dirname, 'cfn-lint-allowlist.json'), 'utf8'));
const EVERY_EVENT = Object.values(VaultEvent).filter((v): v is VaultEvent => v instanceof VaultEvent);

let app: App;
let findings: Finding[] = [];

beforeAll(() => {
  app = testApp();
  const vaults = new Stack(app, 'EveryEvent', { env: ENV });
  new AuditedVault(vaults, 'Vault', { events: EVERY_EVENT });
  const airGapped = new AuditedVault(vaults, 'AirGapped', {
    airGapped: true,
    vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(35) },
  });
  airGapped.addNotificationEvents(...EVERY_EVENT);

  const continuous = new Stack(app, 'ContinuousTiers', { env: ENV });
  const system = new CompliantBackupSystem(continuous, 'Backups', {
    tiers: [BackupTier.daily(), BackupTier.continuous({ name: 'pitr-isolated', airGapped: true })],
  });
  system.addTier(BackupTier.continuous());
  findings = synthFindings(app);
});

test('the vaults render every event and the continuous default (the subject of the judges below)', () => {
  const events = (stack: string, type: string) => Object.values(JSON.parse(fs.readFileSync(path.join(app.outdir, `${stack}.template.json`), 'utf8'))
    .Resources as Record<string, any>).filter((r) => r.Type === type).map((r) => r.Properties.Notifications.BackupVaultEvents);
  const names = EVERY_EVENT.map((e) => e.eventName);
  expect(events('EveryEvent', 'AWS::Backup::BackupVault')).toEqual([names]);
  expect(events('EveryEvent', 'AWS::Backup::LogicallyAirGappedBackupVault')[0]).toEqual(expect.arrayContaining(names));
  for (const type of ['AWS::Backup::BackupVault', 'AWS::Backup::LogicallyAirGappedBackupVault']) {
    expect(events('ContinuousTiers', type)).toEqual([expect.arrayContaining(['CONTINUOUS_BACKUP_INTERRUPTED'])]);
  }
});

test('cdk-nag (AwsSolutions, HIPAA Security, NIST 800-53 rev5, PCI DSS 3.2.1) and Control Tower: no finding', () => {
  expect(describeFindings(findings)).toEqual([]);
});

test(`cfn-lint in ${REGION}: no error, and no warning outside the allowlist`, () => {
  const { problem } = cfnLintVersion();
  if (problem) throw new Error(problem);
  const templates = ['EveryEvent', 'ContinuousTiers'].map((stackName) => ({
    app: 'vault-events', stackName, region: REGION, templateFile: path.join(app.outdir, `${stackName}.template.json`),
  }));
  const { matches, secondsByRegion } = runCfnLint(templates);
  console.log(`cfn-lint (${cfnLintVersion().version}) on ${templates.length} templates in ${REGION}: ${secondsByRegion[REGION].toFixed(1)} s, `
    + `${matches.length} matches (${[...new Set(matches.map((m) => m.rule))].sort().join(', ') || 'none'}), all checked against the allowlist`);
  expect(matches.filter((m: LintMatch) => !isAllowed(m, allowlist)).map(describeMatch)).toEqual([]);
});
