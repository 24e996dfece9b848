/**
 * Runs one command as a fresh process and measures it from outside: wall time
 * (the parent's monotonic clock around spawn → exit), user and system CPU, and
 * peak resident memory (GNU time's %M, the kernel's ru_maxrss of the child).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const GNU_TIME = '/usr/bin/time';

export interface ProcessMeasurement {
  readonly wallSeconds: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
  /** Peak resident set size of the process, in MiB. */
  readonly peakRssMiB: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface MeasureOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the process after this long (it then counts as failed). */
  readonly timeoutMs?: number;
}

export function assertGnuTime(): void {
  if (!fs.existsSync(GNU_TIME)) {
    throw new Error(`${GNU_TIME} is missing: the benchmarks read peak memory from GNU time (Debian package 'time')`);
  }
}

export async function measureProcess(command: string, args: readonly string[], options: MeasureOptions = {}): Promise<ProcessMeasurement> {
  assertGnuTime();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-time-'));
  const timeFile = path.join(dir, 'time.txt');
  try {
    const started = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, command, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    if (timer) clearTimeout(timer);
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    // GNU time writes "Command exited with non-zero status N" first when the command fails.
    const lines = fs.existsSync(timeFile) ? fs.readFileSync(timeFile, 'utf8').trim().split('\n') : [];
    const [user, system, maxRssKiB] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    return {
      wallSeconds,
      userSeconds: user,
      systemSeconds: system,
      peakRssMiB: maxRssKiB / 1024,
      exitCode,
      stdout,
      stderr,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
