import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './app-catalog';

/**
 * Synthesize once, judge many times: every example app and the coverage app are
 * synthesized in one child process into cdk.out/judges/, and every judge reads the
 * templates from there. The output is reused while its inputs are unchanged (a hash
 * of src/, examples/, test/apps/, this folder and package-lock.json), and a lock
 * keeps two jest workers from synthesizing at the same time.
 */

/** One stack of a synthesized app, as its cloud assembly describes it. */
export interface SynthesizedStackRecord {
  readonly app: string;
  /** The artifact id (the construct id of the stack). */
  readonly id: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** Absolute path of the template. */
  readonly templateFile: string;
}

export interface SynthesizedAppRecord {
  readonly name: string;
  /** The file that built the app, relative to the repository root. */
  readonly entry: string;
  readonly seconds: number;
  readonly stacks: SynthesizedStackRecord[];
  /** Why the app did not synthesize. */
  readonly error?: string;
}

export interface SynthesisIndex {
  readonly key: string;
  readonly apps: SynthesizedAppRecord[];
}

/** A synthesized stack with its template read from disk. */
export interface SynthesizedStack extends SynthesizedStackRecord {
  readonly template: any;
}

export interface SynthesizedApp extends Omit<SynthesizedAppRecord, 'stacks'> {
  readonly stacks: SynthesizedStack[];
}

export const JUDGES_OUTDIR = path.join(ROOT, 'cdk.out', 'judges');
const LOCK_DIR = path.join(ROOT, 'cdk.out', 'judges.lock');
const INPUTS = ['src', 'examples', path.join('test', 'apps'), path.join('test', 'judges', 'synth'), 'package-lock.json'];
const LOCK_WAIT_MS = 15 * 60_000;

/** Every app, synthesized (or read from the cache), with its templates. */
export function synthesizedApps(): SynthesizedApp[] {
  const key = inputsKey();
  let index = readIndex(key);
  if (!index) {
    withLock(() => {
      index = readIndex(key) ?? synthesizeAll(key);
    });
  }
  return index!.apps.map((app) => ({
    ...app,
    stacks: app.stacks.map((s) => ({ ...s, template: JSON.parse(fs.readFileSync(s.templateFile, 'utf8')) })),
  }));
}

function synthesizeAll(key: string): SynthesisIndex {
  const assets = path.join(ROOT, 'assets', 'lambda-src');
  if (!fs.existsSync(assets)) {
    throw new Error(`The Lambda bundles are missing (${assets}): run \`npx projen bundle\` (npm test does it first).`);
  }
  fs.rmSync(JUDGES_OUTDIR, { recursive: true, force: true });
  fs.mkdirSync(JUDGES_OUTDIR, { recursive: true });
  const run = spawnSync(process.execPath, [
    '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'synthesize-apps.ts'), JUDGES_OUTDIR, key,
  ], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'), CDK_VALIDATION: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const index = readIndex(key);
  if (!index) {
    throw new Error(`Synthesizing the apps for the judges failed (exit ${run.status}):\n${run.stderr}`);
  }
  return index;
}

function readIndex(key: string): SynthesisIndex | undefined {
  const file = path.join(JUDGES_OUTDIR, 'index.json');
  if (!fs.existsSync(file)) return undefined;
  const index = JSON.parse(fs.readFileSync(file, 'utf8')) as SynthesisIndex;
  return index.key === key ? index : undefined;
}

/** A hash of every file the synthesized templates depend on. */
function inputsKey(): string {
  const hash = crypto.createHash('sha256');
  const visit = (rel: string) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const child of fs.readdirSync(abs).sort()) visit(path.join(rel, child));
    } else {
      hash.update(rel).update('\0').update(fs.readFileSync(abs)).update('\0');
    }
  };
  INPUTS.forEach(visit);
  hash.update(process.version).update(ROOT);
  return hash.digest('hex');
}

/** Runs `fn` while holding cdk.out/judges.lock; a lock whose owner process is gone is taken over. */
function withLock(fn: () => void): void {
  fs.mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'owner'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (!lockOwnerAlive()) {
        fs.rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Waited ${LOCK_WAIT_MS / 60_000} min for ${LOCK_DIR}; remove it if no synthesis is running.`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function lockOwnerAlive(): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(LOCK_DIR, 'owner'), 'utf8'));
  } catch {
    // The owner has created the folder but not yet written its pid (or died in between).
    try {
      return Date.now() - fs.statSync(LOCK_DIR).mtimeMs < 60_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
