import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CompliantBackupSystem, CompliantBackupSystemProps } from '../../src';
import { CONTROL } from '../../src/backup-system/audit-controls';
import { auditScopeOfSelection } from '../../src/backup-system/tag-selection';
import { testApp } from '../support/compliance';

const ENV = { account: '111111111111', region: 'us-east-1' };
const EXCLUDED = 'arn:aws:ec2:us-east-1:111111111111:volume/vol-0123456789abcdef0';

function build(props: CompliantBackupSystemProps = {}) {
  const stack = new Stack(testApp(), 'Sys', { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', props);
  return { stack, system, template: Template.fromStack(stack) };
}

function tagSelection(template: Template): [string, any] {
  const entries = Object.entries(template.findResources('AWS::Backup::BackupSelection'))
    .filter(([, r]) => r.Properties.BackupSelection.SelectionName === 'tagged');
  expect(entries).toHaveLength(1);
  return entries[0];
}

/** The controls whose scope follows the selection (their scope is what the tests look at). */
function resourceControls(template: Template): any[] {
  const framework = Object.values(template.findResources('AWS::Backup::Framework'))[0];
  return framework.Properties.FrameworkControls.filter((c: any) =>
    [CONTROL.protectedByPlan, CONTROL.protectedByVaultLock, CONTROL.lastRecoveryPointCreated].includes(c.ControlName));
}

const warnings = (stack: Stack, id: string) =>
  Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map((w) => String(w.entry.data));

describe('tag selection with conditions', () => {
  test('without the new props the selection is what it was: logical ID, StringEquals only, no NotResources', () => {
    const { template } = build();
    const [id, selection] = tagSelection(template);
    expect(id).toMatch(/^BackupsTagSelection[0-9A-F]{8}$/);
    expect(selection.Properties.BackupSelection.Conditions).toEqual({
      StringEquals: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'true' }],
    });
    expect(selection.Properties.BackupSelection).not.toHaveProperty('NotResources');
  });

  test('"tagged Backup=true except Env=scratch" is one prop: StringEquals AND StringNotEquals; the logical ID does not change', () => {
    const before = tagSelection(build().template)[0];
    const { template } = build({
      selectionConditions: { stringNotEquals: { Env: 'scratch' }, stringLike: { Team: 'pay*' }, stringNotLike: { Name: '*-tmp' } },
      excludeResources: [EXCLUDED],
    });
    const [id, selection] = tagSelection(template);
    expect(id).toBe(before);
    expect(selection.Properties.BackupSelection.Conditions).toEqual({
      StringEquals: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'true' }],
      StringLike: [{ ConditionKey: 'aws:ResourceTag/Team', ConditionValue: 'pay*' }],
      StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/Env', ConditionValue: 'scratch' }],
      StringNotLike: [{ ConditionKey: 'aws:ResourceTag/Name', ConditionValue: '*-tmp' }],
    });
    expect(selection.Properties.BackupSelection.NotResources).toEqual([EXCLUDED]);
    // Still only the types the role can back up, never '*'.
    expect(selection.Properties.BackupSelection.Resources).toHaveLength(7);
    expect(selection.Properties.BackupSelection.Resources).not.toContain('*');
  });

  test('selectionTags: {} with a pattern condition still selects, without a StringEquals operator', () => {
    const { stack, template } = build({ selectionTags: {}, selectionConditions: { stringLike: { Backup: 'daily*' } } });
    expect(tagSelection(template)[1].Properties.BackupSelection.Conditions).toEqual({
      StringLike: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'daily*' }],
    });
    expect(warnings(stack, 'nothing-selected')).toEqual([]);
    expect(warnings(stack, 'selection-opt-out-only')).toEqual([]);
  });

  test('only opt-out conditions select every resource that does not opt out: a warning says so', () => {
    const { stack, template } = build({ selectionTags: {}, selectionConditions: { stringNotEquals: { Backup: 'false' } } });
    expect(tagSelection(template)[1].Properties.BackupSelection.Conditions).toEqual({
      StringNotEquals: [{ ConditionKey: 'aws:ResourceTag/Backup', ConditionValue: 'false' }],
    });
    expect(warnings(stack, 'selection-opt-out-only')).toEqual([
      expect.stringContaining('Sys/Backups: selectionTags is {} and selectionConditions has only opt-out conditions'),
    ]);
    expect(warnings(stack, 'nothing-selected')).toEqual([]);
  });

  test('selectionTags: {} and no conditions: no tag selection, and the nothing-selected warning still fires', () => {
    const { stack, template } = build({ selectionTags: {}, selectionConditions: {} });
    expect(Object.values(template.findResources('AWS::Backup::BackupSelection'))
      .filter((r: any) => r.Properties.BackupSelection.SelectionName === 'tagged')).toHaveLength(0);
    expect(warnings(stack, 'nothing-selected')).toHaveLength(1);
  });
});

