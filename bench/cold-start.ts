/**
 * Issue 12.8: per handler bundle (assets/lambda-src/<name>.lambda/), its size raw and
 * zipped, and its module init time: the time `require()` of the bundle takes in a
 * fresh Node process (Node's own start-up excluded), median of BENCH_COLD_RUNS
 * (default 20) processes, the handlers taken in turn in every round. Peak RSS of
 * that process from GNU time. Goals: under 600 KB and under 150 ms.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { intKnob } from './support/knobs';
import { measureProcess } from './support/measure-process';
import { ROOT } from './support/paths';
import { writePart } from './support/results';
import { summarize, Summary } from './support/stats';

const RUNS = intKnob('BENCH_COLD_RUNS', 20, 5);
const ASSETS = path.join(ROOT, 'assets', 'lambda-src');
const SIZE_GOAL = 600 * 1000;
const INIT_GOAL_MS = 150;

/** What the handlers read from the environment when they load (values are never used to reach AWS). */
const HANDLER_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHFAKE',
  AWS_SECRET_ACCESS_KEY: 'fake',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  TABLE_NAME: 'catalog',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:t',
  ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:t',
  VAULT_NAME: 'vault',
  POWERTOOLS_METRICS_NAMESPACE: 'Bench',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

const PROBE = `
const started = process.hrtime.bigint();
require(process.argv[1]);
process.stdout.write('INIT_MS ' + (Number(process.hrtime.bigint() - started) / 1e6) + '\\n');
`;

/** Bytes of the asset directory zipped as CDK does (deflate); `zip` when installed, else zlib per file plus zip headers. */
function zippedBytes(dir: string): { bytes: number; how: string } {
  const files = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile());
  try {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-zip-')), 'asset.zip');
    execFileSync('zip', ['-q', '-X', '-9', out, ...files], { cwd: dir, stdio: 'ignore' });
    const bytes = fs.statSync(out).size;
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    return { bytes, how: 'zip -9' };
  } catch {
    const bytes = files.reduce((n, f) => n + zlib.deflateRawSync(fs.readFileSync(path.join(dir, f)), { level: 9 }).length + 76 + 2 * f.length, 22);
    return { bytes, how: 'zlib deflate -9 + zip headers' };
  }
}

export interface ColdStartEntry {
  readonly handler: string;
  readonly rawBytes: number;
  readonly zippedBytes: number;
  readonly zippedHow: string;
  readonly initMs?: Summary;
  readonly peakRssMiB?: Summary;
  readonly error?: string;
  readonly sizeGoalMet: boolean;
  readonly initGoalMet: boolean;
}

async function main(): Promise<void> {
  if (!fs.existsSync(ASSETS)) throw new Error('assets/lambda-src is missing: run `npx projen bundle` first, as `npm run bench` does');
  const handlers = fs.readdirSync(ASSETS).filter((d) => fs.existsSync(path.join(ASSETS, d, 'index.js'))).sort();
  const init = new Map<string, number[]>(handlers.map((h) => [h, []]));
  const rss = new Map<string, number[]>(handlers.map((h) => [h, []]));
  const errors = new Map<string, string>();
  for (let round = 0; round < RUNS; round++) {
    for (const handler of handlers) {
      if (errors.has(handler)) continue;
      const m = await measureProcess(process.execPath, ['-e', PROBE, path.join(ASSETS, handler, 'index.js')], {
        env: { PATH: process.env.PATH, ...HANDLER_ENV },
      });
      const line = m.stdout.split('\n').find((l) => l.startsWith('INIT_MS '));
      if (m.exitCode !== 0 || !line) {
        errors.set(handler, (m.stderr.split('\n').find((l) => /Error/.test(l)) ?? `exit ${m.exitCode}`).slice(0, 500));
        continue;
      }
      init.get(handler)!.push(Number(line.slice('INIT_MS '.length)));
      rss.get(handler)!.push(m.peakRssMiB);
    }
  }
  const entries: ColdStartEntry[] = handlers.map((handler) => {
    const dir = path.join(ASSETS, handler);
    const rawBytes = fs.statSync(path.join(dir, 'index.js')).size;
    const zipped = zippedBytes(dir);
    const initMs = errors.has(handler) ? undefined : summarize(init.get(handler)!);
    const entry: ColdStartEntry = {
      handler: handler.replace(/\.lambda$/, ''),
      rawBytes,
      zippedBytes: zipped.bytes,
      zippedHow: zipped.how,
      initMs,
      peakRssMiB: errors.has(handler) ? undefined : summarize(rss.get(handler)!),
      error: errors.get(handler),
      sizeGoalMet: rawBytes < SIZE_GOAL,
      initGoalMet: initMs !== undefined && initMs.median < INIT_GOAL_MS,
    };
    console.log(`cold start ${entry.handler}: ${(rawBytes / 1000).toFixed(0)} KB raw, ${(entry.zippedBytes / 1000).toFixed(0)} KB zipped, `
      + `init ${initMs ? `${initMs.median.toFixed(0)} ms (${initMs.min.toFixed(0)}–${initMs.max.toFixed(0)})` : `FAILED ${entry.error}`}`);
    return entry;
  });
  writePart('cold-start', {
    method: `require() of each bundle in a fresh Node process (start-up excluded), ${RUNS} rounds, handlers in turn; `
      + 'raw = index.js bytes; zipped = the asset directory (index.js and its legal-comments file) zipped',
    runs: RUNS,
    entries,
    goals: [
      { goal: 'bundle size (raw index.js), every handler', target: '< 600 KB', measured: `max ${(Math.max(...entries.map((e) => e.rawBytes)) / 1000).toFixed(0)} KB`, met: entries.every((e) => e.sizeGoalMet) },
      { goal: 'module init time (median), every handler', target: '< 150 ms', measured: `max ${Math.max(...entries.map((e) => e.initMs?.median ?? Infinity)).toFixed(0)} ms`, met: entries.every((e) => e.initGoalMet) },
    ],
  });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
