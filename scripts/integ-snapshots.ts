/**
 * Snapshots of the integration tests (test/integ.*.ts), made and compared offline.
 *
 * What integ-runner's snapshot mode does, for a toolchain whose integ-runner cannot read
 * this project's cloud assemblies (the newest on our registry, 2.197.10, reads cloud
 * assembly schema 53; aws-cdk-lib 2.269+ writes 54 and later): synthesize each test app
 * with integ-runner's placeholder environment, keep the assembly without asset contents in
 * `test/integ.<name>.ts.snapshot/` (integ-runner's layout), and compare the templates of
 * the test-case stacks with asset hashes canonicalized, so that a changed handler bundle
 * alone does not change a snapshot.
 *
 * Update: `npx projen integ:update [test/integ.<name>.ts ...]` (CONTRIBUTING.md).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const TEST_DIR = path.join(ROOT, 'test');
/** integ-runner's placeholder environment for snapshots (its DEFAULT_SYNTH_OPTIONS). */
const SNAPSHOT_ENV = { CDK_INTEG_ACCOUNT: '12345678', CDK_INTEG_REGION: 'test-region' };
/** Set by users for deployments; never part of a snapshot. */
const DEPLOYMENT_ONLY_ENV = ['CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION', 'CDK_CONTEXT_JSON', 'INTEG_DR_REGION'];
const MAX_REPORTED_DIFFERENCES = 20;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every integration test, as a path relative to the repository root. */
export function findIntegTests(): string[] {
  return fs.readdirSync(TEST_DIR)
    .filter((name) => /^integ\..+\.ts$/.test(name) && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => path.join('test', name));
}

export function snapshotDirOf(test: string): string {
  return path.join(ROOT, `${test}.snapshot`);
}

/** Synthesizes one test app into `outdir`, as integ-runner would in snapshot mode. */
export function synthesize(test: string, outdir: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, ...SNAPSHOT_ENV, CDK_OUTDIR: outdir, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json') };
  for (const name of DEPLOYMENT_ONLY_ENV) delete env[name];
  const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, test)], {
    cwd: ROOT, env, encoding: 'utf8',
  });
  if (run.status !== 0 || !fs.existsSync(path.join(outdir, 'integ.json'))) {
    throw new Error(`${test} did not synthesize (exit ${run.status}):\n${run.stderr}`);
  }
}

