/**
 * The rule that breaking changes need a major version, as pure functions
 * (the git and jsii-diff I/O is in check-compat.ts).
 *
 * A change is breaking when jsii-diff reports an incompatible API change against the
 * baseline, or when a pinned logical ID of a stateful resource was removed or changed
 * since the reference (the last release tag; before the first release, the commit of
 * the baseline). It passes only when a commit since the reference is marked breaking
 * in conventional-commit form (`type!:` or a `BREAKING CHANGE:` footer): that mark is
 * what makes the release's version bump major (minor while the version is 0.x). When a
 * release version is given, the check also verifies that bump.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Commit {
  readonly sha: string;
  readonly message: string;
}

export interface CompatEvidence {
  /** What the changes are compared with, as shown to the reader (a tag or a commit). */
  readonly reference: string;
  /** jsii-diff's incompatible changes (its `err` lines). */
  readonly apiBreaks: readonly string[];
  /** Pinned stateful resources that were removed or changed. */
  readonly statefulBreaks: readonly string[];
  /** The commits since the reference. */
  readonly commits: readonly Commit[];
  /** The version being released, when the check runs inside a release. */
  readonly releaseVersion?: string;
  /** The version of the reference release, when there is one. */
  readonly previousVersion?: string;
}

export interface CompatVerdict {
  readonly ok: boolean;
  readonly lines: string[];
}

/** jsii-diff's incompatible changes: its `err - ...` lines (warnings are not breaking). */
export function jsiiDiffErrors(output: string): string[] {
  return output.split('\n').map((l) => l.trim()).filter((l) => /^err\b/.test(l));
}

/**
 * Whether a commit message marks a breaking change, read exactly as the release's version
 * bump reads it (conventional-changelog-conventionalcommits: `breakingHeaderPattern`, and
 * the `BREAKING CHANGE` / `BREAKING-CHANGE` note keywords of conventional-commits-parser).
 */
export function isBreakingCommit(message: string): boolean {
  const [header, ...body] = message.split('\n');
  if (/^(\w*)(?:\((.*)\))?!: (.*)$/.test(header)) return true;
  return body.some((line) => /^[\s|*]*(BREAKING CHANGE|BREAKING-CHANGE)[:\s]+(.*)/i.test(line));
}

/**
 * Entries of the pinned-resource manifest that were removed or changed. Additions are
 * not breaking. Objects are compared key by key; arrays as sets of entries (an entry of
 * `before` that is not, unchanged, in `after` was removed or changed).
 */
export function removedOrChanged(before: Json, after: Json, at = '$'): string[] {
  if (Array.isArray(before)) {
    const kept = new Set((Array.isArray(after) ? after : []).map(canonical));
    return before.filter((entry) => !kept.has(canonical(entry)))
      .map((entry) => `${at}: ${canonical(entry)} was removed or changed`);
  }
  if (before !== null && typeof before === 'object') {
    const next = after !== null && typeof after === 'object' && !Array.isArray(after) ? after : {};
    return Object.keys(before).flatMap((key) => key in next
      ? removedOrChanged(before[key], next[key], `${at}.${key}`)
      : [`${at}.${key}: ${canonical(before[key])} was removed`]);
  }
  return before === after ? [] : [`${at}: was ${canonical(before)}, now ${canonical(after)}`];
}

/**
 * Whether `next` is a major release after `previous`. Under 0.x, semver's "anything may
 * change" is narrowed to a rule: the minor number plays the major's part (0.1.x -> 0.2.0),
 * which is also what commit-and-tag-version does with a breaking commit before 1.0.
 */
export function isMajorBump(previous: string, next: string): boolean {
  const [pMajor, pMinor] = parseVersion(previous);
  const [nMajor, nMinor] = parseVersion(next);
  if (pMajor === 0) return nMajor > 0 || nMinor > pMinor;
  return nMajor > pMajor;
}

export function judge(evidence: CompatEvidence): CompatVerdict {
  const breaks = [
    ...evidence.apiBreaks.map((b) => `API: ${b}`),
    ...evidence.statefulBreaks.map((b) => `pinned stateful resource: ${b}`),
  ];
  if (breaks.length === 0) {
    return { ok: true, lines: [`compat: no breaking change since ${evidence.reference}`] };
  }
  const lines = [`compat: ${breaks.length} breaking change(s) since ${evidence.reference}:`, ...breaks.map((b) => `  ${b}`)];
  const marked = evidence.commits.filter((c) => isBreakingCommit(c.message));
  if (marked.length === 0) {
    lines.push(
      `no commit since ${evidence.reference} is marked breaking, so the next release would not be a major version.`,
      'Either undo the change, or mark it: a commit whose header is `type!: ...` or whose body has a',
      '`BREAKING CHANGE: <what users must do>` footer (CONTRIBUTING.md, "Releases and versioning").',
    );
    return { ok: false, lines };
  }
  lines.push(`marked breaking by ${marked.map((c) => `${c.sha.slice(0, 7)} "${c.message.split('\n')[0]}"`).join(', ')}`);
  if (evidence.releaseVersion && evidence.previousVersion && !isMajorBump(evidence.previousVersion, evidence.releaseVersion)) {
    lines.push(`but the release is ${evidence.previousVersion} -> ${evidence.releaseVersion}, not a major version `
      + `(${parseVersion(evidence.previousVersion)[0] === 0 ? 'under 0.x: a new minor' : 'a new major'}): refusing it.`);
    return { ok: false, lines };
  }
  return { ok: true, lines };
}

function parseVersion(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!m) throw new Error(`not a semantic version: '${version}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** JSON with sorted keys, so that equal entries compare equal. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
