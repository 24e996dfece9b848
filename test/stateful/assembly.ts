import * as fs from 'fs';
import * as path from 'path';
import { synthesizedApps } from '../judges/synth/synthesized-apps';

/**
 * The stacks of a cloud assembly as the stateful checks read them: each template with,
 * per logical ID, the construct path it came from (the `aws:cdk:logicalId` metadata,
 * which aws-cdk-lib always writes, unlike the templates' optional `aws:cdk:path`), and
 * every construct's metadata entries.
 */

export interface MetadataEntry {
  readonly type: string;
  readonly data?: unknown;
}

export interface AssemblyStack {
  /** The app's name: the example's folder, `all-options`, or a test's own name. */
  readonly app: string;
  /** Artifact id (the stack's construct id). */
  readonly id: string;
  /** The CloudFormation stack name: what identifies the deployed stack. */
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly template: any;
  /** Construct path (without the leading '/') of each logical ID. */
  readonly paths: Readonly<Record<string, string>>;
  /** Metadata entries per construct path (without the leading '/'). */
  readonly metadata: Readonly<Record<string, MetadataEntry[]>>;
}

/** One resource of a stack. */
export interface AssemblyResource {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly type: string;
  readonly resource: any;
  /** Construct path, or the logical ID when the assembly does not say. */
  readonly path: string;
}

/** A synthesized app, or why it did not synthesize. */
export interface AssemblyApp {
  readonly name: string;
  readonly stacks: AssemblyStack[];
  readonly error?: string;
}

/** Every stack of the cloud assembly in `outdir`, in manifest order, each followed by its StackSets' member stacks. */
export function readAssembly(app: string, outdir: string): AssemblyStack[] {
  return readStacks(app, outdir).flatMap((stack) => [stack, ...stackSetMembers(stack)]);
}

/**
 * The member template of each StackSet given inline (`TemplateBody`), as a stack of its own:
 * its resources are deployed in every member account and region, and replacing one there
 * loses as much as in any stack. Named `<parent stack>/<StackSet logical ID>`.
 */
export function stackSetMembers(parent: AssemblyStack): AssemblyStack[] {
  return Object.entries<any>(parent.template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::CloudFormation::StackSet' && typeof r.Properties?.TemplateBody === 'string')
    .map(([logicalId, r]) => {
      const template = JSON.parse(r.Properties.TemplateBody);
      const setPath = parent.paths[logicalId] ?? `${parent.stackName}/${logicalId}`;
      return {
        app: parent.app,
        id: `${parent.id}/${logicalId}`,
        stackName: `${parent.stackName}/${logicalId}`,
        account: 'member accounts',
        region: 'StackSet regions',
        template,
        paths: Object.fromEntries(Object.keys(template.Resources ?? {}).map((id) => [id, `${setPath} member template/${id}`])),
        metadata: {},
      };
    });
}

function readStacks(app: string, outdir: string): AssemblyStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => {
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(String(artifact.environment)) ?? [];
      const raw: Record<string, MetadataEntry[]> = { ...(artifact.metadata ?? {}) };
      if (artifact.additionalMetadataFile) {
        const extra = JSON.parse(fs.readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf8'));
        for (const [p, entries] of Object.entries<MetadataEntry[]>(extra)) raw[p] = [...(raw[p] ?? []), ...entries];
      }
      const metadata: Record<string, MetadataEntry[]> = {};
      const paths: Record<string, string> = {};
      for (const [p, entries] of Object.entries(raw)) {
        const constructPath = p.replace(/^\//, '');
        metadata[constructPath] = entries;
        for (const e of entries) if (e.type === 'aws:cdk:logicalId' && typeof e.data === 'string') paths[e.data] = constructPath;
      }
      return {
        app,
        id,
        stackName: artifact.properties?.stackName ?? id,
        account,
        region,
        template: JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8')),
        paths,
        metadata,
      };
    });
}

/** Every resource of `stacks`. */
export function resourcesOf(stacks: AssemblyStack[]): AssemblyResource[] {
  return stacks.flatMap((stack) => Object.entries<any>(stack.template.Resources ?? {}).map(([logicalId, resource]) => ({
    stack,
    logicalId,
    type: String(resource.Type),
    resource,
    path: stack.paths[logicalId] ?? logicalId,
  })));
}

/** `<app>/<stack name> (<region>)`, how every finding names a stack. */
export function stackLabel(stack: Pick<AssemblyStack, 'app' | 'stackName' | 'region'>): string {
  return `${stack.app}/${stack.stackName} (${stack.region})`;
}

/**
 * Every example and the coverage app, from the judges' synthesis cache (cdk.out/judges/:
 * synthesized once, reused while the sources are unchanged; see test/judges/README.md).
 */
export function judgedApps(): AssemblyApp[] {
  return synthesizedApps().map((app) => ({
    name: app.name,
    error: app.error,
    stacks: app.stacks.length > 0 ? readAssembly(app.name, path.dirname(app.stacks[0].templateFile)) : [],
  }));
}
