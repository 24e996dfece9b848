/**
 * The main job: synthesizes every app in examples/ into cdk.out/<example>/ and
 * prints, per stack, its resource count and its unacknowledged compliance
 * findings (cdk-nag packs and AWS Control Tower proactive controls).
 *
 * Each example runs in its own Node process, as `cdk synth` would run it, and
 * imports the library by its package name (resolved to the compiled lib/).
 * Exits non-zero when an example fails to synthesize or has findings.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const examplesDir = path.join(root, 'examples');
const outRoot = path.join(root, 'cdk.out');

interface StackSummary { example: string; stack: string; region: string; resources: number; findings: number }

function findingsByStack(outdir: string): Map<string, string[]> {
  const byStack = new Map<string, string[]>();
  const reportFile = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) return byStack;
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  for (const plugin of report.pluginReports ?? []) {
    for (const violation of plugin.violations ?? []) {
      for (const c of violation.violatingConstructs ?? []) {
        const stack = String(c.constructPath ?? '').split('/')[0];
        const list = byStack.get(stack) ?? [];
        list.push(`${violation.severity ?? 'error'} ${violation.ruleName} @ ${c.constructPath}`);
        byStack.set(stack, list);
      }
    }
  }
  return byStack;
}

function main(): number {
  const examples = fs.readdirSync(examplesDir)
    .filter((name) => fs.existsSync(path.join(examplesDir, name, 'app.ts')))
    .sort();
  const summaries: StackSummary[] = [];
  const failures: string[] = [];

  for (const example of examples) {
    const outdir = path.join(outRoot, example);
    fs.rmSync(outdir, { recursive: true, force: true });
    const started = Date.now();
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(examplesDir, example, 'app.ts')], {
      cwd: root,
      env: { ...process.env, CDK_OUTDIR: outdir, TS_NODE_PROJECT: path.join(root, 'tsconfig.dev.json') },
      encoding: 'utf8',
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const findings = findingsByStack(outdir);
    const manifestFile = path.join(outdir, 'manifest.json');
    if (!fs.existsSync(manifestFile)) {
      failures.push(`${example}: did not synthesize (exit ${run.status})\n${run.stderr}`);
      continue;
    }
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
      const stackFindings = findings.get(name) ?? [];
      summaries.push({
        example,
        stack: name,
        region: String(artifact.environment).split('/').pop() ?? '',
        resources: Object.keys(template.Resources ?? {}).length,
        findings: stackFindings.length,
      });
      for (const f of stackFindings) failures.push(`${example}/${name}: ${f}`);
    }
    if (run.status !== 0 && findings.size === 0) {
      failures.push(`${example}: exited ${run.status}\n${run.stderr}`);
    }
    console.log(`synthesized ${example} in ${seconds} s -> ${path.relative(root, outdir)}`);
  }

  const header = ['example', 'stack', 'region', 'resources', 'findings'];
  const rows = summaries.map((s) => [s.example, s.stack, s.region, String(s.resources), String(s.findings)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log('');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log('');
  console.log(`${examples.length} examples, ${summaries.length} stacks, ` +
    `${summaries.reduce((n, s) => n + s.resources, 0)} resources, ` +
    `${summaries.reduce((n, s) => n + s.findings, 0)} unacknowledged compliance findings ` +
    '(cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 rev5, PCI DSS 3.2.1; AWS Control Tower proactive controls)');
  if (failures.length > 0) {
    console.error(`\n${failures.length} problem(s):\n${failures.join('\n')}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
