/**
 * `npx projen compat`: are the breaking changes since the reference marked as such?
 *
 * Gathers the evidence for the rule in breaking-changes.ts: jsii-diff of the compiled
 * API (.jsii) against the committed baseline, the pinned stateful resources removed or
 * changed since the reference, and the commits since the reference. The reference is
 * the last release tag, or, before the first release, the commit that last wrote the
 * baseline. CI runs it after the tests (.ci/run); `npx projen release` runs it with
 * `--release-version-file dist/version.txt` before it commits and tags, and then also
 * refuses a release that is not a major version when something broke. Exits 1 when the
 * rule is broken.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Commit, CompatVerdict, Json, judge, jsiiDiffErrors, removedOrChanged } from './breaking-changes';
import { API_BASELINE, CURRENT_ASSEMBLY, RELEASE_TAG_GLOB, SCRATCH_DIR, STATEFUL_MANIFEST } from './config';

const JSII_DIFF = path.join(path.dirname(require.resolve('jsii-diff/package.json')), 'bin', 'jsii-diff');

interface Reference {
  /** A git revision. */
  readonly rev: string;
  /** How it is shown to the reader. */
  readonly label: string;
  /** The release tag, when the reference is a release. */
  readonly tag?: string;
}

export interface CheckOptions {
  /** The version being released: the check then also refuses a non-major release after a break. */
  readonly releaseVersion?: string;
}

/** Runs the check for the repository at `root` (the project root unless a test says otherwise). */
export function checkCompat(root: string, options: CheckOptions = {}): CompatVerdict {
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  const tryGit = (args: string[]) => {
    try {
      return git(args);
    } catch {
      return undefined;
    }
  };
  const reference = findReference(git, tryGit);
  checkBaselineIsTheRelease(root, reference, tryGit);
  return judge({
    reference: reference.label,
    apiBreaks: apiBreaks(root),
    statefulBreaks: statefulBreaks(root, reference, tryGit),
    commits: commitsSince(reference.rev, git),
    releaseVersion: options.releaseVersion,
    previousVersion: reference.tag?.replace(/^v/, ''),
  });
}

type Git = (args: string[]) => string;
type TryGit = (args: string[]) => string | undefined;

function findReference(git: Git, tryGit: TryGit): Reference {
  if (git(['rev-parse', '--is-shallow-repository']) === 'true') {
    throw new Error('this clone is shallow: the check needs the history since the last release (git fetch --unshallow --tags)');
  }
  const tag = tryGit(['describe', '--tags', '--abbrev=0', '--match', RELEASE_TAG_GLOB, 'HEAD']);
  if (tag) return { rev: tag, label: `release ${tag}`, tag };
  const baselineCommit = git(['log', '-1', '--format=%H', '--', API_BASELINE]);
  if (!baselineCommit) {
    throw new Error(`no release and no committed ${API_BASELINE}: run \`npx projen compat:baseline\` and commit it`);
  }
  return { rev: baselineCommit, label: `the API baseline (commit ${baselineCommit.slice(0, 7)}; no release yet)` };
}

function commitsSince(rev: string, git: Git): Commit[] {
  const log = git(['log', '--format=%H%x1f%B%x1e', `${rev}..HEAD`]);
  return log.split('\x1e').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const [sha, message] = entry.split('\x1f');
    return { sha, message: message.trim() };
  });
}

/** After the first release the baseline is the released API; only the release rewrites it. */
function checkBaselineIsTheRelease(root: string, reference: Reference, tryGit: TryGit): void {
  if (!reference.tag) return;
  const released = tryGit(['show', `${reference.tag}:${API_BASELINE}`]);
  const current = fs.readFileSync(path.join(root, API_BASELINE), 'utf8');
  if (released === undefined || JSON.stringify(JSON.parse(released)) !== JSON.stringify(JSON.parse(current))) {
    throw new Error(`${API_BASELINE} is not the API released as ${reference.tag}: after the first release only `
      + '`npx projen release` writes it (restore it with `git checkout ' + `${reference.tag} -- ${API_BASELINE}\`)`);
  }
}

/** jsii-diff of the compiled API against the baseline; its `err` lines. */
function apiBreaks(root: string): string[] {
  for (const file of [API_BASELINE, CURRENT_ASSEMBLY]) {
    if (!fs.existsSync(path.join(root, file))) {
      throw new Error(`${file} is missing${file === CURRENT_ASSEMBLY ? ': run `npx projen compile` first' : ''}`);
    }
  }
  // jsii-diff loads an assembly with its dependencies from a package directory; one inside
  // the repository resolves aws-cdk-lib and constructs from node_modules.
  const baselineDir = path.join(root, SCRATCH_DIR, 'baseline');
  fs.rmSync(baselineDir, { recursive: true, force: true });
  fs.mkdirSync(baselineDir, { recursive: true });
  const assembly = JSON.parse(fs.readFileSync(path.join(root, API_BASELINE), 'utf8'));
  fs.writeFileSync(path.join(baselineDir, '.jsii'), JSON.stringify(assembly));
  fs.writeFileSync(path.join(baselineDir, 'package.json'), JSON.stringify({
    name: assembly.name, version: assembly.version, jsii: {}, peerDependencies: assembly.dependencies ?? {},
  }));
  const run = spawnSync(process.execPath, [JSII_DIFF, baselineDir, root, '--keys'], { cwd: root, encoding: 'utf8' });
  const output = `${run.stdout}\n${run.stderr}`;
  const errors = jsiiDiffErrors(output);
  if (run.status !== 0 && errors.length === 0) {
    throw new Error(`jsii-diff failed (exit ${run.status}):\n${output}`);
  }
  return errors;
}

/** Pinned stateful resources removed or changed since the reference. */
function statefulBreaks(root: string, reference: Reference, tryGit: TryGit): string[] {
  const before = tryGit(['show', `${reference.rev}:${STATEFUL_MANIFEST}`]);
  if (before === undefined) return []; // nothing was pinned at the reference
  const currentFile = path.join(root, STATEFUL_MANIFEST);
  if (!fs.existsSync(currentFile)) return [`${STATEFUL_MANIFEST} was deleted: every resource it pinned is unpinned`];
  return removedOrChanged(JSON.parse(before) as Json, JSON.parse(fs.readFileSync(currentFile, 'utf8')) as Json)
    .map((change) => `${STATEFUL_MANIFEST} ${change}`);
}

function main(args: string[]): number {
  // The release passes the file its bump wrote (dist/version.txt); without new commits
  // there is no bump and no file, and nothing is released.
  const versionFileFlag = args.indexOf('--release-version-file');
  const versionFile = versionFileFlag >= 0 ? args[versionFileFlag + 1] : undefined;
  const releaseVersion = versionFile && fs.existsSync(versionFile) ? fs.readFileSync(versionFile, 'utf8').trim() : undefined;
  const verdict = checkCompat(path.resolve(__dirname, '..', '..'), { releaseVersion });
  for (const line of verdict.lines) (verdict.ok ? console.log : console.error)(line);
  return verdict.ok ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`compat: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
