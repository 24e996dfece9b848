import * as fs from 'fs';
import * as path from 'path';

/*
 * The README's "What it costs" table, rendered from bench/results.json (the footprint
 * benchmark, BENCHMARKS.md section 2). The README holds it between the markers below;
 * `npx ts-node --transpile-only bench/readme-cost-table.ts --write` regenerates it after the
 * benchmark runs, and test/readme/cost-table.test.ts fails while the two differ.
 */

export const COST_START = '<!-- bench:cost:start -->';
export const COST_END = '<!-- bench:cost:end -->';

interface FootprintEntry {
  readonly app: string;
  readonly source?: string;
  readonly estate: {
    readonly counts: { readonly stacks: number; readonly resources: number; readonly kmsKeys: number };
    readonly cost: {
      readonly verifiedMonthly: number;
      readonly allPricedMonthly: number;
      readonly verifiedMonthlyYear3: number;
      /** Counted but not priced, as `N × item`. */
      readonly unpriced: string[];
    };
  };
}

const dollars = (n: number) => `$${n.toFixed(2)}`;

export function renderCostTable(results: {
  machine: { gitCommit: string; date: string };
  footprint: { pricesChecked: string; entries: FootprintEntry[] };
}): string {
  const rows = results.footprint.entries
    .filter((e) => !e.app.startsWith('peer'))
    .map((e) => {
      const { counts, cost } = e.estate;
      const unpriced = cost.unpriced.join('; ') || '—';
      return `| ${e.app} | ${counts.stacks} | ${counts.resources} | ${counts.kmsKeys} | ${dollars(cost.verifiedMonthly)} `
        + `| ${dollars(cost.allPricedMonthly)} | ${dollars(cost.verifiedMonthlyYear3)} | ${unpriced} |`;
    });
  return [
    COST_START,
    '<!-- generated from bench/results.json by bench/readme-cost-table.ts: do not edit by hand -->',
    `Fixed monthly cost of what each app's backup setup deploys, at us-east-1 list prices checked ${results.footprint.pricesChecked}, `
      + `variable costs (storage, requests, jobs) excluded; measured on commit ${results.machine.gitCommit} (${results.machine.date.slice(0, 10)}):`,
    '',
    '| app | stacks | resources | KMS keys | fixed monthly | incl. unverified prices | year 3 (rotated keys) | counted, not priced |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    COST_END,
  ].join('\n');
}

/** The README with its cost block replaced by `table`. */
export function withCostTable(readme: string, table: string): string {
  const start = readme.indexOf(COST_START);
  const end = readme.indexOf(COST_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${COST_START} ... ${COST_END} block`);
  return readme.slice(0, start) + table + readme.slice(end + COST_END.length);
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const results = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'results.json'), 'utf8'));
  const readmeFile = path.join(root, 'README.md');
  const table = renderCostTable(results);
  if (process.argv.includes('--write')) fs.writeFileSync(readmeFile, withCostTable(fs.readFileSync(readmeFile, 'utf8'), table));
  else console.log(table);
}
