/**
 * Issue 12.9: how long the developer loop takes on this machine: `npm test` and
 * `npx projen build`, each once, wall time from the parent clock and peak RSS of
 * the largest process from GNU time. Long: the runner runs it only with
 * BENCH_DEVLOOP=1 and otherwise keeps the last recorded figures.
 */
import * as os from 'os';
import { measureProcess } from './support/measure-process';
import { ROOT } from './support/paths';
import { writePart } from './support/results';

const COMMANDS: Array<{ name: string; command: string; args: string[] }> = [
  { name: 'npm test', command: 'npm', args: ['test'] },
  { name: 'npx projen build', command: 'npx', args: ['projen', 'build'] },
];
const TEST_GOAL_SECONDS = 300;

async function main(): Promise<void> {
  const entries = [];
  for (const c of COMMANDS) {
    const loadBefore = os.loadavg()[0];
    const m = await measureProcess(c.command, c.args, { cwd: ROOT, env: { ...process.env, CI: 'true' }, timeoutMs: 3_600_000 });
    const tail = (m.stdout + m.stderr).split('\n').filter((l) => /Tests:|passed|failed|Time:/.test(l)).slice(-4);
    entries.push({
      command: c.name,
      wallSeconds: m.wallSeconds,
      cpuSeconds: m.userSeconds + m.systemSeconds,
      exitCode: m.exitCode,
      loadAverageBefore: loadBefore,
      summary: tail,
    });
    console.log(`${c.name}: ${m.wallSeconds.toFixed(0)} s wall, exit ${m.exitCode}; ${tail.join(' | ')}`);
  }
  const test = entries.find((e) => e.command === 'npm test')!;
  writePart('dev-loop', {
    method: 'each command once, from the repository root, CI=true; wall time from the parent clock',
    recorded: new Date().toISOString(),
    entries,
    goals: [{ goal: '`npm test` wall time', target: '< 300 s', measured: `${test.wallSeconds.toFixed(0)} s (exit ${test.exitCode})`, met: test.wallSeconds < TEST_GOAL_SECONDS && test.exitCode === 0 }],
  });
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
