/**
 * Renders bench/results.json: the console summary, the SVG plots in bench/plots/,
 * and the generated sections of BENCHMARKS.md (between `<!-- bench:NAME:start -->`
 * and `<!-- bench:NAME:end -->`; everything outside the markers is prose kept as
 * written). Run alone to re-render without measuring: `ts-node bench/report.ts`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderCostTable, withCostTable } from './readme-cost-table';
import { PLOTS_DIR, RESULTS_FILE, ROOT } from './support/paths';
import { formatSummary } from './support/stats';
import { Panel, svgChart } from './support/svg-plot';
import { judge, pairedPerResourceRatio } from './support/synth-stats';
import { Row, bytes, fixed, int, markdownTable, textTable } from './support/table';

type Results = Record<string, any>;
interface Section { title: string; header: Row; rows: Row[]; notes?: string[] }

const yes = (met: boolean) => (met ? 'met' : 'MISSED');
const money = (n: number | null | undefined) => (n === null || n === undefined || !Number.isFinite(n) ? 'n/a' : `$${n.toFixed(2)}`);

/** Per-resource synth goals are judged from the ratio paired by round (support/synth-stats.ts). */
function synthPerResourceStatus(r: Results, g: any): string | undefined {
  if (!/per resource above the floor/.test(g.goal ?? '')) return undefined;
  const mode = r.synth?.modes?.[/validation on/.test(g.goal) ? 'validationOn' : 'validationOff'];
  if (!mode) return undefined;
  const paired = pairedPerResourceRatio(mode.apps.floor, mode.apps.ours, mode.apps.peer);
  const verdict = judge(paired, 0.9);
  return `${verdict === 'met' ? 'met' : verdict === 'missed' ? 'MISSED' : 'inconclusive'}: paired per round ${formatSummary(paired)}`;
}

