/**
 * Synthesizes one compiled app in a fresh Node process, measured from outside
 * (see measure-process.ts), into a throw-away output directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readStacks, SynthesizedStack } from './cloud-assembly';
import { measureProcess, ProcessMeasurement } from './measure-process';
import { SCRATCH_DIR } from './paths';

export interface SynthOptions {
  /** aws-cdk-lib's built-in CloudFormation validation (CDK_VALIDATION=false turns it off). */
  readonly validation: boolean;
  /** Extra environment for the app. */
  readonly env?: Record<string, string>;
  /** Keep the cloud assembly for the caller (it is deleted otherwise). */
  readonly keep?: boolean;
  readonly timeoutMs?: number;
}

export interface SynthRun {
  readonly measurement: ProcessMeasurement;
  readonly stacks: SynthesizedStack[];
  readonly outdir: string;
  /** The app's error, when it failed to synthesize. */
  readonly error?: string;
}

/**
 * The context the CDK CLI passes to every app it synthesizes (path and asset
 * metadata, version reporting), so that `node app.js` does what `cdk synth` does.
 */
const CLI_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
};

let counter = 0;

export async function synthApp(appJs: string, options: SynthOptions): Promise<SynthRun> {
  const outdir = path.join(SCRATCH_DIR, 'out', `${path.basename(appJs, '.js')}-${process.pid}-${counter++}`);
  fs.rmSync(outdir, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(CLI_CONTEXT) };
  if (options.validation) delete env.CDK_VALIDATION;
  else env.CDK_VALIDATION = 'false';
  const measurement = await measureProcess(process.execPath, [appJs], { env, timeoutMs: options.timeoutMs });
  let stacks: SynthesizedStack[] = [];
  let error: string | undefined;
  if (measurement.exitCode === 0) {
    stacks = readStacks(outdir);
  } else {
    // Node prints the thrown error as `<Name>Error: <message>` after the source excerpt;
    // aws-cdk-lib's own errors print as `[«Code» message`.
    const lines = measurement.stderr.split('\n').filter((l) => l.trim() !== '');
    const thrown = lines.find((l) => /^\s*(\[«|[A-Za-z]*Error(\s\[[^\]]*\])?: )/.test(l));
    error = (thrown ?? lines.filter((l) => l.length < 2000).slice(-3).join(' ')).trim().slice(0, 1500);
  }
  if (!options.keep) fs.rmSync(outdir, { recursive: true, force: true });
  return { measurement, stacks, outdir, error };
}