/** Synthesizes `test` and replaces its committed snapshot. */
export function updateSnapshot(test: string): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-snapshot-'));
  try {
    synthesize(test, outdir);
    const target = snapshotDirOf(test);
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    for (const name of fs.readdirSync(outdir)) {
      // Asset contents are build outputs (handler bundles, the assertion provider): not snapshotted.
      if (name.startsWith('asset.') || name === '.cache') continue;
      const text = fs.readFileSync(path.join(outdir, name), 'utf8');
      fs.writeFileSync(path.join(target, name), name.endsWith('.json') ? stripStackTraces(text) : text);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Synthesizes `test` and lists how its test-case templates differ from the committed snapshot. */
export function compareWithSnapshot(test: string): string[] {
  const expectedDir = snapshotDirOf(test);
  if (!fs.existsSync(path.join(expectedDir, 'integ.json'))) {
    return [`${test} has no snapshot: create it with \`npx projen integ:update ${test}\``];
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-compare-'));
  try {
    synthesize(test, outdir);
    return diffAssemblies(readTestCaseTemplates(expectedDir), readTestCaseTemplates(outdir));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The templates of the stacks under test (not the assertion stacks, whose custom
 * resources carry a per-synth salt), keyed by stack, with asset hashes canonicalized.
 */
export function readTestCaseTemplates(assemblyDir: string): Map<string, Json> {
  const integ = readJson(path.join(assemblyDir, 'integ.json')) as { testCases: Record<string, { stacks: string[] }> };
  const manifest = readJson(path.join(assemblyDir, 'manifest.json')) as { artifacts: Record<string, any> };
  const templates = new Map<string, Json>();
  for (const stack of Object.values(integ.testCases).flatMap((c) => c.stacks).sort()) {
    const artifact = manifest.artifacts[stack];
    if (!artifact) throw new Error(`${assemblyDir}: the test-case stack ${stack} is not in manifest.json`);
    const template = readJson(path.join(assemblyDir, artifact.properties.templateFile));
    templates.set(stack, canonicalizeAssets(template, assetIdsOf(assemblyDir, manifest, stack)));
  }
  return templates;
}

/** Differences between two sets of templates, as `stack: path: snapshot … now …` lines. */
export function diffAssemblies(expected: Map<string, Json>, actual: Map<string, Json>): string[] {
  const differences: string[] = [];
  for (const stack of new Set([...expected.keys(), ...actual.keys()])) {
    if (!actual.has(stack)) differences.push(`${stack}: in the snapshot, no longer synthesized`);
    else if (!expected.has(stack)) differences.push(`${stack}: synthesized, not in the snapshot`);
    else diffJson(expected.get(stack)!, actual.get(stack)!, stack, differences);
  }
  if (differences.length > MAX_REPORTED_DIFFERENCES) {
    return [...differences.slice(0, MAX_REPORTED_DIFFERENCES), `... and ${differences.length - MAX_REPORTED_DIFFERENCES} more`];
  }
  return differences;
}

/** Replaces each asset hash with `Asset<n>Hash`, numbered in the order the stack's asset manifest lists them. */
export function canonicalizeAssets(template: Json, assetIds: string[]): Json {
  const replace = (text: string) => assetIds.reduce((s, id, i) => s.split(id).join(`Asset${i + 1}Hash`), text);
  const walk = (value: Json): Json => {
    if (typeof value === 'string') return replace(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [replace(k), walk(v)]));
    }
    return value;
  };
  return walk(template);
}

function assetIdsOf(assemblyDir: string, manifest: { artifacts: Record<string, any> }, stack: string): string[] {
  const assetArtifact = manifest.artifacts[`${stack}.assets`];
  if (!assetArtifact) return [];
  const assets = readJson(path.join(assemblyDir, assetArtifact.properties.file)) as { files?: object; dockerImages?: object };
  return [...Object.keys(assets.files ?? {}), ...Object.keys(assets.dockerImages ?? {})];
}

function diffJson(expected: Json, actual: Json, at: string, out: string[]): void {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return;
  const bothObjects = expected && actual && typeof expected === 'object' && typeof actual === 'object'
    && Array.isArray(expected) === Array.isArray(actual);
  if (!bothObjects) {
    out.push(`${at}: snapshot ${short(expected)}, now ${short(actual)}`);
    return;
  }
  const e = expected as Record<string, Json>;
  const a = actual as Record<string, Json>;
  for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
    diffJson(e[key] ?? null, a[key] ?? null, `${at}.${key}`, out);
  }
}

function short(value: Json): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * Construct metadata records stack traces (`aws:cdk:creationStack` entries, `trace` of an
 * entry) with the synthesizing machine's file paths: drop them.
 */
function stripStackTraces(text: string): string {
  const isEntry = (value: Json): value is { [key: string]: Json } =>
    !!value && typeof value === 'object' && !Array.isArray(value) && typeof value.type === 'string';
  const strip = (value: Json): Json => {
    if (Array.isArray(value)) {
      return value.filter((entry) => !(isEntry(entry) && entry.type === 'aws:cdk:creationStack')).map(strip);
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value).filter(([key]) => !(key === 'trace' && isEntry(value)));
      return Object.fromEntries(entries.map(([key, v]) => [key, strip(v)]));
    }
    return value;
  };
  return JSON.stringify(strip(JSON.parse(text)), undefined, 2) + '\n';
}

function readJson(file: string): Json {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function main(args: string[]): number {
  const tests = args.length > 0 ? args.map((a) => path.relative(ROOT, path.resolve(a))) : findIntegTests();
  for (const test of tests) {
    updateSnapshot(test);
    console.log(`updated ${path.relative(ROOT, snapshotDirOf(test))}`);
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
