import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import type { StackInput } from '../../judges/cfn/app-model';

/**
 * One fuzz input, built and synthesized: an App of its own (the template validator
 * off, as in every test that synthesizes many times), written into one scratch
 * folder per worker so that handler assets are staged once, not once per input.
 */

let outdir: string | undefined;

/** The worker's scratch folder for cloud assemblies. */
export function fuzzOutdir(): string {
  outdir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-fuzz-'));
  return outdir;
}

/** Removes the worker's scratch folder (call in afterAll). */
export function removeFuzzOutdir(): void {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
}

export function newApp(): App {
  return new App({ outdir: fuzzOutdir(), analyticsReporting: false, builtinCloudFormationValidation: false } as any);
}

export interface Synthesized {
  readonly stacks: StackInput[];
  /** Error-level annotations: a rejection that only annotates does not stop a deployment tool that ignores them. */
  readonly errorAnnotations: string[];
}

export function synthesize(app: App): Synthesized {
  const assembly = app.synth({ force: true });
  const stacks = assembly.stacks.map((s) => ({
    id: s.id,
    stackName: s.stackName,
    account: s.environment.account,
    region: s.environment.region,
    template: s.template,
  }));
  const errorAnnotations = assembly.stacks.flatMap((s) => s.messages
    .filter((m) => m.level === 'error')
    .map((m) => `${m.id}: ${String(m.entry.data)}`));
  return { stacks, errorAnnotations };
}
