import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertMinimumCdk, assertPluginsSeeThisCopy, findingsUnder, pluginConclusions, stacksIn } from './min-cdk';
import { describeFindings } from '../support/compliance';

/**
 * Every example app (examples/<name>/app.ts), run as `cdk synth` runs it but on the
 * MINIMUM aws-cdk-lib: each app adds cdk-nag's four packs and the AWS Control Tower
 * rules itself and throws on any unacknowledged finding. (document-backup runs its default
 * environment; test/examples.test.ts runs all three on the newest aws-cdk-lib.)
 */
jest.setTimeout(10 * 60_000);
// aws-cdk-lib's built-in CloudFormation validation (2.269 reads only this switch) costs
// seconds per synth and is tested on the newest version in test/examples.test.ts.
process.env.CDK_VALIDATION = 'false';

const examplesDir = path.resolve(__dirname, '..', '..', 'examples');
const EXAMPLES = fs.readdirSync(examplesDir).filter((name) => fs.existsSync(path.join(examplesDir, name, 'app.ts'))).sort();

beforeAll(() => {
  assertMinimumCdk();
  assertPluginsSeeThisCopy();
});

test('every example folder has an app.ts, so none is skipped', () => {
  const folders = fs.readdirSync(examplesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'shared').map((e) => e.name).sort();
  expect(EXAMPLES).toEqual(folders);
  expect(EXAMPLES.length).toBeGreaterThan(0);
});

test.each(EXAMPLES)('examples/%s/app.ts synthesizes with zero unacknowledged findings', (example) => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `ccb-min-${example}-`));
  const previousOutdir = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir; // read by the app's `new App()`, as the CLI sets it
  let failure: unknown;
  try {
    // Loading the module runs the app, as `cdk synth` runs it (in this run's module registry).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(examplesDir, example, 'app.ts'));
  } catch (e) {
    failure = e;
  } finally {
    if (previousOutdir === undefined) delete process.env.CDK_OUTDIR;
    else process.env.CDK_OUTDIR = previousOutdir;
  }
  expect(describeFindings(findingsUnder(outdir))).toEqual([]);
  expect(failure).toBeUndefined();
  // The app's plugins ran in this synth (cdk-nag's packs leave no report when clean).
  expect(pluginConclusions(outdir)).toContain('cdk-validator-cfnguard: success');
  const stacks = stacksIn(outdir);
  expect(stacks.length).toBeGreaterThan(0);
  expect(stacks.filter((s) => s.resources === 0)).toEqual([]);
  fs.rmSync(outdir, { recursive: true, force: true });
});
