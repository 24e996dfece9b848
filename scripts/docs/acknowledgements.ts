import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './rules';
import { synthesizedApps } from '../../test/judges/synth/synthesized-apps';

/**
 * Every acknowledged finding in the synthesized apps (the judges' cache of every
 * example and the coverage app): `Validations.of(x).acknowledge({ id, reason })` stores
 * `aws:cdk:acknowledged-rules` metadata on the construct, with the stack trace of the
 * call, which tells whether the library made it (a frame in src/) or the app did.
 * Only the library's are documented; account ids and regions of the example apps are
 * generalized, so one row stands for the same acknowledgement in every app.
 */

export interface Acknowledgement {
  readonly pack: string;
  readonly rule: string;
  /** The construct ids of the acknowledged resources (their last two), generalized. */
  readonly resources: string[];
  readonly reason: string;
  /** `src/<file> (<function>)`. */
  readonly madeIn: string;
  /** How many acknowledgements across the apps this row stands for. */
  readonly count: number;
}

const generalize = (s: string) => s
  .replace(/\b\d{12}\b/g, '<account>')
  .replace(/\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|southwest|northwest)-\d\b/g, '<region>')
  .replace(/<[A-Za-z0-9]+?[0-9A-F]{8}(\.[A-Za-z]+)?>/g, '<resource$1>')
  .replace(/\bdr-[0-9a-f]{10}\b/g, 'dr-<id>');

/** A construct id without its hash suffix (`Replication3068001A` -> `Replication`). */
const plainId = (id: string) => id.replace(/[0-9A-F]{8}$/, '');

function pack(id: string): { pack: string; rule: string } {
  const rule = id.replace(/^Annotation::/, '');
  if (rule.startsWith('cdk-validator-cfnguard::')) return { pack: 'AWS Control Tower (cfn-guard)', rule: rule.replace('cdk-validator-cfnguard::', '') };
  if (rule.startsWith('CloudFormation-Validate::')) return { pack: 'CloudFormation template validator', rule: rule.replace('CloudFormation-Validate::', '') };
  const nag = /^(AwsSolutions|HIPAA\.Security|NIST\.800\.53\.R5|PCI\.DSS\.321)-/.exec(rule);
  return { pack: nag ? `cdk-nag ${nag[1]}` : 'other', rule };
}

/**
 * Where the library made an acknowledgement: the first frame of the stack trace in src/,
 * past the shared helper that forwards acknowledgements (src/private/acknowledgements.ts).
 * Undefined when the app made it.
 */
function callSite(trace: string[]): { file: string; fn: string } | undefined {
  for (const line of trace) {
    const m = /at (?:(.+?) \()?(\/[^():]+):\d+:\d+\)?$/.exec(line.trim());
    if (!m) continue;
    const file = path.relative(ROOT, m[2]);
    if (file === path.join('src', 'private', 'acknowledgements.ts')) continue;
    if (!file.startsWith('src/')) return undefined;
    return { file, fn: m[1] && !m[1].startsWith('/') ? m[1] : '(anonymous)' };
  }
  return undefined;
}

function metadataFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort().flatMap((entry) => {
    const full = path.join(dir, entry);
    if (fs.statSync(full).isDirectory()) return metadataFiles(full);
    return entry.endsWith('.metadata.json') ? [full] : [];
  });
}

export function libraryAcknowledgements(): Acknowledgement[] {
  const rows = new Map<string, { pack: string; rule: string; resources: Set<string>; reasons: string[]; madeIn: string; count: number }>();
  for (const app of synthesizedApps()) {
    const dirs = [...new Set(app.stacks.map((s) => path.dirname(s.templateFile)))];
    for (const file of dirs.flatMap(metadataFiles)) {
      const metadata = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Array<{ type: string; data: any; trace?: string[] }>>;
      for (const [constructPath, entries] of Object.entries(metadata)) {
        for (const entry of entries.filter((e) => e.type === 'aws:cdk:acknowledged-rules')) {
          const site = callSite(entry.trace ?? []);
          if (!site) continue;
          const madeIn = site.fn === '(anonymous)' ? site.file : `${site.file} (${site.fn})`;
          for (const [id, reason] of Object.entries<string>(entry.data)) {
            const { pack: p, rule } = pack(generalize(id));
            const key = `${p}\0${rule}\0${madeIn}`;
            const row = rows.get(key) ?? { pack: p, rule, resources: new Set<string>(), reasons: [], madeIn, count: 0 };
            row.resources.add(constructPath.split('/').slice(-2).map(plainId).join('/'));
            row.reasons.push(generalize(reason));
            row.count += 1;
            rows.set(key, row);
          }
        }
      }
    }
  }
  return [...rows.values()]
    .map((r) => ({
      pack: r.pack,
      rule: r.rule,
      resources: [...r.resources].sort(),
      // The reason as most acknowledgements of the row give it (some name their resource).
      reason: mostCommon(r.reasons),
      madeIn: r.madeIn,
      count: r.count,
    }))
    .sort((a, b) => a.pack.localeCompare(b.pack) || a.rule.localeCompare(b.rule) || a.madeIn.localeCompare(b.madeIn));
}

function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  values.forEach((v) => counts.set(v, (counts.get(v) ?? 0) + 1));
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}
