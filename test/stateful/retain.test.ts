import { RemovalPolicy } from 'aws-cdk-lib';
import { AssemblyApp, AssemblyStack, judgedApps, resourcesOf } from './assembly';
import { REMOVAL_POLICY_METADATA, RemovalIntent, removalIntents } from './removal-intent';
import { expectationFor, retainFindings } from './retain';
import { isStateful } from './stateful-types';

/*
 * Retain by default, everywhere: over every template of every example and of the
 * coverage app, every stateful resource (stateful-types.ts) has DeletionPolicy and
 * UpdateReplacePolicy Retain, unless the app gave a construct above it another removal
 * policy and said so in its metadata (removal-intent.ts): then that policy. The log
 * groups of the Lambda handlers are retained always, DESTROY or not.
 *
 * The apps are read from the judges' synthesis cache (cdk.out/judges/), loaded here when
 * the file is collected so that each test's name can state the constructs it exempts.
 */

const apps: AssemblyApp[] = judgedApps();

function describeIntents(intents: RemovalIntent[]): string {
  if (intents.length === 0) return 'no construct was given another removal policy';
  return intents.map((i) => {
    const expected = expectationFor(`${i.scope}/Resource`, false, intents).policies;
    return `${i.scope} was given RemovalPolicy.${i.policy.toUpperCase()}, so ${expected.deletion}/${expected.updateReplace} under it`;
  }).join('; ');
}

test('every example and the coverage app synthesize', () => {
  expect(apps.filter((a) => a.error).map((a) => `${a.name}: ${a.error}`)).toEqual([]);
});

describe.each(apps.filter((a) => !a.error).map((a) => [a.name, a, removalIntents(a.stacks)] as const))('%s', (_name, app, intents) => {
  test(`stateful resources are Retain, handler log groups always; ${describeIntents(intents)}`, () => {
    expect(retainFindings(app.stacks, intents).map((f) => f.message)).toEqual([]);
  });

  if (intents.length > 0) {
    test('each construct given another removal policy holds stateful resources that follow it', () => {
      const covered = intents.filter((i) => resourcesOf(app.stacks).some((r) => isStateful(r.type) && r.path.startsWith(`${i.scope}/`)));
      expect(covered).toEqual(intents);
    });
  }
});

test('the coverage app declares the DESTROY it gives AllOptionsBringYourOwn\'s backup system', () => {
  const coverage = apps.find((a) => a.name === 'all-options')!;
  expect(removalIntents(coverage.stacks)).toContainEqual({ scope: 'AllOptionsBringYourOwn/Backups', policy: RemovalPolicy.DESTROY });
});

