import * as fs from 'fs';
import * as path from 'path';
import { COST_END, COST_START, renderCostTable, withCostTable } from '../../bench/readme-cost-table';

const ROOT = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8'));

test('the README\'s cost table is the one rendered from bench/results.json', () => {
  const block = readme.slice(readme.indexOf(COST_START), readme.indexOf(COST_END) + COST_END.length);
  // If this fails after a benchmark run: npm run bench (or: npx ts-node --transpile-only bench/readme-cost-table.ts --write)
  expect(block).toEqual(renderCostTable(results));
});

test('the table has a row per example app and the small-team case, with the measured figures', () => {
  const table = renderCostTable(results);
  for (const entry of results.footprint.entries.filter((e: { app: string }) => !e.app.startsWith('peer'))) {
    const row = table.split('\n').find((l) => l.startsWith(`| ${entry.app} |`));
    expect(row).toContain(`| ${entry.estate.counts.resources} | ${entry.estate.counts.kmsKeys} | $${entry.estate.cost.verifiedMonthly.toFixed(2)} |`);
  }
});

test('replacing the block keeps the rest of the README', () => {
  const replaced = withCostTable(`before\n${COST_START}\nold\n${COST_END}\nafter`, `${COST_START}\nnew\n${COST_END}`);
  expect(replaced).toBe(`before\n${COST_START}\nnew\n${COST_END}\nafter`);
});
