/** Reads what a synthesis produced: the stacks of a cloud assembly and their templates. */
import * as fs from 'fs';
import * as path from 'path';

export interface SynthesizedStack {
  readonly name: string;
  readonly region: string;
  readonly templateFile: string;
  /** Bytes of the template file as CloudFormation receives it (the CDK CLI uploads this file). */
  readonly templateBytes: number;
  readonly template: CfnTemplate;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: any; [key: string]: any }>;
  readonly Outputs?: Record<string, unknown>;
  readonly Parameters?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
}

/** Every stack of the assembly in `outdir`, nested assemblies (stages) included. */
export function readStacks(outdir: string): SynthesizedStack[] {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`no cloud assembly in ${outdir}`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const stacks: SynthesizedStack[] = [];
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      const templateFile = path.join(outdir, artifact.properties.templateFile);
      const text = fs.readFileSync(templateFile, 'utf8');
      stacks.push({
        name,
        region: String(artifact.environment ?? '').split('/').pop() ?? '',
        templateFile,
        templateBytes: Buffer.byteLength(text),
        template: JSON.parse(text),
      });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      stacks.push(...readStacks(path.join(outdir, artifact.properties.directoryName)));
    }
  }
  return stacks;
}

export function resourceCount(stacks: readonly SynthesizedStack[]): number {
  return stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
}

/** Resources of the stacks, as [logicalId, resource, stack] triples. */
export function allResources(stacks: readonly SynthesizedStack[]) {
  return stacks.flatMap((s) => Object.entries(s.template.Resources ?? {}).map(([id, r]) => ({ id, resource: r, stack: s })));
}