describe('the check itself, on a seeded stack', () => {
  /** A stack with a vault, its key, a handler and its log group under `Estate/Backups`, and an application bucket beside it. */
  function seeded(edit: (resources: any) => void = () => undefined, metadata: AssemblyStack['metadata'] = {}): AssemblyStack {
    const resources: any = {
      Vault: { Type: 'AWS::Backup::BackupVault', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      VaultKey: { Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      Handler: { Type: 'AWS::Lambda::Function', Properties: { LoggingConfig: { LogGroup: { Ref: 'HandlerLogs' } } } },
      HandlerLogs: { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      Queue: { Type: 'AWS::SQS::Queue', DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' },
      AppBucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
    };
    edit(resources);
    return {
      app: 'seeded',
      id: 'Estate',
      stackName: 'Estate',
      account: '123456789012',
      region: 'eu-west-1',
      template: { Resources: resources },
      paths: {
        Vault: 'Estate/Backups/Vault/Resource',
        VaultKey: 'Estate/Backups/Vault/Key/Resource',
        Handler: 'Estate/Backups/Handler/Resource',
        HandlerLogs: 'Estate/Backups/HandlerLogs/Resource',
        Queue: 'Estate/Backups/Queue/Resource',
        AppBucket: 'Estate/AppBucket/Resource',
      },
      metadata,
    };
  }
  const destroyBackups = { 'Estate/Backups': [{ type: REMOVAL_POLICY_METADATA, data: RemovalPolicy.DESTROY }] };
  const ids = (stack: AssemblyStack) => retainFindings([stack], removalIntents([stack])).map((f) => f.logicalId);

  test('all Retain passes; a non-stateful queue is not judged', () => {
    expect(ids(seeded())).toEqual([]);
  });

  test('a real template with Retain stripped from one vault fails on that vault only', () => {
    const real = apps.find((a) => a.name === 'audited-vault')!.stacks;
    const before = retainFindings(real, removalIntents(real)).map((f) => f.logicalId);
    const stripped = real.map((st) => JSON.parse(JSON.stringify(st)) as AssemblyStack);
    const [vaultId, vault] = stripped.flatMap((st) => Object.entries<any>(st.template.Resources))
      .find(([, r]) => r.Type === 'AWS::Backup::BackupVault')!;
    delete vault.DeletionPolicy;
    delete vault.UpdateReplacePolicy;
    const after = retainFindings(stripped, removalIntents(stripped));
    expect(before).not.toContain(vaultId);
    expect(after.map((f) => f.logicalId).sort()).toEqual([...before, vaultId].sort());
    expect(after.find((f) => f.logicalId === vaultId)!.message).toMatch(
      /has DeletionPolicy not set .* expected Retain and Retain .* loses: all recovery points in the vault/);
  });

  test('a stateful resource without Retain fails, naming it and what it would lose', () => {
    const stack = seeded((r) => {
      delete r.Vault.DeletionPolicy;
      r.AppBucket.UpdateReplacePolicy = 'Delete';
    });
    const findings = retainFindings([stack], []);
    expect(findings.map((f) => f.logicalId)).toEqual(['Vault', 'AppBucket']);
    expect(findings[0].message).toBe('seeded/Estate (eu-west-1): Vault (AWS::Backup::BackupVault) at Estate/Backups/Vault/Resource has '
      + 'DeletionPolicy not set (CloudFormation\'s default applies) and UpdateReplacePolicy Retain; expected Retain and Retain (the default: '
      + 'nothing above it was given another removal policy): otherwise deleting it from the stack, or a replacement, loses: all recovery '
      + 'points in the vault become unreachable from the stack (the new vault starts empty; the old one, still locked, is deleted only '
      + 'once empty, and its name blocks a new vault of the same name).');
    expect(findings[1].message).toMatch(/AppBucket \(AWS::S3::Bucket\).*UpdateReplacePolicy Delete; expected Retain and Retain/);
  });

  test('under a construct declared DESTROY, Delete is expected, except for the handler\'s log group; outside it, Retain still', () => {
    expect(ids(seeded(() => undefined, destroyBackups))).toEqual(['Vault', 'VaultKey']);
    const destroyed = seeded((r) => {
      for (const id of ['Vault', 'VaultKey']) Object.assign(r[id], { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }, destroyBackups);
    expect(ids(destroyed)).toEqual([]);
    // No policy at all is CloudFormation's Delete, except for RDS clusters (a snapshot).
    const unset = seeded((r) => {
      for (const id of ['Vault', 'VaultKey']) Object.assign(r[id], { DeletionPolicy: undefined, UpdateReplacePolicy: undefined });
      r.Database = { Type: 'AWS::RDS::DBCluster' };
    }, destroyBackups);
    expect(retainFindings([{ ...unset, paths: { ...unset.paths, Database: 'Estate/Backups/Database/Resource' } }], removalIntents([unset]))
      .map((f) => f.logicalId)).toEqual(['Database']);
    const logsDeleted = seeded((r) => {
      for (const id of ['Vault', 'VaultKey', 'HandlerLogs']) Object.assign(r[id], { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    }, destroyBackups);
    const [finding] = retainFindings([logsDeleted], removalIntents([logsDeleted]));
    expect(finding.logicalId).toBe('HandlerLogs');
    expect(finding.message).toMatch(/expected Retain and Retain \(a Lambda handler's log group is retained always\)/);
  });

  test('the innermost declared policy wins', () => {
    const retainedVault = { ...destroyBackups, 'Estate/Backups/Vault': [{ type: REMOVAL_POLICY_METADATA, data: RemovalPolicy.RETAIN }] };
    expect(ids(seeded(undefined, retainedVault))).toEqual([]);
    const stack = seeded((r) => Object.assign(r.VaultKey, { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' }), retainedVault);
    const [finding] = retainFindings([stack], removalIntents([stack]));
    expect(finding.message).toMatch(/VaultKey .*expected Retain and Retain \(Estate\/Backups\/Vault was given RemovalPolicy.RETAIN\)/);
  });
});
