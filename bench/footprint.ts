/**
 * Issue 12.4: the footprint of every example app, of the "small team" default and
 * of the hand-written SOX peer, counted from the synthesized templates, with the
 * fixed monthly cost at the list prices of bench/prices.json (variable costs are
 * listed there, never added in).
 *
 * "Estate" is what the backup setup itself deploys (the library's constructs, or
 * for the peer everything but the application's table); "app" is the whole app.
 * Each app is synthesized once with validation off; the examples run as they are,
 * with their compliance packs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { allResources } from './support/cloud-assembly';
import { compiledApp } from './support/compile-apps';
import { Footprint, SCHEDULED_ASSUMPTIONS, estateResources, footprint, loadPrices } from './support/footprint-model';
import { LimitFinding, checkLimits, worstPerLimit } from './support/limits';
import { ROOT } from './support/paths';
import { writePart } from './support/results';
import { synthApp } from './support/synth-app';

/** Construct ids under which the examples and bench apps create the library's constructs. */
const LIBRARY_IDS = new Set(['Backups', 'Dr', 'Vault', 'IsolatedVault', 'RecoveryVault', 'BackupPolicy', 'RestoreTesting']);
const libraryEstate = (segments: string[], stack: string) => /-Dr(Foundation|Recovery)$/.test(stack) || LIBRARY_IDS.has(segments[1]);

interface AppSpec { name: string; source: string; estate: (segments: string[], stack: string) => boolean; peerOf?: string }

function apps(): AppSpec[] {
  const examples = fs.readdirSync(path.join(ROOT, 'examples'))
    .filter((d) => fs.existsSync(path.join(ROOT, 'examples', d, 'app.ts')))
    .sort()
    .map((d) => ({ name: d, source: `examples/${d}/app.ts`, estate: libraryEstate }));
  return [
    { name: 'small-team', source: 'bench/apps/small-team.ts', estate: libraryEstate },
    ...examples,
    { name: 'peer: sox-backup-estate by hand', source: 'bench/peer/app.ts', estate: (s) => s[1] !== 'Ledger', peerOf: 'sox-backup-estate' },
  ];
}

export interface FootprintEntry {
  readonly app: string;
  readonly source: string;
  readonly peerOf?: string;
  readonly estate: Footprint;
  readonly wholeApp: Footprint;
  readonly limits: LimitFinding[];
  readonly error?: string;
}

export interface FootprintResult {
  readonly method: string;
  readonly assumptions: typeof SCHEDULED_ASSUMPTIONS;
  readonly pricesChecked: string;
  readonly entries: FootprintEntry[];
  readonly goals: Array<{ goal: string; target: string; measured: string; met: boolean }>;
}

async function main(): Promise<void> {
  const entries: FootprintEntry[] = [];
  for (const spec of apps()) {
    const run = await synthApp(compiledApp(spec.source), { validation: false, keep: true, timeoutMs: 600_000 });
    if (run.error) {
      console.log(`footprint ${spec.name}: did not synthesize: ${run.error}`);
      const empty = footprint([], 0);
      entries.push({ app: spec.name, source: spec.source, peerOf: spec.peerOf, estate: empty, wholeApp: empty, limits: [], error: run.error });
      continue;
    }
    const estate = estateResources(run.stacks, spec.estate);
    const estateStacks = new Set(estate.map((r) => r.stack.name)).size;
    const entry: FootprintEntry = {
      app: spec.name,
      source: spec.source,
      peerOf: spec.peerOf,
      estate: footprint(estate, estateStacks),
      wholeApp: footprint(allResources(run.stacks), run.stacks.length),
      limits: worstPerLimit(checkLimits(run.stacks)),
    };
    fs.rmSync(run.outdir, { recursive: true, force: true });
    entries.push(entry);
    console.log(`footprint ${spec.name}: ${entry.estate.counts.resources} estate resources of ${entry.wholeApp.counts.resources}, `
      + `${entry.estate.counts.kmsKeys} keys, ${entry.estate.counts.alarms} alarms, $${entry.estate.cost.verifiedMonthly.toFixed(2)}/month verified fixed`);
  }
  const small = entries.find((e) => e.app === 'small-team');
  const goals = small ? [{
    goal: 'small-team default, fixed monthly cost (year 1, verified prices)',
    target: '< $5.00',
    measured: `$${small.estate.cost.verifiedMonthly.toFixed(2)}`,
    met: small.estate.cost.verifiedMonthly < 5,
  }] : [];
  const result: FootprintResult = {
    method: 'each app synthesized once (validation off) from esbuild-transpiled JavaScript; counts from the templates; '
      + 'estate = resources whose aws:cdk:path is under the library constructs (Backups, Dr, Vault, IsolatedVault, RecoveryVault, BackupPolicy, RestoreTesting) or in the DR stacks',
    assumptions: SCHEDULED_ASSUMPTIONS,
    pricesChecked: String(loadPrices().checked),
    entries,
    goals,
  };
  console.log(`wrote ${writePart('footprint', result)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