export function sections(r: Results): Record<string, Section[]> {
  const out: Record<string, Section[]> = {};
  const m = r.machine;
  if (m) {
    out.machine = [{
      title: 'Machine',
      header: ['what', 'value'],
      rows: [
        ['CPUs (nproc)', String(m.cpus)], ['CPU model', m.cpuModel], ['memory', `${m.memoryGiB} GiB`], ['Node.js', m.node],
        ['OS', m.platform], ['load average at start (1, 5, 15 min)', m.loadAverageAtStart.join(', ')], ['run started', m.date],
        ['commit', m.gitCommit ?? 'n/a'],
      ],
    }];
  }
  const goals: Row[] = [];
  for (const [area, data] of Object.entries(r)) {
    for (const g of data?.goals ?? []) goals.push([area, g.goal, g.target, g.measured, synthPerResourceStatus(r, g) ?? yes(g.met)]);
  }
  out.goals = [{ title: 'Goals', header: ['area', 'goal', 'target', 'measured', 'status'], rows: goals }];

  if (r.synth) {
    const s = r.synth;
    out.synth = Object.entries<any>(s.modes).map(([mode, d]) => ({
      title: `Synth, ${mode === 'validationOff' ? 'built-in validation off (CDK_VALIDATION=false)' : 'built-in validation on (default)'} — ${s.runs} runs, median (min–max)`,
      header: ['app', 'stacks', 'resources', 'wall s', 'peak RSS MiB', 'CPU s'],
      rows: Object.entries<any>(d.apps).map(([app, a]) => [
        app === 'floor' ? 'floor (one empty stack)' : app === 'ours' ? 'ours (library SOX estate)' : 'peer (hand-written)',
        String(a.stacks), String(a.resources), formatSummary(a.wallSeconds), formatSummary(a.peakRssMiB, 0), formatSummary(a.cpuSeconds),
      ]),
      notes: [
        `ours/peer, medians: wall ${fixed(d.oursOverPeer.wall)}×, peak RSS ${fixed(d.oursOverPeer.peakRss)}×, CPU ${fixed(d.oursOverPeer.cpu)}×; `
        + `paired per round: wall ${formatSummary(d.oursOverPeer.pairedWall)}, RSS ${formatSummary(d.oursOverPeer.pairedRss)}`,
        `above the floor, per resource: ours ${fixed(d.perResourceAboveFloor.oursWallMs, 1)} ms and ${fixed(d.perResourceAboveFloor.oursRssMiB)} MiB, `
        + `peer ${fixed(d.perResourceAboveFloor.peerWallMs, 1)} ms and ${fixed(d.perResourceAboveFloor.peerRssMiB)} MiB; `
        + `ours/peer ${fixed(d.perResourceAboveFloor.wallRatio)}× (time), ${fixed(d.perResourceAboveFloor.rssRatio)}× (memory)`,
      ],
    }));
  }

  if (r.footprint) {
    const entries: any[] = r.footprint.entries;
    const c = (e: any) => e.estate.counts;
    out.footprint = [
      {
        title: 'Footprint of the backup estate, counted from the templates (whole app in brackets)',
        header: ['app', 'stacks', 'resources', 'KMS keys', 'alarms', 'dash-boards', 'Lambda fns', 'log groups', 'Config recorders',
          'frameworks / controls', 'report plans', 'secrets', 'health checks', 'NAT / endpoint AZs', 'Region switch plans', 'DB instances',
          'queues', 'topics', 'buckets', 'roles / managed policies'],
        rows: entries.map((e) => e.error ? [e.app, `did not synthesize: ${e.error}`] : [
          e.app, `${c(e).stacks} (${e.wholeApp.counts.stacks})`, `${c(e).resources} (${e.wholeApp.counts.resources})`, String(c(e).kmsKeys),
          String(c(e).alarms), String(c(e).dashboards), String(c(e).lambdaFunctions), String(c(e).logGroups), String(c(e).configRecorders),
          `${c(e).frameworks} / ${c(e).controls}`, String(c(e).reportPlans), String(c(e).secrets), String(c(e).healthChecks),
          `${c(e).natGateways} / ${c(e).interfaceEndpointAzs}`, String(c(e).regionSwitchPlans),
          c(e).dbInstances ? `${c(e).dbInstances} (${e.estate.dbInstanceClasses.join(', ')})` : '0',
          String(c(e).sqsQueues), String(c(e).snsTopics), String(c(e).buckets), `${c(e).iamRoles} / ${c(e).iamManagedPolicies}`,
        ]),
      },
      {
        title: `Fixed monthly cost of the backup estate at us-east-1 list prices (bench/prices.json, checked ${r.footprint.pricesChecked}); variable costs excluded`,
        header: ['app', 'verified prices', 'incl. unverified prices', 'year 3 (keys rotated twice, verified)', 'counted but not priced', 'largest lines'],
        rows: entries.filter((e) => !e.error).map((e) => [
          e.app, money(e.estate.cost.verifiedMonthly), money(e.estate.cost.allPricedMonthly), money(e.estate.cost.verifiedMonthlyYear3),
          e.estate.cost.unpriced.join('; ') || '—',
          [...e.estate.cost.lines].filter((l: any) => l.monthly !== null).sort((a: any, b: any) => b.monthly - a.monthly).slice(0, 3)
            .map((l: any) => `${l.item} ${l.quantity}× = ${money(l.monthly)}`).join('; '),
        ]),
        notes: [
          `Scheduled work is fixed cost too: custom metrics published every run (catalog reconciler ${r.footprint.assumptions.reconcilerMetrics} per catalog, `
          + `readiness ${r.footprint.assumptions.readinessBaseMetrics}+ per DR) and scheduled Lambda runs at an assumed ${r.footprint.assumptions.secondsPerRun} s each.`,
        ],
      },
    ];
    const ours = entries.find((x) => x.app === 'sox-backup-estate' && !x.error);
    const peer = entries.find((x) => x.peerOf === 'sox-backup-estate' && !x.error);
    if (ours && peer) {
      const o = ours.estate;
      const p = peer.estate;
      out.footprint[1].notes!.push(`sox-backup-estate against its hand-written peer: ${o.counts.resources} vs ${p.counts.resources} resources `
        + `(${fixed(o.counts.resources / p.counts.resources)}×), ${o.counts.kmsKeys} vs ${p.counts.kmsKeys} KMS keys, ${o.counts.alarms} vs ${p.counts.alarms} alarms, `
        + `${o.counts.lambdaFunctions} vs ${p.counts.lambdaFunctions} Lambda functions, ${money(o.cost.verifiedMonthly)} vs ${money(p.cost.verifiedMonthly)} a month `
        + `(${fixed(o.cost.verifiedMonthly / p.cost.verifiedMonthly)}×).`);
    }
    const costLines = (e: any) => ({
      title: `Cost lines: ${e.app}`,
      header: ['item', 'quantity', 'unit price', 'monthly', 'price check', 'note'],
      rows: e.estate.cost.lines.map((l: any) => [l.item, int(l.quantity), l.unitPrice === null ? 'n/a' : `$${l.unitPrice}`, money(l.monthly), l.verification, l.note ?? '']),
    });
    for (const name of ['small-team', 'sox-backup-estate', 'peer: sox-backup-estate by hand']) {
      const e = entries.find((x) => x.app === name && !x.error);
      if (e) out.footprint.push(costLines(e));
    }
    const limitRows: Row[] = [];
    for (const e of entries) for (const f of e.limits ?? []) if (f.usage >= 0.5 && f.limit !== 'templateBytesDirect') limitRows.push([e.app, f.what, `${f.stack}${f.resource ? ` / ${f.resource}` : ''}`, `${int(f.value)} / ${int(f.max)}${f.estimated ? ' (est.)' : ''}`, `${Math.round(f.usage * 100)}%`]);
    out.footprint.push({ title: 'Example apps at 50% or more of a limit', header: ['app', 'limit', 'where', 'value / max', 'usage'], rows: limitRows });
  }

  if (r.scale) {
    const rows: Row[] = [];
    for (const [dim, curve] of Object.entries<any>(r.scale.curves)) {
      for (const p of curve.points) {
        rows.push(p.error ? [curve.label, int(p.n), 'THROWS', '', '', '', p.error] : [
          curve.label, int(p.n), formatSummary(p.synthSeconds), int(p.totalResources), int(p.largestStackResources), bytes(p.largestTemplateBytes),
          p.exceeded.length ? p.exceeded.map((f: any) => `${f.what}: ${int(f.value)} > ${int(f.max)} (${f.stack}${f.resource ? `/${f.resource}` : ''})`).join('; ') : '—',
        ]);
      }
      void dim;
    }
    out.scale = [{
      title: `Scale — synth time median (min–max) of ${r.scale.runs} runs, validation off; template figures exclude the user's workload stacks`,
      header: ['dimension', 'n', 'synth s', 'resources', 'largest stack', 'largest template', 'limits crossed / error'],
      rows,
    }];
  }

  if (r.verifier) {
    const rows: Row[] = [];
    for (const s of r.verifier.sizes) {
      for (const [mode, d] of Object.entries<any>(s.modes)) {
        rows.push(d.skipped ? [bytes(s.sizeBytes), mode, d.skipped, '', '', ''] : [
          bytes(s.sizeBytes), mode, mode === 'verifier-stored' ? `${formatSummary(d.seconds, 3)} s` : formatSummary(d.mibPerSecond, 1),
          formatSummary(d.peakRssMiB, 0), int(d.bodyBytesRead.median), d.allCorrect ? 'yes' : 'NO',
        ]);
      }
      rows.push([bytes(s.sizeBytes), 'verifier / slower limit', fixed(s.verifierOverSlowerLimit), '', '', '']);
    }
    out.verifier = [{
      title: `Verifier against s3rver — ${r.verifier.runs} runs per size, median (min–max); disk: ${r.verifier.diskFree}`,
      header: ['object', 'mode', 'MiB/s (stored: seconds)', 'peak RSS MiB', 'body bytes read', 'correct'],
      rows,
      notes: ['verifier = the handler, no stored checksum (streams and hashes); verifier-stored = the handler when S3 returns a stored SHA-256 '
        + '(HeadObject only); naive = GetObject, buffer, hash; discard = read limit; sha256 = hash limit (in memory).'],
    }];
  }

  if (r.catalog) {
    out.catalog = [{
      title: 'Catalog burst against dynalite — median (min–max) over runs',
      header: ['events', 'jobs', 'runs', 'events/s', 'seconds', 'DynamoDB requests/event', 'requests by operation (last run)',
        'lost', 'duplicated', 'wrong state', 'failed 1st time / redelivered / dead-lettered'],
      rows: r.catalog.sizes.map((s: any) => [
        int(s.events), int(s.jobs), String(s.runs), formatSummary(s.eventsPerSecond, 0), formatSummary(s.seconds, 1),
        formatSummary(s.requestsPerEvent), JSON.stringify(s.requestsByOperation), String(s.lost), String(s.duplicated),
        String(s.wrongState), `${s.firstPassFailures ?? s.batchItemFailures} / ${s.redeliveries ?? 'n/a'} / ${s.deadLettered ?? 'n/a'}`,
      ]),
    }];
  }

  if (r['cold-start']) {
    out['cold-start'] = [{
      title: `Handler bundles — init time median (min–max) of ${r['cold-start'].runs} fresh processes`,
      header: ['handler', 'raw', 'zipped', 'init ms', 'peak RSS MiB', '< 600 KB', '< 150 ms'],
      rows: r['cold-start'].entries.map((e: any) => [e.handler, `${(e.rawBytes / 1000).toFixed(0)} KB`, `${(e.zippedBytes / 1000).toFixed(0)} KB`,
        e.initMs ? formatSummary(e.initMs, 0) : `failed: ${e.error}`, e.peakRssMiB ? formatSummary(e.peakRssMiB, 0) : '', yes(e.sizeGoalMet), yes(e.initGoalMet)]),
    }];
  }

  if (r['dev-loop']) {
    out['dev-loop'] = [{
      title: `Developer loop (recorded ${r['dev-loop'].recorded})`,
      header: ['command', 'wall s', 'CPU s', 'exit', 'load before', 'summary'],
      rows: r['dev-loop'].entries.map((e: any) => [e.command, fixed(e.wallSeconds, 0), fixed(e.cpuSeconds, 0), String(e.exitCode), fixed(e.loadAverageBefore), e.summary.join(' | ')]),
    }];
  }

  if (r.organization) {
    // Hook for bench/organization-scale.ts: its own shape, shown as its top-level figures until it gets a table here.
    const flat = Object.entries<any>(r.organization).filter(([, v]) => v === null || typeof v !== 'object');
    out.organization = [{ title: 'Organization scale (bench/results-organization.json)', header: ['key', 'value'], rows: flat.map(([k, v]) => [k, String(v)]) }];
  }
  return out;
}

