import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Finding, compliancePlugins, readFindings, synthFindings, testApp } from '../support/compliance';

/**
 * Helpers of the `min-cdk` jest project, which maps every import of `aws-cdk-lib`
 * (and of its subpaths) to the `aws-cdk-lib-min` alias: the minimum aws-cdk-lib
 * the package accepts (see `.projenrc.ts`).
 */

const root = path.resolve(__dirname, '..', '..');

/** The minimum the package accepts: its peer dependency's lower bound. */
export function minimumCdkVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const range: string = pkg.peerDependencies['aws-cdk-lib'];
  const match = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  if (!match) throw new Error(`peerDependencies['aws-cdk-lib'] is '${range}'; expected a caret range such as ^2.269.0`);
  return match[1];
}

/**
 * What this jest run really loads as `aws-cdk-lib`: the version of the module
 * that `require('aws-cdk-lib')` returns, and the directory it was loaded from.
 * Read through the module system, so a mapping that falls back shows here.
 */
export function loadedCdk(): { version: string; directory: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const version: string = require('aws-cdk-lib/package.json').version;
  return { version, directory: path.dirname(require.resolve('aws-cdk-lib/package.json')) };
}

/** Throws unless this run loads the minimum aws-cdk-lib: call it first in every file of the project. */
export function assertMinimumCdk(): void {
  const expected = minimumCdkVersion();
  const cdk = loadedCdk();
  if (cdk.version !== expected) {
    throw new Error(`the min-cdk project loaded aws-cdk-lib ${cdk.version} from ${cdk.directory}; expected ${expected} (the aws-cdk-lib-min alias)`);
  }
}

/** The five plugins every example adds, by the name they report under. */
export const PLUGIN_NAMES = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'cdk-validator-cfnguard'];

/**
 * Control: the rules each plugin reports on a bare `CfnBucket`. cdk-nag's rules test
 * `instanceof CfnResource`; when cdk-nag loads a second copy of aws-cdk-lib they
 * report nothing at all, so a clean synth elsewhere would prove nothing.
 */
export function findingsOnBareBucket(): Map<string, Set<string>> {
  const app = testApp();
  new s3.CfnBucket(new Stack(app, 'Control', { env: { account: '123456789012', region: 'eu-west-1' } }), 'Bare');
  const byPlugin = new Map<string, Set<string>>();
  for (const f of synthFindings(app, compliancePlugins(app))) byPlugin.set(f.plugin, new Set([...byPlugin.get(f.plugin) ?? [], f.rule]));
  return byPlugin;
}

/** Throws unless each of the five plugins reports the bare bucket in this run. */
export function assertPluginsSeeThisCopy(): void {
  const byPlugin = findingsOnBareBucket();
  const silent = PLUGIN_NAMES.filter((name) => !byPlugin.get(name)?.size);
  if (silent.length > 0) throw new Error(`control: ${silent.join(', ')} reported nothing on a bare bucket (two copies of aws-cdk-lib?)`);
}

/** `plugin: conclusion` for each plugin report an app's synth wrote to `outdir` (cdk-nag writes none when clean). */
export function pluginConclusions(outdir: string): string[] {
  const reportFile = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) return [];
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  return (report.pluginReports ?? []).map((p: any) => `${p.pluginName}: ${p.conclusion}`);
}

/**
 * Every unacknowledged finding under an app's output directory: the app's own
 * validation report and those of apps synthesized inside it (the organization's
 * member StackSet template is an App of its own, written below the outdir).
 */
export function findingsUnder(outdir: string): Finding[] {
  const findings: Finding[] = [];
  const visit = (dir: string) => {
    findings.push(...readFindings(dir));
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(path.join(dir, entry.name));
    }
  };
  visit(outdir);
  return findings;
}

/** The stacks an assembly holds, with their resource count, for assertions that the synth produced something. */
export function stacksIn(outdir: string): Array<{ name: string; resources: number }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([name, artifact]) => {
      const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
      return { name, resources: Object.keys(template.Resources ?? {}).length };
    });
}
