import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, IPolicyValidationPlugin, Validations } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import * as ts from 'typescript';
import { ReadmeSnippet, readmeSnippets } from './readme-snippets';
import { composeWithFixture } from './rosetta-fixture';
import { runSnippet } from './run-snippet';
import * as library from '../../src';
import { describeFindings, readFindings } from '../support/compliance';

/*
 * Every TypeScript snippet of README.md, composed with its jsii-rosetta fixture, is a
 * complete app that a user can copy: it type-checks, and it synthesizes with the checks of
 * the README's "Compliance checks in your app" section (cdk-nag's four packs and the AWS
 * Control Tower rules) with no error and no unacknowledged finding.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const ROSETTA = path.join(ROOT, 'rosetta');
const snippets = readmeSnippets(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
const runnable = snippets.filter((s) => s.skipReason === undefined);
// Composed as rosetta composes it; `export { app }` lets the test reach the App the snippet creates.
const composed = (s: ReadmeSnippet) => `${composeWithFixture(ROSETTA, s.fixture, s.code)}\nexport { app };\n`;

// The plugins the README tells users to add; the test below checks that the README still names these.
const CHECKS = ['AwsSolutionsChecks', 'HIPAASecurityChecks', 'NIST80053R5Checks', 'PCIDSS321Checks', 'CfnGuardValidator'];
const guard = new CfnGuardValidator(); // holds no app state: one for every snippet
const checksFor = (app: App): IPolicyValidationPlugin[] => [
  new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app), guard,
];

// A fresh `cdk init` app: the CLI passes cdk.json's feature flags as context; the built-in
// CloudFormation schema validation (about 3 s a synth) is tested elsewhere.
const savedEnv = { CDK_CONTEXT_JSON: process.env.CDK_CONTEXT_JSON, CDK_VALIDATION: process.env.CDK_VALIDATION };
beforeAll(() => {
  process.env.CDK_CONTEXT_JSON = JSON.stringify(CURRENTLY_RECOMMENDED_FLAGS);
  process.env.CDK_VALIDATION = 'false';
});
afterAll(() => {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

test('the README has its snippets, and skips are rare and explained', () => {
  expect(snippets.length).toBeGreaterThanOrEqual(8);
  const skipped = snippets.filter((s) => s.skipReason !== undefined);
  expect(skipped.length).toBeLessThanOrEqual(2);
  for (const s of skipped) expect(s.skipReason!.length).toBeGreaterThan(10);
});

test('the checks this test runs are the ones the README tells users to add', () => {
  const section = snippets.find((s) => s.code.includes('Validations.of(app).addPlugins('));
  expect(section).toBeDefined();
  const named = CHECKS.filter((name) => new RegExp(`new ${name}\\(`).test(section!.code));
  expect(named).toEqual(CHECKS);
  expect(checksFor(new App()).map((p) => p.constructor.name)).toEqual(CHECKS);
});

test('every snippet type-checks in its rosetta fixture (strict)', () => {
  const files = new Map(snippets.map((s) => [path.join(__dirname, `snippet-line-${s.line}.ts`), composed(s)]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ['node'],
    baseUrl: ROOT,
    paths: { 'cdk-compliant-backup': ['src/index.ts'] },
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => files.has(path.resolve(f)) || fileExists(f);
  host.readFile = (f) => files.get(path.resolve(f)) ?? readFile(f);
  host.getSourceFile = (f, language, ...rest) => {
    const text = files.get(path.resolve(f));
    return text !== undefined ? ts.createSourceFile(f, text, language) : getSourceFile(f, language, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(path.resolve(d.file.fileName)))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      return `${path.basename(d.file!.fileName)} (composed line ${line + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  expect(diagnostics).toEqual([]);
}, 300_000);

describe.each(runnable.map((s) => [s.line, s] as const))('README snippet at line %d', (_line, snippet) => {
  test('synthesizes with the README\'s compliance checks: no error, no unacknowledged finding', () => {
    const app = runSnippet(composed(snippet), library, `readme-line-${snippet.line}`);
    Validations.of(app).addPlugins(...checksFor(app));
    try {
      app.synth();
    } catch (e) {
      // Findings make synth throw; they are read from the report below.
      if ((e as Error).name !== 'ValidationFailed' && !/Validation failed/.test((e as Error).message)) throw e;
    }
    const errors = app.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === 'aws:cdk:error')
      .map((m) => `${c.node.path}: ${m.data}`));
    expect(errors).toEqual([]);
    expect(describeFindings(readFindings(app.outdir))).toEqual([]);
  }, 600_000);
});
