/**
 * Writes the compiled API (.jsii) as the baseline that `npx projen compat` compares with.
 *
 * - `npx projen compat:baseline` (compiles first): before the first release only, after a
 *   deliberate API change (CONTRIBUTING.md, "The API baseline"). Once a release tag
 *   exists it refuses: the baseline is then the released API.
 * - `npx projen release` runs it with `--release`, which also stages it, so that the
 *   release commit carries the API it released.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { API_BASELINE, CURRENT_ASSEMBLY, RELEASE_TAG_GLOB } from './config';

const ROOT = path.resolve(__dirname, '..', '..');

function latestReleaseTag(): string | undefined {
  const tags = execFileSync('git', ['tag', '--list', RELEASE_TAG_GLOB], { cwd: ROOT, encoding: 'utf8' }).trim();
  return tags ? tags.split('\n')[0] : undefined;
}

function main(args: string[]): number {
  const tag = latestReleaseTag();
  if (tag && !args.includes('--release')) {
    console.error(`compat:baseline: ${tag} is released, so ${API_BASELINE} is the API of the last release `
      + 'and only `npx projen release` rewrites it. A breaking change is marked in its commit instead '
      + '(CONTRIBUTING.md, "Releases and versioning").');
    return 1;
  }
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, CURRENT_ASSEMBLY), 'utf8'));
  fs.mkdirSync(path.dirname(path.join(ROOT, API_BASELINE)), { recursive: true });
  // Indented, so that a reviewer sees which types and members changed.
  fs.writeFileSync(path.join(ROOT, API_BASELINE), JSON.stringify(assembly, undefined, 2) + '\n');
  console.log(`${API_BASELINE}: the API of ${assembly.name}@${assembly.version}, ${Object.keys(assembly.types ?? {}).length} types`);
  // The release's changelog commit takes what is staged.
  if (args.includes('--release')) execFileSync('git', ['add', API_BASELINE], { cwd: ROOT });
  return 0;
}

process.exitCode = main(process.argv.slice(2));
