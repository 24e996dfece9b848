import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Runs cfn-lint (the CloudFormation linter, preinstalled on these machines) over
 * synthesized templates, each with its own stack's region: one invocation per
 * region with every template of that region, which saves a Python start-up per file.
 */

export interface LintedTemplate {
  readonly app: string;
  readonly stackName: string;
  readonly region: string;
  readonly templateFile: string;
}

export interface LintMatch {
  readonly app: string;
  readonly stackName: string;
  readonly region: string;
  readonly rule: string;
  readonly level: 'Error' | 'Warning' | 'Informational';
  /** Path in the template, e.g. `Resources/X/Properties/Tags`. */
  readonly path: string;
  /** Type of the resource the path is in, when it is in one. */
  readonly resourceType?: string;
  readonly message: string;
}

export interface LintRun {
  readonly matches: LintMatch[];
  /** Seconds per region, as measured. */
  readonly secondsByRegion: Record<string, number>;
}

/** The cfn-lint version, or why it cannot run. */
export function cfnLintVersion(): { version?: string; problem?: string } {
  const run = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    return { problem: `cfn-lint cannot run (${run.error?.message ?? run.stderr.trim()}): install it with \`pip install cfn-lint==1.51.0\`` };
  }
  return { version: run.stdout.trim() };
}

export function runCfnLint(templates: LintedTemplate[]): LintRun {
  const byRegion = new Map<string, LintedTemplate[]>();
  for (const t of templates) byRegion.set(t.region, [...(byRegion.get(t.region) ?? []), t]);
  const matches: LintMatch[] = [];
  const secondsByRegion: Record<string, number> = {};
  for (const [region, group] of [...byRegion.entries()].sort()) {
    const started = Date.now();
    const run = spawnSync('cfn-lint', ['--regions', region, '--format', 'json', '--', ...group.map((t) => t.templateFile)], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    secondsByRegion[region] = (Date.now() - started) / 1000;
    // Exit status is a bit mask: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
    if (run.error || run.status === null || run.status % 2 === 1) {
      throw new Error(`cfn-lint failed in ${region} (exit ${run.status}): ${run.error?.message ?? run.stderr}`);
    }
    const byFile = new Map(group.map((t) => [path.resolve(t.templateFile), t]));
    for (const m of JSON.parse(run.stdout || '[]') as any[]) {
      const template = byFile.get(path.resolve(m.Filename));
      if (!template) throw new Error(`cfn-lint reported a file it was not given: ${m.Filename}`);
      const location: string[] = (m.Location?.Path ?? []).map(String);
      matches.push({
        app: template.app,
        stackName: template.stackName,
        region,
        rule: m.Rule.Id,
        level: m.Level,
        path: location.join('/'),
        resourceType: resourceTypeAt(template.templateFile, location),
        message: m.Message,
      });
    }
  }
  return { matches, secondsByRegion };
}

const templateCache = new Map<string, any>();

function resourceTypeAt(file: string, location: string[]): string | undefined {
  if (location[0] !== 'Resources' || location.length < 2) return undefined;
  if (!templateCache.has(file)) templateCache.set(file, JSON.parse(fs.readFileSync(file, 'utf8')));
  return templateCache.get(file).Resources?.[location[1]]?.Type;
}

/** One allowlisted cfn-lint rule: why it is noise here, and optionally where exactly (all given conditions must hold). */
export interface AllowedRule {
  readonly reason: string;
  readonly resourceType?: string;
  /** The match's path must end with this (e.g. `Properties/Tags`). */
  readonly pathEndsWith?: string;
  readonly regions?: string[];
  /** The message must contain this. */
  readonly messageContains?: string;
}

export function isAllowed(match: LintMatch, allowlist: Record<string, AllowedRule>): boolean {
  const rule = allowlist[match.rule];
  if (!rule) return false;
  return (rule.resourceType === undefined || rule.resourceType === match.resourceType)
    && (rule.pathEndsWith === undefined || match.path.endsWith(rule.pathEndsWith))
    && (rule.regions === undefined || rule.regions.includes(match.region))
    && (rule.messageContains === undefined || match.message.includes(rule.messageContains));
}

export function describeMatch(m: LintMatch): string {
  return `${m.app}/${m.stackName} (${m.region}): ${m.level} ${m.rule} at ${m.path}${m.resourceType ? ` [${m.resourceType}]` : ''}: ${m.message}`;
}
