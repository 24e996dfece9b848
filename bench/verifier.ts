/**
 * Issue 12.6: the landing-storage verifier against s3rver on 127.0.0.1, objects from
 * 1 KiB to 2 GiB, with and without a stored checksum, beside its peers in the same
 * run: a naive handler that buffers the object, reading the bytes and discarding
 * them (read limit) and SHA-256 from memory (hash limit).
 *
 * Method: s3rver runs in its own process (bench/verifier/s3-server.ts) and counts
 * GET body bytes; each measured operation runs in a fresh client process
 * (bench/verifier/client.ts, bundled with esbuild like the deployed handler) whose
 * peak RSS comes from GNU time and whose operation time from its own clock. For
 * every size, BENCH_RUNS rounds (default 5) run all modes, the order reversed every
 * other round. Objects are uploaded once (streamed, SHA-256 computed on the way).
 * Knobs: BENCH_VERIFIER_MAX_MIB (default 2048), BENCH_QUICK=1 (up to 64 MiB, 2 runs).
 */
import { ChildProcess, execSync, fork } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Readable } from 'stream';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { buildSync } from 'esbuild';
import { intKnob, RUNS } from './support/knobs';
import { measureProcess } from './support/measure-process';
import { ROOT, SCRATCH_DIR } from './support/paths';
import { writePart } from './support/results';
import { summarize, Summary } from './support/stats';

const KiB = 1024;
const MiB = 1024 * KiB;
const MAX_MIB = intKnob('BENCH_VERIFIER_MAX_MIB', 2048, 64);
const SIZES = [1 * KiB, 1 * MiB, 64 * MiB, 256 * MiB, 1024 * MiB, 2048 * MiB].filter((s) => s <= MAX_MIB * MiB);
const MODES = ['verifier', 'verifier-stored', 'naive', 'discard', 'sha256'] as const;
type Mode = (typeof MODES)[number];
const BUCKET = 'landing-bench';

interface Server { child: ChildProcess; port: number; call: (message: object) => Promise<{ bodyBytes: number }> }

