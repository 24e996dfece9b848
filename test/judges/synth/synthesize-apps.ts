/**
 * Synthesizes every app of app-catalog.ts into OUTDIR/<app>/ and writes
 * OUTDIR/index.json: per app, its stacks with stack name, account, region and
 * template file. Run in a child process by synthesized-apps.ts:
 *
 *   node -r ts-node/register/transpile-only test/judges/synth/synthesize-apps.ts OUTDIR KEY
 *
 * Examples run their own app.ts, as `cdk synth` would, with two differences:
 * - `cdk-compliant-backup` resolves to src/ (as jest's moduleNameMapper does), so the
 *   judges see the library as it is in the tree, not a stale lib/;
 * - addComplianceChecks() is a no-op: the cdk-nag packs and cfn-guard only read the
 *   assembly (test/examples.test.ts runs them) and cost ~15 s per app.
 * When examples/<name>/cdk.json exists, its context is passed as the CDK CLI does (CDK_CONTEXT_JSON).
 */
import * as fs from 'fs';
import * as path from 'path';
import { AppSource, ROOT, appSources } from './app-catalog';
import type { SynthesizedAppRecord, SynthesisIndex } from './synthesized-apps';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('module');

function mapPackageToSources(): void {
  const original = Module._resolveFilename;
  Module._resolveFilename = function resolve(request: string, ...rest: unknown[]) {
    const mapped = request === 'cdk-compliant-backup' ? path.join(ROOT, 'src', 'index.ts') : request;
    return original.call(this, mapped, ...rest);
  };
}

function disableCompliancePlugins(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const checks = require(path.join(ROOT, 'examples', 'shared', 'compliance-checks'));
  checks.addComplianceChecks = () => undefined;
}

function cdkJsonContext(source: AppSource): Record<string, unknown> {
  const file = path.join(path.dirname(source.entry), 'cdk.json');
  if (source.kind !== 'example' || !fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')).context ?? {};
}

function synthesize(source: AppSource, outdir: string): void {
  process.env.CDK_OUTDIR = outdir;
  process.env.CDK_CONTEXT_JSON = JSON.stringify(cdkJsonContext(source));
  if (source.kind === 'example') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(source.entry);
    return;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { App } = require('aws-cdk-lib');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const coverage = require(source.entry);
  const app = new App({ outdir, context: coverage.ALL_OPTIONS_CONTEXT });
  coverage.buildAllOptionsApp(app);
  app.synth();
}

/**
 * A member account of an organization StackSet, for the region-and-account-agnostic member
 * templates: judged as deployed in that account and in the region of the stack that holds the StackSet.
 */
const MEMBER_ACCOUNT = '111111111111';

function readStacks(name: string, outdir: string, fallback?: { account: string; region: string }): SynthesizedAppRecord['stacks'] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const stacks = Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => {
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(String(artifact.environment)) ?? [];
      return {
        app: name,
        id,
        stackName: artifact.properties?.stackName ?? id,
        account: account === 'unknown-account' && fallback ? fallback.account : account,
        region: region === 'unknown-region' && fallback ? fallback.region : region,
        templateFile: path.join(outdir, artifact.properties.templateFile),
      };
    });
  // Organization StackSets synthesize their member template as an assembly of its own beside this one.
  const members = fs.readdirSync(outdir).filter((d) => d.startsWith('member-template.') && fs.existsSync(path.join(outdir, d, 'manifest.json')));
  const home = stacks[0];
  return [...stacks, ...members.flatMap((d) => readStacks(name, path.join(outdir, d), { account: MEMBER_ACCOUNT, region: home?.region ?? 'us-east-1' }))];
}

function main(): void {
  const [outRoot, key] = process.argv.slice(2);
  mapPackageToSources();
  disableCompliancePlugins();
  const index: SynthesisIndex = { key, apps: [] };
  for (const source of appSources()) {
    const outdir = path.join(outRoot, source.name);
    const started = Date.now();
    const record = { name: source.name, entry: path.relative(ROOT, source.entry) };
    try {
      synthesize(source, outdir);
      index.apps.push({ ...record, seconds: (Date.now() - started) / 1000, stacks: readStacks(source.name, outdir) });
    } catch (e) {
      index.apps.push({ ...record, seconds: (Date.now() - started) / 1000, stacks: [], error: String((e as Error).stack ?? e) });
    }
  }
  fs.writeFileSync(path.join(outRoot, 'index.json'), JSON.stringify(index, null, 2));
}

main();
