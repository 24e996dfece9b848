import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { REMOVAL_POLICY_METADATA } from './removal-intent';
import { AuditedVault, CompliantBackupSystem, CrossRegionDr } from '../../src';
import { testApp } from '../support/compliance';

/*
 * The removalPolicy a user passes is recorded by the construct itself, so the Retain check
 * (retain.test.ts) can tell a chosen DESTROY from a forgotten RETAIN without the app saying so.
 */

const ENV = { account: '123456789012', region: 'us-east-1' };

function recorded(scope: IConstruct): unknown[] {
  return scope.node.metadata.filter((m) => m.type === REMOVAL_POLICY_METADATA).map((m) => m.data);
}

test('a removalPolicy passed to AuditedVault and CompliantBackupSystem is recorded on the construct', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const vault = new AuditedVault(stack, 'Vault', { removalPolicy: RemovalPolicy.DESTROY });
  const system = new CompliantBackupSystem(stack, 'Backups', { removalPolicy: RemovalPolicy.SNAPSHOT as RemovalPolicy });
  expect(recorded(vault)).toEqual([RemovalPolicy.DESTROY]);
  expect(recorded(system)).toEqual([RemovalPolicy.SNAPSHOT]);
});

test('nothing is recorded when the prop is left to the RETAIN default', () => {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const vault = new AuditedVault(stack, 'Vault');
  expect(recorded(vault)).toEqual([]);
});

test('CrossRegionDr records it on itself and on the DR foundation and recovery stacks it creates', () => {
  const stack = new Stack(testApp(), 'Primary', { env: ENV });
  const dr = new CrossRegionDr(stack, 'Dr', { drRegion: 'eu-west-1', rpo: Duration.hours(1), rto: Duration.hours(4), removalPolicy: RemovalPolicy.DESTROY });
  expect([recorded(dr), recorded(dr.drStack), recorded(dr.recoveryStack)]).toEqual([
    [RemovalPolicy.DESTROY], [RemovalPolicy.DESTROY], [RemovalPolicy.DESTROY],
  ]);
});

test('the records reach the cloud assembly, where the Retain check reads them', () => {
  const app = testApp();
  const stack = new Stack(app, 'S', { env: ENV });
  new AuditedVault(stack, 'Vault', { removalPolicy: RemovalPolicy.DESTROY });
  const artifact = app.synth().getStackByName('S');
  const entries = artifact.findMetadataByType(REMOVAL_POLICY_METADATA).map((e) => [e.path, e.data]);
  expect(entries).toEqual([['/S/Vault', RemovalPolicy.DESTROY]]);
  Template.fromStack(stack).hasResource('AWS::Backup::BackupVault', { DeletionPolicy: 'Delete' });
});
