/**
 * Issue 12.3: synthesis of the library's SOX estate against the same estate
 * written by hand (bench/peer/), and against the floor (one empty stack).
 *
 * Method: each app is transpiled to JavaScript once and synthesized with `node
 * app.js` in a fresh process; wall time comes from the parent's clock, CPU and peak
 * RSS from GNU time. After one untimed warm-up of each app, every round runs floor,
 * ours and peer (ours/peer order swapped every round) with aws-cdk-lib's built-in
 * template validation off (CDK_VALIDATION=false) and then on. BENCH_RUNS rounds
 * (default 5). Reported: median and min–max per app; ratios of medians; the paired
 * per-round ratio ours/peer; cost per resource above the floor.
 */
import { compiledApp } from './support/compile-apps';
import { RUNS } from './support/knobs';
import { writePart } from './support/results';
import { median, ratio, summarize, Summary } from './support/stats';
import { synthApp } from './support/synth-app';
import { judge, pairedPerResourceRatio } from './support/synth-stats';

const APPS = {
  floor: 'bench/apps/empty.ts',
  ours: 'bench/apps/sox-ours.ts',
  peer: 'bench/peer/app.ts',
} as const;
type AppName = keyof typeof APPS;
const MODES = [{ name: 'validationOff', validation: false }, { name: 'validationOn', validation: true }] as const;

interface AppRuns { wall: number[]; rss: number[]; cpu: number[]; resources: number; stacks: number }

export interface SynthModeResult {
  readonly apps: Record<AppName, { wallSeconds: Summary; peakRssMiB: Summary; cpuSeconds: Summary; resources: number; stacks: number }>;
  readonly oursOverPeer: { wall: number; peakRss: number; cpu: number; pairedWall: Summary; pairedRss: Summary };
  /** Seconds and MiB per resource above the floor, and ours/peer of each. */
  readonly perResourceAboveFloor: {
    oursWallMs: number;
    peerWallMs: number;
    wallRatio: number;
    oursRssMiB: number;
    peerRssMiB: number;
    rssRatio: number;
  };
}

export interface SynthVsPeerResult {
  readonly method: string;
  readonly runs: number;
  readonly modes: Record<string, SynthModeResult>;
  readonly goals: Array<{ goal: string; target: string; measured: string; met: boolean }>;
}

async function main(): Promise<void> {
  const js = Object.fromEntries(Object.entries(APPS).map(([k, v]) => [k, compiledApp(v)])) as Record<AppName, string>;
  const runs: Record<string, Record<AppName, AppRuns>> = {};
  for (const mode of MODES) {
    runs[mode.name] = { floor: newRuns(), ours: newRuns(), peer: newRuns() };
  }

  console.log('synth vs peer: warm-up (not measured)');
  for (const app of Object.keys(APPS) as AppName[]) await synthApp(js[app], { validation: false });

  for (let round = 0; round < RUNS; round++) {
    const order: AppName[] = round % 2 === 0 ? ['floor', 'ours', 'peer'] : ['floor', 'peer', 'ours'];
    for (const mode of MODES) {
      for (const app of order) {
        const run = await synthApp(js[app], { validation: mode.validation });
        if (run.error) throw new Error(`${app} failed to synthesize: ${run.error}`);
        const r = runs[mode.name][app];
        r.wall.push(run.measurement.wallSeconds);
        r.rss.push(run.measurement.peakRssMiB);
        r.cpu.push(run.measurement.userSeconds + run.measurement.systemSeconds);
        r.resources = run.stacks.reduce((n, s) => n + Object.keys(s.template.Resources ?? {}).length, 0);
        r.stacks = run.stacks.length;
        console.log(`  round ${round + 1}/${RUNS} ${mode.name.padEnd(13)} ${app.padEnd(5)} ${run.measurement.wallSeconds.toFixed(2)} s `
          + `${run.measurement.peakRssMiB.toFixed(0)} MiB (${r.resources} resources, ${r.stacks} stacks)`);
      }
    }
  }

  const modes: Record<string, SynthModeResult> = {};
  for (const mode of MODES) modes[mode.name] = summarizeMode(runs[mode.name]);
  const off = modes.validationOff;
  const on = modes.validationOn;
  const goals = [
    ...[['validation off', off], ['validation on', on]].map(([label, mode]) => {
      const m = mode as SynthModeResult;
      const paired = pairedPerResourceRatio(m.apps.floor, m.apps.ours, m.apps.peer);
      return {
        goal: `synth per resource above the floor, ours/peer (${label})`,
        target: '≤ 0.90',
        measured: `${m.perResourceAboveFloor.wallRatio.toFixed(2)} (ratio of medians)`,
        // Judged on the ratio paired by round: met or missed only when every round agrees.
        met: judge(paired, 0.9) === 'met',
      };
    }),
    {
      goal: 'whole-process wall time, ours/peer (validation off)',
      target: '≤ 1.25',
      measured: off.oursOverPeer.wall.toFixed(2),
      met: off.oursOverPeer.wall <= 1.25,
    },
  ];
  const result: SynthVsPeerResult = {
    method: 'node on esbuild-transpiled apps, fresh process per synth, wall from the parent clock, CPU and peak RSS from GNU time (%U+%S, %M); '
      + `one warm-up, then ${RUNS} rounds alternating ours/peer order, validation off (CDK_VALIDATION=false) then on`,
    runs: RUNS,
    modes,
    goals,
  };
  console.log(`wrote ${writePart('synth', result)}`);
}

function newRuns(): AppRuns {
  return { wall: [], rss: [], cpu: [], resources: 0, stacks: 0 };
}

function summarizeMode(r: Record<AppName, AppRuns>): SynthModeResult {
  const apps = Object.fromEntries((Object.keys(r) as AppName[]).map((app) => [app, {
    wallSeconds: summarize(r[app].wall),
    peakRssMiB: summarize(r[app].rss),
    cpuSeconds: summarize(r[app].cpu),
    resources: r[app].resources,
    stacks: r[app].stacks,
  }])) as SynthModeResult['apps'];
  const m = (app: AppName, key: 'wall' | 'rss' | 'cpu') => median(r[app][key]);
  const paired = (key: 'wall' | 'rss') => summarize(r.ours[key].map((v, i) => v / r.peer[key][i]));
  const perResource = (app: AppName, key: 'wall' | 'rss') => (m(app, key) - m('floor', key)) / (r[app].resources - r.floor.resources);
  const oursWall = perResource('ours', 'wall');
  const peerWall = perResource('peer', 'wall');
  const oursRss = perResource('ours', 'rss');
  const peerRss = perResource('peer', 'rss');
  return {
    apps,
    oursOverPeer: {
      wall: ratio(m('ours', 'wall'), m('peer', 'wall')),
      peakRss: ratio(m('ours', 'rss'), m('peer', 'rss')),
      cpu: ratio(m('ours', 'cpu'), m('peer', 'cpu')),
      pairedWall: paired('wall'),
      pairedRss: paired('rss'),
    },
    perResourceAboveFloor: {
      oursWallMs: oursWall * 1000,
      peerWallMs: peerWall * 1000,
      wallRatio: ratio(oursWall, peerWall),
      oursRssMiB: oursRss,
      peerRssMiB: peerRss,
      rssRatio: ratio(oursRss, peerRss),
    },
  };
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