export function plots(r: Results): string[] {
  fs.mkdirSync(PLOTS_DIR, { recursive: true });
  const written: string[] = [];
  const write = (name: string, panels: Panel[]) => {
    const file = path.join(PLOTS_DIR, name);
    fs.writeFileSync(file, svgChart(panels));
    written.push(path.relative(ROOT, file));
  };
  if (r.scale) {
    for (const [dim, curve] of Object.entries<any>(r.scale.curves)) {
      const ok = curve.points.filter((p: any) => !p.error);
      const logX = Math.max(...curve.points.map((p: any) => p.n)) / Math.min(...curve.points.map((p: any) => p.n)) >= 100;
      const series = (name: string, f: (p: any) => number) => [{ name, points: ok.map((p: any) => [p.n, f(p)] as [number, number]) }];
      write(`scale-${dim}.svg`, [
        { title: `Synth time vs ${curve.label}`, xLabel: curve.label, yLabel: 'seconds (median)', logX, series: series('synth', (p) => p.synthSeconds.median) },
        { title: 'Resources, largest stack', xLabel: curve.label, yLabel: 'resources', logX, series: series('largest stack', (p) => p.largestStackResources), limit: { y: 500, label: '500 per stack' } },
        { title: 'Largest template', xLabel: curve.label, yLabel: 'KiB', logX, series: series('template', (p) => p.largestTemplateBytes / 1024), limit: { y: 1_000_000 / 1024, label: '1 MB (S3)' } },
      ]);
    }
  }
  if (r.verifier) {
    const modes = ['verifier', 'naive', 'discard', 'sha256'];
    const pts = (mode: string, f: (d: any) => number) => r.verifier.sizes.filter((s: any) => s.modes[mode] && !s.modes[mode].skipped)
      .map((s: any) => [s.sizeBytes / 1024 / 1024, f(s.modes[mode])] as [number, number]);
    write('verifier.svg', [
      { title: 'Throughput vs object size', xLabel: 'object MiB', yLabel: 'MiB/s (median)', logX: true, series: modes.map((m) => ({ name: m, points: pts(m, (d) => d.mibPerSecond.median) })) },
      { title: 'Peak RSS vs object size', xLabel: 'object MiB', yLabel: 'MiB (median)', logX: true, logY: true, series: [...modes, 'verifier-stored'].map((m) => ({ name: m, points: pts(m, (d) => d.peakRssMiB.median) })) },
    ]);
  }
  if (r.catalog) {
    write('catalog.svg', [{
      title: 'Catalog burst throughput',
      xLabel: 'events',
      yLabel: 'events/s (median)',
      logX: true,
      series: [{ name: 'events/s', points: r.catalog.sizes.map((s: any) => [s.events, s.eventsPerSecond.median] as [number, number]) }],
    }]);
  }
  return written;
}

