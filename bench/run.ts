/**
 * `npm run bench`: runs every benchmark, each in its own process, one after the
 * other (the machine has two cores: running them side by side would measure the
 * contention), merges their results into bench/results.json, prints the tables,
 * writes the plots and regenerates the tables of BENCHMARKS.md.
 *
 * BENCH_ONLY=synth,scale runs a subset; results of benchmarks not run are kept from
 * the previous bench/results.json (each section records when it ran).
 * BENCH_DEVLOOP=1 also times `npm test` and `npx projen build` (long).
 * BENCH_QUICK=1 is a smoke run with fewer runs and smaller inputs: not for reporting.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { printSummary, plots, renderMarkdown } from './report';
import { machineInfo } from './support/machine';
import { assertGnuTime } from './support/measure-process';
import { RESULTS_FILE, ROOT } from './support/paths';
import { readPart } from './support/results';

interface Benchmark {
  readonly name: string;
  readonly script: string;
  /** Runs only when this environment variable is 1. */
  readonly optIn?: string;
  /** Where the script writes its results, when it is not the usual part file. */
  readonly output?: string;
  /** Skipped (not failed) while the script does not exist. */
  readonly optional?: boolean;
}

const SUITE: Benchmark[] = [
  { name: 'synth', script: 'bench/synth-vs-peer.ts' },
  { name: 'footprint', script: 'bench/footprint.ts' },
  { name: 'scale', script: 'bench/scale.ts' },
  { name: 'verifier', script: 'bench/verifier.ts' },
  { name: 'catalog', script: 'bench/catalog.ts' },
  { name: 'cold-start', script: 'bench/cold-start.ts' },
  { name: 'dev-loop', script: 'bench/dev-loop.ts', optIn: 'BENCH_DEVLOOP' },
  // Hook for the organization benchmark (another helper's): standalone, writes its own file;
  // it runs here as soon as the script exists and its results land under `organization`.
  { name: 'organization', script: 'bench/organization-scale.ts', output: 'bench/results-organization.json', optional: true },
];

function runScript(script: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', script], {
      cwd: ROOT, stdio: 'inherit', env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json') },
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<void> {
  assertGnuTime();
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const results: Record<string, any> = fs.existsSync(RESULTS_FILE) ? JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) : {};
  results.machine = machineInfo();
  results.quick = process.env.BENCH_QUICK === '1';
  const failed: string[] = [];
  for (const b of SUITE) {
    if (only && !only.includes(b.name)) continue;
    if (b.optIn && process.env[b.optIn] !== '1') {
      console.log(`\n== ${b.name}: skipped (set ${b.optIn}=1)${results[b.name] ? '; keeping the figures recorded before' : ''}`);
      continue;
    }
    if (b.optional && !fs.existsSync(path.join(ROOT, b.script))) {
      console.log(`\n== ${b.name}: skipped (${b.script} does not exist yet)`);
      continue;
    }
    console.log(`\n== ${b.name} (${b.script})`);
    const loadBefore = os.loadavg();
    const started = Date.now();
    const code = await runScript(b.script);
    const part = b.output
      ? (fs.existsSync(path.join(ROOT, b.output)) ? JSON.parse(fs.readFileSync(path.join(ROOT, b.output), 'utf8')) : undefined)
      : readPart<Record<string, unknown>>(b.name);
    if (code !== 0 || !part) {
      failed.push(`${b.name} (exit ${code})`);
      continue;
    }
    results[b.name] = {
      ...part,
      ranAt: new Date(started).toISOString(),
      benchmarkSeconds: Math.round((Date.now() - started) / 1000),
      loadAverage: { before: loadBefore.map((l) => +l.toFixed(2)), after: os.loadavg().map((l) => +l.toFixed(2)) },
    };
    // Written after every benchmark, so an interrupted run keeps what it measured.
    fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
  }
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
  const files = plots(results);
  renderMarkdown(results, files);
  printSummary(results);
  console.log(`\nwrote ${path.relative(ROOT, RESULTS_FILE)}, ${files.length} plots in bench/plots/, and the tables of BENCHMARKS.md`);
  if (failed.length) {
    console.error(`\nfailed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
