import * as fs from 'fs';
import * as path from 'path';
import { AllowedRule, LintMatch, cfnLintVersion, describeMatch, isAllowed, runCfnLint } from './cfn-lint';
import { appSources } from './synth/app-catalog';
import { SynthesizedApp, synthesizedApps } from './synth/synthesized-apps';

/**
 * cfn-lint on every template of every example and of the coverage app, each with
 * its own stack's region: zero errors, and warnings only from the allowlist in
 * cfn-lint-allowlist.json (rule id -> reason, optionally narrowed to where it applies).
 * cfn-lint takes 10-60 s per region here, hence the long timeout.
 */
jest.setTimeout(30 * 60_000);

const allowlist: Record<string, AllowedRule> = JSON.parse(fs.readFileSync(path.join(__dirname, 'cfn-lint-allowlist.json'), 'utf8'));
const APPS = appSources().map((s) => s.name);

let apps: SynthesizedApp[] = [];
let matches: LintMatch[] = [];

beforeAll(() => {
  const { problem } = cfnLintVersion();
  if (problem) throw new Error(problem);
  apps = synthesizedApps();
  const templates = apps.flatMap((a) => a.stacks);
  const run = runCfnLint(templates);
  matches = run.matches;
  const regions = Object.entries(run.secondsByRegion).map(([r, s]) => `${r} ${s.toFixed(1)} s`).join(', ');
  console.log(`cfn-lint (${cfnLintVersion().version}) on ${templates.length} templates, one run per region: ${regions}; `
    + `${matches.length} matches, ${matches.filter((m) => !isAllowed(m, allowlist)).length} not allowlisted`);
});

test('cfn-lint 1.51 is installed', () => {
  expect(cfnLintVersion()).toEqual({ version: expect.stringMatching(/^cfn-lint 1\.51\./) });
});

test('the allowlist is short, gives a reason for each rule, and never allows W3691 (deprecated engine versions)', () => {
  // Six rules, each narrowed to the resource type, path or message it was verified on.
  expect(Object.keys(allowlist).length).toBeLessThanOrEqual(6);
  for (const [rule, entry] of Object.entries(allowlist)) {
    expect([rule, entry.reason.length > 40]).toEqual([rule, true]);
  }
  expect(Object.keys(allowlist)).not.toContain('W3691');
});

test.each(APPS)('%s: every template synthesizes and is linted', (name) => {
  const app = apps.find((a) => a.name === name);
  expect(app?.error).toBeUndefined();
  expect(app!.stacks.length).toBeGreaterThan(0);
});

test.each(APPS)('%s: no cfn-lint error, and no warning outside the allowlist', (name) => {
  const mine = matches.filter((m) => m.app === name && !isAllowed(m, allowlist));
  expect(mine.map(describeMatch)).toEqual([]);
});

test('the allowlist narrows what it allows: a Dashboard Tags error outside us-east-1 or a W3691 would still fail', () => {
  const base: LintMatch = {
    app: 'x',
    stackName: 'S',
    region: 'us-east-1',
    rule: 'E3002',
    level: 'Error',
    path: 'Resources/D/Properties/Tags',
    resourceType: 'AWS::CloudWatch::Dashboard',
    message: "Additional properties are not allowed ('Tags' was unexpected)",
  };
  expect(isAllowed(base, allowlist)).toBe(true);
  expect(isAllowed({ ...base, region: 'eu-west-1' }, allowlist)).toBe(false);
  expect(isAllowed({ ...base, resourceType: 'AWS::S3::Bucket' }, allowlist)).toBe(false);
  expect(isAllowed({ ...base, rule: 'W3691', level: 'Warning' }, allowlist)).toBe(false);
  expect(isAllowed({ ...base, rule: 'W3010', message: "Avoid hardcoding availability zones 'eu-west-1a'" }, allowlist)).toBe(false);
});