/** Replaces the text between the markers of each section; a section without markers is appended. */
export function renderMarkdown(r: Results, plotFiles: string[], file = path.join(ROOT, 'BENCHMARKS.md')): void {
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const all = sections(r);
  all.plots = [];
  for (const [name, secs] of Object.entries(all)) {
    let body = secs.map((s) => [`**${s.title}**`, '', s.rows.length ? markdownTable(s.header, s.rows) : '_no rows_', ...(s.notes ?? []).map((n) => `\n${n}`)].join('\n')).join('\n\n');
    if (name === 'plots') body = plotFiles.map((p) => `![${path.basename(p, '.svg')}](${p})`).join('\n\n');
    const start = `<!-- bench:${name}:start -->`;
    const end = `<!-- bench:${name}:end -->`;
    const block = `${start}\n<!-- generated by bench/report.ts from bench/results.json: do not edit by hand -->\n${body}\n${end}`;
    const i = doc.indexOf(start);
    const j = doc.indexOf(end);
    doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  }
  fs.writeFileSync(file, doc);
  // The README's cost section is the same footprint figures, in a user's words.
  const readme = path.join(ROOT, 'README.md');
  if (r.footprint && fs.existsSync(readme)) fs.writeFileSync(readme, withCostTable(fs.readFileSync(readme, 'utf8'), renderCostTable(r as any)));
}

export function printSummary(r: Results): void {
  for (const secs of Object.values(sections(r))) {
    for (const s of secs) {
      console.log(`\n${s.title}\n${textTable(s.header, s.rows)}`);
      for (const n of s.notes ?? []) console.log(n);
    }
  }
}

if (require.main === module) {
  const results = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8'));
  const files = plots(results);
  renderMarkdown(results, files);
  printSummary(results);
}
