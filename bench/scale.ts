/**
 * Issue 12.5: synth time, template bytes and resource count as one dimension grows
 * with the others fixed (bench/apps/scale.ts builds each point), and where a
 * CloudFormation, IAM or service limit would be crossed (support/limits.ts) or
 * the library throws.
 *
 * Each point is synthesized BENCH_SCALE_RUNS times (default 3) in a fresh process
 * with validation off; the template figures come from the last run (synthesis is
 * deterministic). Workload stacks (tagged tables a user owns) are left out of the
 * template figures; every other stack counts.
 */
import { compiledApp } from './support/compile-apps';
import { intKnob, QUICK } from './support/knobs';
import { LimitFinding, checkLimits, worstPerLimit } from './support/limits';
import { readPart, readResults, writePart } from './support/results';
import { summarize, Summary } from './support/stats';
import { synthApp } from './support/synth-app';

const RUNS = intKnob('BENCH_SCALE_RUNS', 3, 1);

/** Points of each curve (issue 12.5). Quick runs keep the two smallest. */
const CURVES: Record<string, { label: string; points: number[] }> = {
  'tagged': { label: 'resources selected by tag', points: [1, 10, 100, 1000] },
  'protect-each': { label: 'resources protect()ed, one call each', points: [1, 10, 100, 1000] },
  'protect-once': { label: 'resources protect()ed in one call', points: [1, 10, 100, 1000] },
  'tenants': { label: 'landing-storage tenants', points: [1, 10, 100, 1000, 10000] },
  'tiers': { label: 'tiers', points: [1, 2, 5, 10] },
  'buckets': { label: 'replicated buckets (CrossRegionDr)', points: [1, 10, 50] },
  'rds': { label: 'RDS read replicas (CrossRegionDr)', points: [1, 5, 20] },
  'aurora': { label: 'Aurora global clusters (CrossRegionDr)', points: [1, 5, 20] },
};

export interface ScalePoint {
  readonly n: number;
  readonly synthSeconds?: Summary;
  readonly peakRssMiB?: Summary;
  /** Every stack but the Workload* ones. */
  readonly stacks?: Array<{ name: string; resources: number; templateBytes: number }>;
  readonly totalResources?: number;
  readonly largestStackResources?: number;
  readonly largestTemplateBytes?: number;
  /** Limits crossed. */
  readonly exceeded?: LimitFinding[];
  /** The closest approach to each limit. */
  readonly worst?: LimitFinding[];
  /** The library's (or CloudFormation's) error when the point does not synthesize. */
  readonly error?: string;
}

export interface ScaleResult {
  readonly method: string;
  readonly runs: number;
  readonly curves: Record<string, { label: string; points: ScalePoint[] }>;
}

async function main(): Promise<void> {
  const app = compiledApp('bench/apps/scale.ts');
  const only = process.env.BENCH_SCALE_ONLY?.split(',');
  const curves: ScaleResult['curves'] = {};
  for (const [dimension, curve] of Object.entries(CURVES)) {
    if (only && !only.includes(dimension)) continue;
    const points: ScalePoint[] = [];
    for (const n of QUICK ? curve.points.slice(0, 2) : curve.points) {
      const walls: number[] = [];
      const rss: number[] = [];
      let last;
      for (let r = 0; r < RUNS; r++) {
        last = await synthApp(app, {
          validation: false,
          env: { BENCH_SCALE_DIMENSION: dimension, BENCH_SCALE_N: String(n) },
          timeoutMs: 900_000,
        });
        if (last.error) break;
        walls.push(last.measurement.wallSeconds);
        rss.push(last.measurement.peakRssMiB);
      }
      if (!last || last.error) {
        points.push({ n, error: last?.error ?? 'not run' });
        console.log(`scale ${dimension} n=${n}: FAILED ${last?.error}`);
        continue;
      }
      const counted = last.stacks.filter((s) => !s.name.startsWith('Workload'));
      const findings = checkLimits(counted);
      const point: ScalePoint = {
        n,
        synthSeconds: summarize(walls),
        peakRssMiB: summarize(rss),
        stacks: counted.map((s) => ({ name: s.name, resources: Object.keys(s.template.Resources ?? {}).length, templateBytes: s.templateBytes })),
        totalResources: counted.reduce((t, s) => t + Object.keys(s.template.Resources ?? {}).length, 0),
        largestStackResources: Math.max(...counted.map((s) => Object.keys(s.template.Resources ?? {}).length)),
        largestTemplateBytes: Math.max(...counted.map((s) => s.templateBytes)),
        exceeded: findings.filter((f) => f.exceeded && f.limit !== 'templateBytesDirect'),
        worst: worstPerLimit(findings),
      };
      points.push(point);
      console.log(`scale ${dimension} n=${n}: ${point.synthSeconds!.median.toFixed(2)} s, ${point.totalResources} resources `
        + `(largest stack ${point.largestStackResources}), largest template ${(point.largestTemplateBytes! / 1024).toFixed(0)} KiB`
        + (point.exceeded!.length ? `, LIMITS CROSSED: ${point.exceeded!.map((f) => `${f.limit} ${f.value}/${f.max} @${f.stack}${f.resource ? '/' + f.resource : ''}`).join('; ')}` : ''));
    }
    curves[dimension] = { label: curve.label, points };
  }
  const result: ScaleResult = {
    method: `each point synthesized ${RUNS}× (validation off) in a fresh process from esbuild-transpiled JavaScript; `
      + 'template figures exclude the Workload* stacks of the tag-selection curve; limits from bench/support/limits.ts',
    runs: RUNS,
    curves,
  };
  // A partial run (BENCH_SCALE_ONLY) replaces its curves in the last full result, keeping the others.
  const previous = readPart<ScaleResult>('scale') ?? readResults()?.scale;
  const merged = only && previous ? { ...result, curves: { ...previous.curves, ...curves } } : result;
  console.log(`wrote ${writePart('scale', merged)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
