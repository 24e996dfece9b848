import * as fs from 'fs';
import * as path from 'path';
import { handlerNames } from './handler-sdk-calls';
import { AppModel, ModelResource, StackInput } from '../judges/cfn/app-model';
import type { SynthesizedApp } from '../judges/synth/synthesized-apps';

/**
 * The roles of a synthesized app and what each is for, found from the templates:
 * a library handler's execution role (its function runs one of the library's
 * bundles), or a role the library hands to a service (AWS Backup, S3 replication,
 * ARC Region switch, AWS Config). Other roles (the application's own, aws-cdk-lib's
 * custom resource providers, monitoring and flow-log roles) are kept as "other".
 */

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLES = path.join(ROOT, 'assets', 'lambda-src');

/** The account that stands for each member account of an organization StackSet. */
export const MEMBER_ACCOUNT = '000000000000';

export type RoleKind =
  | { readonly kind: 'handler'; readonly handler: string; readonly functions: ModelResource[] }
  | { readonly kind: 'service'; readonly service: string; readonly usedBy: ModelResource[] }
  | { readonly kind: 'other' };

export interface AppRole {
  readonly role: ModelResource;
  /** `<stack>/<logical id>`. */
  readonly name: string;
  readonly is: RoleKind;
}

let bundleIndex: Map<string, string> | undefined;

/** The library's bundles, by content: `assets/lambda-src/<handler>.lambda/index.js`. */
function bundles(): Map<string, string> {
  if (!bundleIndex) {
    if (!fs.existsSync(BUNDLES)) throw new Error(`The handler bundles are missing (${BUNDLES}): run \`npx projen bundle\`.`);
    bundleIndex = new Map(handlerNames().map((h) => [fs.readFileSync(path.join(BUNDLES, `${h}.lambda`, 'index.js'), 'utf8'), h]));
  }
  return bundleIndex;
}

/**
 * Which handler a function runs: the staged asset of its code (`asset.<hash>.lambda`
 * beside its template) compared with the bundles. Falls back to the construct id
 * the library gives each handler when the judges' assemblies predate the bundles.
 */
const HANDLER_IDS: Record<string, string> = {
  AlertFunction: 'vault-alert',
  CatalogFunction: 'catalog',
  ReconcilerFunction: 'catalog-reconciler',
  Verifier: 'verifier',
  ValidatorFunction: 'restore-validator',
  Readiness: 'readiness',
  Failover: 'failover',
  PrimaryFailover: 'failover',
};

export function handlerOf(fn: ModelResource, outdir: string): string | undefined {
  const key = String(fn.props.Code?.S3Key ?? '').replace(/\.zip$/, '');
  const staged = path.join(outdir, `asset.${key}.lambda`, 'index.js');
  if (key && fs.existsSync(staged)) {
    const handler = bundles().get(fs.readFileSync(staged, 'utf8'));
    if (handler) return handler;
  }
  // The logical id starts with the construct path's ids, the last of which the library chose.
  const id = Object.keys(HANDLER_IDS).find((k) => new RegExp(`${k}[0-9A-F]{8}$`).test(fn.logicalId));
  return id && fs.existsSync(staged) ? HANDLER_IDS[id] : undefined;
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Properties that hand a role to a service of the library's design. */
const SERVICE_ROLES: Array<{ type: string; service: string; roles: (props: any) => unknown[] }> = [
  { type: 'AWS::Backup::BackupSelection', service: 'AWS Backup (backup and restore jobs)', roles: (p) => [p.BackupSelection?.IamRoleArn] },
  { type: 'AWS::Backup::RestoreTestingSelection', service: 'AWS Backup (restore testing)', roles: (p) => [p.IamRoleArn] },
  { type: 'AWS::S3::Bucket', service: 'S3 replication', roles: (p) => [p.ReplicationConfiguration?.Role] },
  { type: 'AWS::ARCRegionSwitch::Plan', service: 'ARC Region switch', roles: (p) => [p.ExecutionRole] },
  { type: 'AWS::Config::ConfigurationRecorder', service: 'AWS Config', roles: (p) => [p.RoleARN] },
  {
    type: 'AWS::Backup::BackupPlan',
    service: 'GuardDuty Malware Protection for AWS Backup (malware scans)',
    roles: (p) => (Array.isArray(p.BackupPlan?.ScanSettings) ? p.BackupPlan.ScanSettings.map((s: any) => s.ScannerRoleArn) : []),
  },
];

/** The app's stacks, and the member template of each organization StackSet in each of its regions. */
export function modelWithMembers(app: SynthesizedApp): AppModel {
  const inputs: StackInput[] = [...app.stacks];
  const plain = new AppModel(app.name, app.stacks);
  for (const stackSet of plain.ofType('AWS::CloudFormation::StackSet')) {
    const template = JSON.parse(String(stackSet.props.TemplateBody));
    const regions = new Set<string>(asList(stackSet.props.StackInstancesGroup).flatMap((g: any) => g.Regions ?? []));
    for (const region of regions) {
      inputs.push({ id: `${stackSet.logicalId}-${region}`, stackName: `${stackSet.stack.stackName}-member-${region}`, account: MEMBER_ACCOUNT, region, template });
    }
  }
  return new AppModel(app.name, inputs);
}

/** Every role of the app with what it is for. */
export function appRoles(app: AppModel, outdirOf: (stackName: string) => string | undefined): AppRole[] {
  const functions = app.ofType('AWS::Lambda::Function');
  return app.ofType('AWS::IAM::Role').map((role): AppRole => {
    const arn = role.attr('Arn');
    const name = `${role.stack.stackName}/${role.logicalId}`;
    const ran = functions.filter((f) => f.props.Role === arn);
    const outdir = outdirOf(role.stack.stackName);
    const handlers = [...new Set(ran.map((f) => (outdir ? handlerOf(f, outdir) : undefined)))];
    if (ran.length > 0 && handlers.length === 1 && handlers[0] !== undefined) {
      return { role, name, is: { kind: 'handler', handler: handlers[0], functions: ran } };
    }
    for (const s of SERVICE_ROLES) {
      const usedBy = app.ofType(s.type).filter((r) => s.roles(r.props).some((v) => v === arn));
      if (usedBy.length > 0) return { role, name, is: { kind: 'service', service: s.service, usedBy } };
    }
    // The member template's backup role is named by the backup policy, not by a resource.
    if (role.stack.account === MEMBER_ACCOUNT && app.ofType('AWS::Organizations::Policy').some((p) => JSON.stringify(p.props.Content).includes(`:role/${role.ref}`))) {
      return { role, name, is: { kind: 'service', service: 'AWS Backup (organization backup policy)', usedBy: [] } };
    }
    return { role, name, is: { kind: 'other' } };
  });
}

/** What a role is for, in words. */
export function describeKind(is: RoleKind): string {
  return is.kind === 'handler' ? `handler ${is.handler}` : is.kind === 'service' ? `service role: ${is.service}` : 'other role';
}
