
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { CompliantBackupSystem, CompliantBackupSystemProps } from '../../../src';
import { testApp } from '../../support/compliance';

export const ENV = { account: '111111111111', region: 'us-east-1' };
export const SYSTEM_TAG = 'compliant-backup:system';
export const DR_ARN = 'arn:aws:backup:us-west-2:111111111111:backup-vault:dr';
export const EU_ARN = 'arn:aws:backup:eu-west-1:111111111111:backup-vault:eu';
export const LOCAL_ARN = 'arn:aws:backup:us-east-1:111111111111:backup-vault:local';
export const REPORT_ROLE_SUFFIX = ':iam::111111111111:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports';

export interface Built {
  readonly stack: Stack;
  readonly system: CompliantBackupSystem;
  readonly template: Template;
}

/** A stack with one system; `extra` runs after the system is built and before synthesis. */
export function build(props: CompliantBackupSystemProps | ((stack: Stack) => CompliantBackupSystemProps) = {},
  extra?: (system: CompliantBackupSystem, stack: Stack) => void, stackName = 'Sys'): Built {
  const stack = new Stack(testApp(), stackName, { env: ENV });
  const system = new CompliantBackupSystem(stack, 'Backups', typeof props === 'function' ? props(stack) : props);
  extra?.(system, stack);
  return { stack, system, template: Template.fromStack(stack) };
}

export function only(template: Template, type: string, prefix = ''): [string, any] {
  const entries = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(entries.map(([id]) => id)).toHaveLength(1);
  return entries[0];
}

export function systemTagValue(template: Template): string {
  return only(template, 'AWS::Backup::BackupPlan')[1].Properties.BackupPlanTags[SYSTEM_TAG];
}

export interface RenderedControl {
  readonly name: string;
  readonly parameters: Record<string, unknown>;
  readonly tags?: Array<{ Key: string; Value: string }>;
}

export function controls(template: Template): RenderedControl[] {
  const [, framework] = only(template, 'AWS::Backup::Framework');
  return framework.Properties.FrameworkControls.map((c: any) => ({
    name: c.ControlName,
    parameters: Object.fromEntries((c.ControlInputParameters ?? []).map((p: any) => [p.ParameterName, p.ParameterValue])),
    tags: c.ControlScope?.Tags,
  }));
}

export function control(template: Template, name: string): RenderedControl | undefined {
  return controls(template).find((c) => c.name === name);
}

/** The dashboard body as JSON, each CloudFormation reference replaced by `<Ref:id>` / `<GetAtt:id.attr>`. */
export function dashboardBody(template: Template): any {
  const [, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
  const body = dashboard.Properties.DashboardBody;
  const parts: any[] = typeof body === 'string' ? [body] : body['Fn::Join'][1];
  const text = parts.map((p) => (typeof p === 'string' ? p
    : p.Ref ? `<Ref:${p.Ref}>` : p['Fn::GetAtt'] ? `<GetAtt:${p['Fn::GetAtt'].join('.')}>` : '<?>')).join('');
  return JSON.parse(text);
}

/** Metric widgets: title, and each metric as [name, vault dimension, options]. */
export function metricWidgets(template: Template): Array<{ title: string; metrics: Array<[string, string, any]> }> {
  return dashboardBody(template).widgets.filter((w: any) => w.type === 'metric' && w.properties.title)
    .map((w: any) => ({
      title: w.properties.title,
      metrics: (w.properties.metrics ?? []).filter((m: any[]) => m[0] === 'AWS/Backup')
        .map((m: any[]) => {
          expect(m[2]).toBe('BackupVaultName');
          return [m[1], m[3], m[4]];
        }),
    }));
}

export function statementsOf(template: Template, type: string, prop: string): any[] {
  return Object.values(template.findResources(type)).flatMap((r: any) => r.Properties[prop]?.Statement ?? []);
}

/** Every 4 hours on the hour. */
export function cron4h(): events.Schedule {
  return events.Schedule.cron({ minute: '0', hour: '*/4' });
}