describe('selection rules', () => {
  const rejects = (props: CompliantBackupSystemProps, message: RegExp) => expect(() => build(props)).toThrow(message);

  test('a key with the aws:ResourceTag/ prefix would never match', () => {
    rejects({ selectionConditions: { stringNotEquals: { 'aws:ResourceTag/Env': 'scratch' } } },
      /Sys\/Backups: selectionConditions\.stringNotEquals key is 'aws:ResourceTag\/Env'; pass the bare tag key \('Env'\)/);
  });

  test('tag keys are 1-128 characters, values at most 256', () => {
    rejects({ selectionConditions: { stringLike: { ['k'.repeat(129)]: 'x' } } },
      /selectionConditions\.stringLike key is 'k+' \(129 characters\); a tag key is 1-128 characters/);
    rejects({ selectionConditions: { stringNotLike: { Env: 'v'.repeat(257) } } },
      /selectionConditions\.stringNotLike\['Env'\] is 257 characters; a tag value is at most 256 characters/);
  });

  test('requiring and excluding the same tag value selects nothing', () => {
    rejects({ selectionTags: { Env: 'prod' }, selectionConditions: { stringNotEquals: { Env: 'prod' } } },
      /selectionConditions\.stringNotEquals\['Env'\] is 'prod'; selectionTags requires Env=prod, and all conditions must hold, so nothing would be selected/);
  });

  test('excludeResources: ARNs only, each once, at most 500 (30 with wildcards), and only beside a tag condition', () => {
    rejects({ excludeResources: ['vol-0123'] }, /excludeResources\[0\] is 'vol-0123'; expected a resource ARN/);
    rejects({ excludeResources: [EXCLUDED, EXCLUDED] }, /excludeResources is \[.*\]; each ARN once/);
    const wild = Array.from({ length: 31 }, (_, i) => `arn:aws:ec2:us-east-1:111111111111:volume/vol-${i}*`);
    rejects({ excludeResources: wild }, /excludeResources is 31 ARNs \(some with wildcards\); a selection excludes at most 500 ARNs, or 30 when any has a wildcard/);
    const many = Array.from({ length: 501 }, (_, i) => `arn:aws:ec2:us-east-1:111111111111:volume/vol-${i}`);
    rejects({ excludeResources: many }, /excludeResources is 501 ARNs; a selection excludes at most 500 ARNs/);
    rejects({ selectionTags: {}, excludeResources: [EXCLUDED] }, /excludeResources is \[1 ARNs\]; excludeResources narrows the tag selection, and there is none/);
    // The limits themselves pass, S3 ARNs (no region, no account) included.
    expect(() => build({ excludeResources: many.slice(0, 500) })).not.toThrow();
    expect(() => build({ excludeResources: [...wild.slice(0, 29), 'arn:aws:s3:::scratch-*'] })).not.toThrow();
  });

  test('a JavaScript user passing the wrong type gets the prop named', () => {
    rejects({ selectionConditions: { stringLike: { Env: 3 } } } as any,
      /Sys\/Backups: selectionConditions\.stringLike is an object \(Env\); expected an object of string keys to string values/);
    rejects({ excludeResources: EXCLUDED } as any, /excludeResources is the string 'arn:aws:ec2/);
  });
});

describe('the audit controls follow the selection', () => {
  const scoped = (tag?: { Key: string; Value: string }) => tag ? { Tags: [tag] } : undefined;

  test('selectionTags: the first exact tag scopes the controls, as before; opt-outs widen it and a warning says so', () => {
    const { stack, template } = build({ selectionConditions: { stringNotEquals: { Env: 'scratch' } } });
    for (const c of resourceControls(template)) expect(c.ControlScope).toEqual(scoped({ Key: 'Backup', Value: 'true' }));
    expect(warnings(stack, 'audit-scope-wider')).toEqual([expect.stringContaining(
      'controls on protected resources are scoped to Backup=true, wider than the selection (selectionConditions.stringNotEquals)')]);
  });

  test('no warning when only selectionTags select', () => {
    expect(warnings(build().stack, 'audit-scope-wider')).toEqual([]);
  });

  test('a stringLike value without * is an exact tag: it scopes the controls', () => {
    const { template } = build({ selectionTags: {}, selectionConditions: { stringLike: { Tier: 'gold' } } });
    for (const c of resourceControls(template)) expect(c.ControlScope).toEqual(scoped({ Key: 'Tier', Value: 'gold' }));
  });

  test('only wildcard conditions: no single tag contains the selection, so the controls are not tag-scoped', () => {
    const { stack, template } = build({ selectionTags: {}, selectionConditions: { stringLike: { Tier: 'gold*' } } });
    const controls = resourceControls(template);
    expect(controls.length).toBeGreaterThanOrEqual(2);
    for (const c of controls) expect(c.ControlScope).toBeUndefined();
    expect(warnings(stack, 'audit-scope-wider')).toEqual([expect.stringContaining('scoped to every resource of the evaluated types')]);
  });

  test('no framework, no scope warning', () => {
    const { stack } = build({ audit: { framework: false, reportTemplates: [] }, selectionConditions: { stringNotEquals: { Env: 'scratch' } } });
    expect(warnings(stack, 'audit-scope-wider')).toEqual([]);
  });

  test('auditScopeOfSelection: the scope always contains the selection', () => {
    expect(auditScopeOfSelection({ tags: { A: '1', B: '2' } })).toEqual({ tag: { key: 'A', value: '1' }, widenedBy: [] });
    expect(auditScopeOfSelection({ tags: {}, conditions: { stringLike: { A: 'x*', B: 'y' } } }))
      .toEqual({ tag: { key: 'B', value: 'y' }, widenedBy: ['selectionConditions.stringLike'] });
    expect(auditScopeOfSelection({ tags: {}, conditions: { stringNotLike: { A: 'x*' } } }))
      .toEqual({ tag: undefined, widenedBy: ['selectionConditions.stringNotLike'] });
    expect(auditScopeOfSelection({ tags: { A: '1' }, excludeResources: [EXCLUDED] }))
      .toEqual({ tag: { key: 'A', value: '1' }, widenedBy: ['excludeResources'] });
  });
});

describe('restore testing follows the opt-out tags', () => {
  test('a wildcard restore testing selection leaves out what stringNotEquals leaves out (the only other operator it takes)', () => {
    const { template } = build({
      selectionConditions: { stringNotEquals: { Env: 'scratch' }, stringNotLike: { Name: '*-tmp' } },
      restoreTesting: {},
    });
    const selections = Object.values(template.findResources('AWS::Backup::RestoreTestingSelection'));
    expect(selections.length).toBeGreaterThan(0);
    for (const selection of selections) {
      expect(selection.Properties.ProtectedResourceArns).toEqual(['*']);
      expect(selection.Properties.ProtectedResourceConditions).toEqual({
        StringEquals: [{ Key: 'aws:ResourceTag/Backup', Value: 'true' }],
        StringNotEquals: [{ Key: 'aws:ResourceTag/Env', Value: 'scratch' }],
      });
    }
  });

  test('without opt-out tags the conditions are the selection tags alone', () => {
    const { template } = build({ restoreTesting: {} });
    for (const selection of Object.values(template.findResources('AWS::Backup::RestoreTestingSelection'))) {
      expect(selection.Properties.ProtectedResourceConditions).toEqual({ StringEquals: [{ Key: 'aws:ResourceTag/Backup', Value: 'true' }] });
    }
  });
});