async function startServer(directory: string): Promise<Server> {
  const child = fork(path.join(__dirname, 'verifier', 's3-server.ts'), [directory], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(JSON.parse(out).port);
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  let id = 0;
  const call = (message: object) => new Promise<{ bodyBytes: number }>((resolve) => {
    const mine = ++id;
    const onMessage = (m: any) => {
      if (m.type === 'ack' && m.id === mine) {
        child.off('message', onMessage);
        resolve(m);
      }
    };
    child.on('message', onMessage);
    child.send({ ...message, id: mine });
  });
  return { child, port, call };
}

/** Pseudo-random bytes, 1 MiB at a time, hashed on the way out: never held whole. */
function generated(size: number) {
  const hash = createHash('sha256');
  let produced = 0;
  const stream = new Readable({
    read() {
      if (produced >= size) return void this.push(null);
      const chunk = randomBytes(Math.min(MiB, size - produced));
      hash.update(chunk);
      produced += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('base64') };
}

function bundleClient(): string {
  const outfile = path.join(SCRATCH_DIR, 'verifier-client.js');
  buildSync({
    entryPoints: [path.join(ROOT, 'bench', 'verifier', 'client.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return outfile;
}

export interface VerifierSizeResult {
  readonly sizeBytes: number;
  readonly modes: Partial<Record<Mode, {
    mibPerSecond: Summary; seconds: Summary; peakRssMiB: Summary; bodyBytesRead: Summary; allCorrect: boolean; skipped?: string;
  }>>;
  /** Verifier (no stored checksum) MiB/s over the slower of the two limits, medians. */
  readonly verifierOverSlowerLimit: number;
}

export interface VerifierResult {
  readonly method: string;
  readonly runs: number;
  readonly diskFree: string;
  readonly sizes: VerifierSizeResult[];
  readonly goals: Array<{ goal: string; target: string; measured: string; met: boolean }>;
}

async function main(): Promise<void> {
  fs.mkdirSync(SCRATCH_DIR, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(SCRATCH_DIR, 's3rver-'));
  const diskFree = execSync(`df -h ${dataDir} | tail -1`, { encoding: 'utf8' }).trim();
  const freeBytes = Number(execSync(`df -B1 --output=avail ${dataDir} | tail -1`, { encoding: 'utf8' }).trim());
  const needed = SIZES.reduce((a, b) => a + b, 0) * 1.2;
  console.log(`verifier: disk ${diskFree}; objects need ${(needed / 1024 ** 3).toFixed(1)} GiB`);
  if (freeBytes < needed + 5 * 1024 ** 3) throw new Error(`not enough free disk for the objects (${diskFree}); lower BENCH_VERIFIER_MAX_MIB`);

  const client = bundleClient();
  const server = await startServer(dataDir);
  const endpoint = `http://127.0.0.1:${server.port}`;
  try {
    const s3 = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      // s3rver rejects aws-chunked uploads with a trailing checksum.
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const digests = new Map<number, string>();
    for (const size of SIZES) {
      const body = generated(size);
      const started = Date.now();
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key(size), Body: body.stream, ContentLength: size }));
      digests.set(size, body.digest());
      await server.call({ type: 'checksum', key: key(size), sha256: digests.get(size) });
      console.log(`  uploaded ${label(size)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    s3.destroy();

    const sizes: VerifierSizeResult[] = [];
    for (const size of SIZES) {
      const raw: Partial<Record<Mode, { seconds: number[]; rss: number[]; body: number[]; correct: boolean[] }>> = {};
      // The naive handler holds the body (and a copy while concatenating): only where memory allows.
      const naiveSkip = os.freemem() < 3 * size + 2 * 1024 ** 3 ? `skipped: ${label(size)} ×3 exceeds free memory` : undefined;
      const naiveFailures: string[] = [];
      for (let round = 0; round < RUNS; round++) {
        const order = round % 2 === 0 ? [...MODES] : [...MODES].reverse();
        for (const mode of order) {
          if (mode === 'naive' && naiveSkip) continue;
          await server.call({ type: 'inject', on: mode === 'verifier-stored' });
          await server.call({ type: 'reset' });
          const m = await measureProcess(process.execPath, [client, mode === 'verifier-stored' ? 'verifier' : mode, endpoint, BUCKET, key(size), String(size), digests.get(size)!], {
            env: { ...process.env, POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'us-east-1' },
            timeoutMs: 1_800_000,
          });
          const { bodyBytes } = await server.call({ type: 'stats' });
          const line = m.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
          if ((m.exitCode !== 0 || !line) && mode === 'naive') {
            // A peer that cannot handle the object is a result, not a failure of the benchmark.
            const thrown = m.stderr.split('\n').find((l) => /^[A-Za-z]*Error/.test(l)) ?? `exit ${m.exitCode}`;
            naiveFailures.push(`${thrown.trim()} (peak RSS ${m.peakRssMiB.toFixed(0)} MiB)`);
            console.log(`  naive ${label(size)}: failed: ${thrown.trim()}`);
            continue;
          }
          if (m.exitCode !== 0 || !line) throw new Error(`${mode} on ${label(size)} failed (exit ${m.exitCode}): ${m.stderr.slice(-2000)}`);
          const outcome = JSON.parse(line.slice('BENCH_RESULT '.length));
          const r = raw[mode] ?? (raw[mode] = { seconds: [], rss: [], body: [], correct: [] });
          r.seconds.push(outcome.seconds);
          r.rss.push(m.peakRssMiB);
          r.body.push(bodyBytes);
          r.correct.push(outcome.correct === true);
          if (!outcome.correct) console.log(`  ${mode} ${label(size)}: INCORRECT (${outcome.detail ?? ''})`);
        }
      }
      const modes: VerifierSizeResult['modes'] = {};
      for (const mode of MODES) {
        const r = raw[mode];
        if (!r) continue;
        modes[mode] = {
          mibPerSecond: summarize(r.seconds.map((s) => size / MiB / s)),
          seconds: summarize(r.seconds),
          peakRssMiB: summarize(r.rss),
          bodyBytesRead: summarize(r.body),
          allCorrect: r.correct.every(Boolean),
        };
      }
      if (naiveSkip) modes.naive = { ...emptyMode(), skipped: naiveSkip };
      if (naiveFailures.length > 0 && !modes.naive) modes.naive = { ...emptyMode(), skipped: `failed in every run: ${naiveFailures[0]}` };
      else if (naiveFailures.length > 0) modes.naive!.skipped = `failed in ${naiveFailures.length} of ${RUNS} runs: ${naiveFailures[0]}`;
      const slower = Math.min(modes.discard!.mibPerSecond.median, modes.sha256!.mibPerSecond.median);
      const result: VerifierSizeResult = { sizeBytes: size, modes, verifierOverSlowerLimit: modes.verifier!.mibPerSecond.median / slower };
      sizes.push(result);
      console.log(`  ${label(size).padStart(8)}: ` + MODES.map((mode) => {
        const x = modes[mode];
        return x?.skipped ? `${mode} skipped` : `${mode} ${x!.mibPerSecond.median.toFixed(0)} MiB/s ${x!.peakRssMiB.median.toFixed(0)} MiB`;
      }).join(', ') + `; verifier/limit ${result.verifierOverSlowerLimit.toFixed(2)}`);
    }

    const result: VerifierResult = {
      method: 'fresh client process per operation (esbuild bundle), peak RSS from GNU time, operation time from the client clock, '
        + 'GET body bytes counted by the server; the catalog write and SNS publish of the verifier are stubbed; '
        + `${RUNS} rounds per size, mode order reversed every other round`,
      runs: RUNS,
      diskFree,
      sizes,
      goals: goals(sizes),
    };
    console.log(`wrote ${writePart('verifier', result)}`);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function goals(sizes: VerifierSizeResult[]): VerifierResult['goals'] {
  const rssOf = (list: VerifierSizeResult[]) => list.map((s) => s.modes.verifier!.peakRssMiB.median);
  const all = rssOf(sizes);
  const large = sizes.filter((s) => s.sizeBytes >= 64 * MiB);
  // V8 collects hashed-and-dropped chunks only after tens of MiB have piled up, so memory
  // reaches its plateau by 64 MiB; "flat" means no growth from there on.
  const plateau = rssOf(large);
  const spread = plateau.length ? Math.max(...plateau) - Math.min(...plateau) : NaN;
  const worstLarge = large.length ? Math.min(...large.map((s) => s.verifierOverSlowerLimit)) : NaN;
  const storedBody = Math.max(...sizes.map((s) => s.modes['verifier-stored']!.bodyBytesRead.max));
  return [
    {
      goal: 'verifier peak RSS flat in object size: growth over sizes ≥ 64 MiB (medians)',
      target: '< 32 MiB',
      measured: `${Number.isFinite(spread) ? spread.toFixed(0) : 'n/a'} MiB (all sizes: ${Math.min(...all).toFixed(0)}–${Math.max(...all).toFixed(0)} MiB)`,
      met: spread < 32,
    },
    {
      goal: 'verifier throughput over the slower limit (objects ≥ 64 MiB, worst size)',
      target: '≥ 0.90',
      measured: Number.isFinite(worstLarge) ? worstLarge.toFixed(2) : 'n/a',
      met: worstLarge >= 0.9,
    },
    {
      goal: 'body bytes read when a checksum is stored (max over all runs)',
      target: '0',
      measured: String(storedBody),
      met: storedBody === 0,
    },
  ];
}

function emptyMode() {
  const none = summarize([]);
  return { mibPerSecond: none, seconds: none, peakRssMiB: none, bodyBytesRead: none, allCorrect: true };
}

function key(size: number): string {
  return `acme/objects/${size}.bin`;
}

function label(size: number): string {
  return size >= MiB ? `${size / MiB} MiB` : `${size / KiB} KiB`;
}


main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
